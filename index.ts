// The composition root: stack config -> parseStackConfig -> components -> stack outputs.
import { Platform, parseStackConfig } from "./core/config/stackConfig";
import { gateSettingsFromConfig } from "./core/gate/gateSettings";
import { dockerPlatform } from "./components/docker/platform";
import { kubernetesPlatform } from "./components/kubernetes/platform";
import { RolloutGate } from "./components/gates/rolloutGate";
import { RolloutVerdict } from "./components/gates/rolloutVerdict";
import { readPulumiStackConfig } from "./components/pulumiConfig";
import { RolloutPlatform } from "./components/rolloutPlatform";

/** Each platform by its name in `genesis:platform`. */
const PLATFORMS: Readonly<Record<Platform, RolloutPlatform>> = {
  docker: dockerPlatform,
  kubernetes: kubernetesPlatform,
};

const stackConfig = readPulumiStackConfig();
const config = parseStackConfig(stackConfig.raw);

const secrets = {
  grafanaAdminPassword: stackConfig.secrets.grafanaAdminPassword,
  pagerDutyRoutingKey: stackConfig.secrets.pagerDutyRoutingKey,
  smtpPassword: stackConfig.secrets.smtpPassword,
};
const platform = PLATFORMS[config.platform];
const monitoring = platform.deployMonitoring("genesis", { config, secrets });
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
const delivery = platform.deliverRollout(
  "genesis",
  { config, monitoring, percentage: gate.percentage, secrets },
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
export const appUrl = delivery.appUrl;
