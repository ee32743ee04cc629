// The composition root: stack config -> parseStackConfig -> components -> stack outputs.
import { parseStackConfig } from "./core/config/stackConfig";
import {
  dockerMonitoringView,
  dockerRolloutDeliveryView,
  kubernetesMonitoringView,
  kubernetesRolloutDeliveryView,
} from "./core/config/componentViews";
import { gateSettingsFromConfig } from "./core/gate/gateSettings";
import { DockerMonitoringStack } from "./components/docker/monitoringStack";
import { DockerRolloutDelivery } from "./components/docker/rolloutDelivery";
import { KubernetesMonitoringStack } from "./components/kubernetes/monitoringStack";
import { KubernetesRolloutDelivery } from "./components/kubernetes/rolloutDelivery";
import { RolloutGate } from "./components/gates/rolloutGate";
import { RolloutVerdict } from "./components/gates/rolloutVerdict";
import { readPulumiStackConfig } from "./components/pulumiConfig";

const stackConfig = readPulumiStackConfig();
const config = parseStackConfig(stackConfig.raw);

const secrets = {
  grafanaAdminPassword: stackConfig.secrets.grafanaAdminPassword,
  pagerDutyRoutingKey: stackConfig.secrets.pagerDutyRoutingKey,
  smtpPassword: stackConfig.secrets.smtpPassword,
};
const monitoring =
  config.platform === "kubernetes"
    ? new KubernetesMonitoringStack("genesis", { view: kubernetesMonitoringView(config), secrets })
    : new DockerMonitoringStack("genesis", { view: dockerMonitoringView(config), secrets });
const gate = new RolloutGate(
  "genesis-rollout",
  { targetPercentage: config.rollout.percentage, settings: gateSettingsFromConfig(config) },
  { dependsOn: [monitoring] },
);
// Fails `pulumi up` when the gate blocked the promotion asked for; the gate has saved it.
new RolloutVerdict(
  "genesis-rollout-verdict",
  {
    targetPercentage: config.rollout.percentage,
    lastDecision: gate.lastDecision,
  },
  { dependsOn: [gate] },
);
const delivery =
  monitoring instanceof DockerMonitoringStack
    ? new DockerRolloutDelivery(
        "genesis",
        {
          view: dockerRolloutDeliveryView(config),
          networkName: monitoring.networkName,
          percentage: gate.percentage,
          secrets,
        },
        { dependsOn: [gate] },
      )
    : new KubernetesRolloutDelivery(
        "genesis",
        { view: kubernetesRolloutDeliveryView(config), percentage: gate.percentage },
        { dependsOn: [gate] },
      );

/** staging or production. */
export const environment = config.environment;
/** The percentage this update asks for (`genesis:rolloutPercentage`). */
export const rolloutPercentage = config.rollout.percentage;
/** The percentage live: after a blocked promotion, still the previous step. */
export const livePercentage = gate.percentage;
/** When the live percentage went live (ISO 8601). */
export const liveSince = gate.liveSince;
/** The gate's recent decision records (promotions, blocks, rollbacks), oldest first. */
export const gateRecords = gate.records;
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
/** flagd, serving the rollout flag: from this machine (Docker), or in-cluster (Kubernetes). */
export const flagdUrl = delivery.flagdUrl;
/** The reference service, when deployed (`genesis:appEnabled`; Docker platform only). */
export const appUrl = delivery instanceof DockerRolloutDelivery ? delivery.appUrl : undefined;
