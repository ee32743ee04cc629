/**
 * The stack configuration keys of the `genesis` project: one table that drives the parser's
 * defaults, the `config:` block of Pulumi.yaml (a test keeps them identical) and the README.
 */

/** The Pulumi config namespace of every key: the project name. */
export const CONFIG_NAMESPACE = "genesis";

/** The rollout steps the seed plan walks through, in percent of traffic. */
export const DEFAULT_ROLLOUT_STEPS: readonly number[] = Object.freeze([0, 5, 10, 25, 50, 75, 100]);

/** A config value as Pulumi.yaml declares it: the only types Pulumi's project schema knows. */
export type ConfigKeyType = "string" | "integer" | "boolean" | "array";

/** One key of the stack configuration. */
export interface ConfigKey {
  /** The key without its namespace, as in `genesis:<name>`. */
  readonly name: string;
  /** The Pulumi.yaml type. Decimals are strings: Pulumi's schema has no float type. */
  readonly type: ConfigKeyType;
  /** The item type of an array key. */
  readonly items?: "integer" | "string";
  /** The value used when the stack does not set the key; absent for required keys. */
  readonly default?: string | number | boolean | readonly number[] | readonly string[];
  /**
   * Holds a secret: only its presence and whether it was stored encrypted reach the parser;
   * the value travels as a Pulumi secret Output and is delivered to containers as a file.
   */
  readonly secret?: boolean;
  /** One sentence for Pulumi.yaml and the README. */
  readonly description: string;
}

/** The default images: pinned by tag; by digest too where the digest was verified. */
export const DEFAULT_IMAGES = Object.freeze({
  prometheusImage:
    "prom/prometheus:v2.55.1@sha256:2659f4c2ebb718e7695cb9b25ffa7d6be64db013daba13e05c875451cf51b0d3",
  grafanaImage:
    "grafana/grafana:11.3.0@sha256:a0f881232a6fb71a0554a47d0fe2203b6888fe77f4cefb7ea62bed7eb54e13c3",
  alertmanagerImage:
    "prom/alertmanager:v0.27.0@sha256:e13b6ed5cb929eeaee733479dce55e10eb3bc2e9c4586c705a4e8da41e5eacf5",
  nodeExporterImage:
    "prom/node-exporter:v1.8.2@sha256:4032c6d5bfd752342c3e631c2f1de93ba6b86c41db6b167b9a35372c139e7706",
  flagdImage: "ghcr.io/open-feature/flagd:v0.11.1",
  appImage: "genesis-app:local",
});

/** Every key the program reads, in the order Pulumi.yaml lists them. */
export const CONFIG_KEYS: readonly ConfigKey[] = Object.freeze([
  {
    name: "environment",
    type: "string",
    description: "Which environment this stack is: staging or production.",
  },
  {
    name: "platform",
    type: "string",
    default: "docker",
    description: "Where the monitoring stack runs: docker (one engine) or kubernetes.",
  },
  {
    name: "rolloutPercentage",
    type: "integer",
    default: 0,
    description: "Percent of traffic served by the new version; must be one of rolloutSteps.",
  },
  {
    name: "rolloutSteps",
    type: "array",
    items: "integer",
    default: DEFAULT_ROLLOUT_STEPS,
    description: "The rollout stages in percent: strictly ascending, from 0 to 100.",
  },
  {
    name: "allowStepSkip",
    type: "boolean",
    default: false,
    description: "Allow a promotion to jump over rollout steps (normally one step at a time).",
  },
  {
    name: "autoRollback",
    type: "boolean",
    default: false,
    description: "Roll back one step automatically when an SLO breaches during a bake.",
  },
  {
    name: "errorRateThresholdPercent",
    type: "string",
    default: "1.0",
    description:
      "Highest error rate (5xx / all responses, in percent) a stage may show; a decimal.",
  },
  {
    name: "latencyP95ThresholdMs",
    type: "integer",
    default: 500,
    description: "Highest P95 request latency a stage may show, in milliseconds.",
  },
  {
    name: "errorRateObjectivePercent",
    type: "string",
    default: "0.1",
    description:
      "Error rate objective (percent) the daily update reports against; below the trigger.",
  },
  {
    name: "latencyP95ObjectiveMs",
    type: "integer",
    default: 200,
    description: "P95 latency objective (ms) the daily update reports against; below the trigger.",
  },
  {
    name: "validationWindowSeconds",
    type: "integer",
    default: 300,
    description: "How long a stage must stay healthy before promotion; at least 4 scrapes.",
  },
  {
    name: "scrapeIntervalSeconds",
    type: "integer",
    default: 15,
    description: "Prometheus scrape and rule evaluation interval, in seconds.",
  },
  {
    name: "healthFailureLimit",
    type: "integer",
    default: 5,
    description: "Consecutive failed health checks of the application that mean rollback.",
  },
  {
    name: "minRequestCount",
    type: "integer",
    default: 100,
    description: "Fewest requests in the validation window for the gate to judge the SLOs.",
  },
  {
    name: "canaryErrorMarginPercent",
    type: "string",
    default: "0.5",
    description: "How far the canary's error rate may exceed the stable variant's, in points.",
  },
  {
    name: "cooldownSeconds",
    type: "integer",
    default: 0,
    description: "Wait before retrying a blocked or rolled-back step; 0 means one window.",
  },
  {
    name: "gateOverrideReason",
    type: "string",
    default: "",
    description: "Set to skip the cool-down once; the reason is recorded by the gate.",
  },
  {
    name: "gateRequestTimeoutMs",
    type: "integer",
    default: 5000,
    description: "Deadline of one gate request: connect, headers and the whole body, in ms.",
  },
  {
    name: "gateDecisionTimeoutMs",
    type: "integer",
    default: 30000,
    description: "Deadline of a whole gate decision, retries included; past it the gate blocks.",
  },
  {
    name: "prometheusImage",
    type: "string",
    default: DEFAULT_IMAGES.prometheusImage,
    description: "Prometheus image; production requires repository:tag@sha256:digest.",
  },
  {
    name: "grafanaImage",
    type: "string",
    default: DEFAULT_IMAGES.grafanaImage,
    description: "Grafana image; production requires repository:tag@sha256:digest.",
  },
  {
    name: "alertmanagerImage",
    type: "string",
    default: DEFAULT_IMAGES.alertmanagerImage,
    description: "Alertmanager image; production requires repository:tag@sha256:digest.",
  },
  {
    name: "nodeExporterImage",
    type: "string",
    default: DEFAULT_IMAGES.nodeExporterImage,
    description: "Node Exporter image; production requires repository:tag@sha256:digest.",
  },
  {
    name: "flagdImage",
    type: "string",
    default: DEFAULT_IMAGES.flagdImage,
    description: "flagd image serving the rollout flag; production requires a digest.",
  },
  {
    name: "appImage",
    type: "string",
    default: DEFAULT_IMAGES.appImage,
    description: "Image of the reference service (built from app/); used when appEnabled.",
  },
  {
    name: "appEnabled",
    type: "boolean",
    default: false,
    description: "Deploy the reference service next to the monitoring stack.",
  },
  {
    name: "appMetricsTarget",
    type: "string",
    default: "genesis-app:8080",
    description: "host:port Prometheus scrapes for the application's /metrics.",
  },
  {
    name: "appMetricsJob",
    type: "string",
    default: "genesis-app",
    description: "The job label of the application's scrape target; read with appMetricsTarget.",
  },
  {
    name: "appStatusLabel",
    type: "string",
    default: "code",
    description: "The label of http_requests_total that carries the HTTP status code.",
  },
  {
    name: "appHealthUrl",
    type: "string",
    default: "http://127.0.0.1:8080/health",
    description: "The application's health URL, as the gate reaches it.",
  },
  {
    name: "prometheusRetentionDays",
    type: "integer",
    default: 15,
    description: "How many days Prometheus keeps samples.",
  },
  {
    name: "deploymentLeadEmail",
    type: "string",
    default: "",
    description: "E-mail address of the deployment lead; required in production.",
  },
  {
    name: "onCallEmail",
    type: "string",
    default: "",
    description: "E-mail address of the on-call engineer; named in reports and sign-off.",
  },
  {
    name: "securityLeadEmail",
    type: "string",
    default: "",
    description: "E-mail address of the security lead; named in reports and sign-off.",
  },
  {
    name: "signoffHours",
    type: "integer",
    default: 48,
    description: "Hours the stack must hold its SLOs at 100% before final sign-off.",
  },
  {
    name: "signoffRegressionTolerancePercent",
    type: "integer",
    default: 10,
    description: "How far sign-off P95 and error rate may exceed the pre-rollout baseline, in %.",
  },
  {
    name: "signoffApprovals",
    type: "array",
    items: "string",
    default: [],
    description: "Sign-off approvals given: deployment-lead, on-call, security-lead.",
  },
  {
    name: "smtpSmarthost",
    type: "string",
    default: "",
    description: "SMTP relay as host:port for alert e-mail; required in production.",
  },
  {
    name: "smtpFrom",
    type: "string",
    default: "",
    description: "Sender address of alert e-mail; required in production.",
  },
  {
    name: "smtpUsername",
    type: "string",
    default: "",
    description: "SMTP user name, when the relay needs authentication.",
  },
  {
    name: "runbookUrl",
    type: "string",
    default: "README.md#rolling-back",
    description: "Link every alert carries to the README's Rolling back section; best absolute.",
  },
  {
    name: "grafanaAdminPassword",
    type: "string",
    default: "",
    secret: true,
    description: "Grafana admin password; required; set it with pulumi config set --secret.",
  },
  {
    name: "pagerDutyRoutingKey",
    type: "string",
    default: "",
    secret: true,
    description: "PagerDuty Events v2 routing key; required in production; a secret.",
  },
  {
    name: "smtpPassword",
    type: "string",
    default: "",
    secret: true,
    description: "SMTP password; a secret; required in production when smtpUsername is set.",
  },
  {
    name: "kubernetesNamespace",
    type: "string",
    default: "genesis-monitoring",
    description: "Kubernetes platform: the namespace of the monitoring stack and flagd.",
  },
  {
    name: "kubernetesMode",
    type: "string",
    default: "plain",
    description: "Kubernetes platform: plain manifests, or helm (kube-prometheus-stack chart).",
  },
  {
    name: "kubernetesStorageClass",
    type: "string",
    default: "",
    description: "Kubernetes platform: StorageClass of the data volumes; empty: cluster default.",
  },
  {
    name: "kubernetesGateNamespace",
    type: "string",
    default: "",
    description:
      "Kubernetes platform: namespace allowed to reach the services (gate runner, ingress).",
  },
  {
    name: "kubernetesNodeExporterHostAccess",
    type: "boolean",
    default: false,
    description:
      "Kubernetes platform: run Node Exporter with host mounts in a privileged namespace.",
  },
  {
    name: "kubePrometheusStackVersion",
    type: "string",
    default: "67.8.0",
    description: "Kubernetes platform, helm mode: version of the kube-prometheus-stack chart.",
  },
  {
    name: "prometheusUrl",
    type: "string",
    default: "http://127.0.0.1:9090",
    description: "Prometheus base URL as the rollout gate and genesis health reach it.",
  },
  {
    name: "grafanaUrl",
    type: "string",
    default: "http://127.0.0.1:3000",
    description: "Grafana base URL as the rollout gate and genesis health reach it.",
  },
  {
    name: "alertmanagerUrl",
    type: "string",
    default: "http://127.0.0.1:9093",
    description: "Alertmanager base URL as the rollout gate and genesis health reach it.",
  },
  {
    name: "nodeExporterUrl",
    type: "string",
    default: "http://127.0.0.1:9100",
    description: "Node Exporter base URL as the rollout gate and genesis health reach it.",
  },
] satisfies ConfigKey[]);

/** The names of the keys that hold secrets. */
export const SECRET_KEY_NAMES: readonly string[] = Object.freeze(
  CONFIG_KEYS.filter((k) => k.secret === true).map((k) => k.name),
);
