// The composition root: stack config -> parseStackConfig -> components -> stack outputs.
import { parseStackConfig } from "./core/config/stackConfig";
import { DockerMonitoringStack } from "./components/docker/monitoringStack";
import { readPulumiStackConfig } from "./components/pulumiConfig";

const stackConfig = readPulumiStackConfig();
const config = parseStackConfig(stackConfig.raw);

if (config.platform !== "docker") {
  throw new Error(
    `genesis:platform must be docker in this version; got "${config.platform}" (the Kubernetes platform is not available yet)`,
  );
}

const monitoring = new DockerMonitoringStack("genesis", {
  config,
  secrets: {
    grafanaAdminPassword: stackConfig.secrets.grafanaAdminPassword,
    pagerDutyRoutingKey: stackConfig.secrets.pagerDutyRoutingKey,
    smtpPassword: stackConfig.secrets.smtpPassword,
  },
});

/** staging or production. */
export const environment = config.environment;
/** The percentage of traffic on the new version, as configured for this update. */
export const rolloutPercentage = config.rollout.percentage;
/** The isolated bridge network. */
export const networkName = monitoring.networkName;
/** Prometheus, from this machine. */
export const prometheusUrl = monitoring.urls.prometheus;
/** Grafana, from this machine. */
export const grafanaUrl = monitoring.urls.grafana;
/** Alertmanager, from this machine. */
export const alertmanagerUrl = monitoring.urls.alertmanager;
/** Node Exporter, from this machine. */
export const nodeExporterUrl = monitoring.urls.nodeExporter;
