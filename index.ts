// The composition root: stack config -> parseStackConfig -> components -> stack outputs.
import { parseStackConfig } from "./core/config/stackConfig";
import { DockerMonitoringStack } from "./components/docker/monitoringStack";
import { KubernetesMonitoringStack } from "./components/kubernetes/monitoringStack";
import { KubernetesRolloutDelivery } from "./components/kubernetes/rolloutDelivery";
import { readPulumiStackConfig } from "./components/pulumiConfig";

const stackConfig = readPulumiStackConfig();
const config = parseStackConfig(stackConfig.raw);

const secrets = {
  grafanaAdminPassword: stackConfig.secrets.grafanaAdminPassword,
  pagerDutyRoutingKey: stackConfig.secrets.pagerDutyRoutingKey,
  smtpPassword: stackConfig.secrets.smtpPassword,
};

const kubernetes = config.platform === "kubernetes";
const monitoring = kubernetes
  ? new KubernetesMonitoringStack("genesis", { config, secrets })
  : new DockerMonitoringStack("genesis", { config, secrets });
if (kubernetes) {
  new KubernetesRolloutDelivery(
    "genesis",
    { config, percentage: config.rollout.percentage },
    { dependsOn: [monitoring] },
  );
}

/** staging or production. */
export const environment = config.environment;
/** The percentage of traffic on the new version, as configured for this update. */
export const rolloutPercentage = config.rollout.percentage;
/** The isolated network: the Docker bridge, or the Kubernetes namespace. */
export const networkName = monitoring.networkName;
/** Prometheus: from this machine (Docker), or its in-cluster Service URL (Kubernetes). */
export const prometheusUrl = monitoring.urls.prometheus;
/** Grafana: from this machine (Docker), or its in-cluster Service URL (Kubernetes). */
export const grafanaUrl = monitoring.urls.grafana;
/** Alertmanager: from this machine (Docker), or its in-cluster Service URL (Kubernetes). */
export const alertmanagerUrl = monitoring.urls.alertmanager;
/** Node Exporter: from this machine (Docker), or its in-cluster Service URL (Kubernetes). */
export const nodeExporterUrl = monitoring.urls.nodeExporter;
