/**
 * The stack configuration keys of the `genesis` project: the one catalogue every other
 * place derives from. Each entry declares a key once: its Pulumi.yaml type, default,
 * description and whether it is a secret, the rule that validates it, and the field of the
 * typed `StackConfig` it fills. The parser validates and builds from it
 * (`core/config/stackConfig.ts`, which proves at compile time that the fields match the
 * `StackConfig` type), `npm run docs:config` writes Pulumi.yaml's `config:` block and the
 * README's table from it, and tests fail when either file differs from it.
 */
import { z } from "zod";
import {
  ConfigRule,
  emailOrEmpty,
  flag,
  HOST_PORT_PATTERN,
  httpUrl,
  image,
  listOf,
  matching,
  oneOf,
  percent,
  rule,
  text,
  trimmedText,
  wholeNumber,
  wholeNumbers,
} from "./configRules";

/** The Pulumi config namespace of every key: the project name. */
export const CONFIG_NAMESPACE = "genesis";

/** The rollout steps the seed plan walks through, in percent of traffic. */
export const DEFAULT_ROLLOUT_STEPS: readonly number[] = Object.freeze([0, 5, 10, 25, 50, 75, 100]);

/**
 * A DNS label short enough that `<label>-node-exporter` (Node Exporter's own namespace)
 * is a DNS label too: at most 63 - 14 = 49 characters.
 */
const NAMESPACE_PATTERN = /^(?=.{1,49}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Any DNS label (at most 63 characters). */
const DNS_LABEL_PATTERN = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS subdomain, as StorageClass names are. */
const DNS_SUBDOMAIN_PATTERN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SEMVER_PATTERN = /^\d+\.\d+\.\d+$/;

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

/**
 * Where a key's value lands in the typed `StackConfig`: a dotted path such as
 * `gate.requestTimeoutMs`. `core/config/stackConfig.ts` checks every path at compile time.
 */
export type StackConfigField = string;

/** A key the program parses: its declaration, its rule and the field it fills. */
export interface PlainConfigKey extends ConfigKey {
  /** Not a secret. */
  readonly secret?: false;
  /** Validates and converts the value; refusals say `<key> must be <rule.allowed>`. */
  readonly rule: ConfigRule;
  /** The `StackConfig` field (or fields) its parsed value fills. */
  readonly field: StackConfigField | readonly StackConfigField[];
  /**
   * Production refuses the key left empty: `<key> is required in production`.
   * @default false
   */
  readonly requiredInProduction?: boolean;
  /**
   * Production refuses an image not pinned by digest (repository:tag@sha256:<64 hex>).
   * @default false
   */
  readonly digestInProduction?: boolean;
}

/**
 * A secret key: its value never reaches the parser, only whether it was set encrypted,
 * which is what its `StackConfig` field (under `secrets`) holds.
 */
export interface SecretConfigKey extends ConfigKey {
  /** A secret. */
  readonly secret: true;
  /** The boolean `StackConfig` field that says whether it is set, with `--secret`. */
  readonly field: StackConfigField;
}

/** One entry of the catalogue. */
export type CatalogueKey = PlainConfigKey | SecretConfigKey;

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

/** The catalogue, with each entry's literal types (its name, its field, its rule's output). */
const CATALOGUE = [
  {
    name: "environment",
    type: "string",
    description: "Which environment this stack is: staging or production.",
    field: "environment",
    rule: oneOf(["staging", "production"]),
  },
  {
    name: "platform",
    type: "string",
    default: "docker",
    description: "Where the monitoring stack runs: docker (one engine) or kubernetes.",
    field: "platform",
    rule: oneOf(["docker", "kubernetes"]),
  },
  {
    name: "rolloutPercentage",
    type: "integer",
    default: 0,
    description: "Percent of traffic served by the new version; must be one of rolloutSteps.",
    field: "rollout.percentage",
    rule: wholeNumber(0, 100, "a whole number from 0 to 100"),
  },
  {
    name: "rolloutSteps",
    type: "array",
    items: "integer",
    default: DEFAULT_ROLLOUT_STEPS,
    description: "The rollout stages in percent: strictly ascending, from 0 to 100.",
    field: "rollout.steps",
    rule: wholeNumbers("a list of whole numbers such as [0,5,10,25,50,75,100]"),
  },
  {
    name: "allowStepSkip",
    type: "boolean",
    default: false,
    description: "Allow a promotion to jump over rollout steps (normally one step at a time).",
    field: "rollout.allowStepSkip",
    rule: flag(),
  },
  {
    name: "autoRollback",
    type: "boolean",
    default: false,
    description: "Roll back one step automatically when an SLO breaches during a bake.",
    field: "rollout.autoRollback",
    rule: flag(),
  },
  {
    name: "errorRateThresholdPercent",
    type: "string",
    default: "1.0",
    description:
      "Highest error rate (5xx / all responses, in percent) a stage may show; a decimal.",
    field: "slo.errorRateThresholdPercent",
    rule: percent("a positive number of percent, at most 100 (for example 1.0)"),
  },
  {
    name: "latencyP95ThresholdMs",
    type: "integer",
    default: 500,
    description: "Highest P95 request latency a stage may show, in milliseconds.",
    field: "slo.latencyP95ThresholdMs",
    rule: wholeNumber(1, 600_000, "a positive whole number of milliseconds"),
  },
  {
    name: "errorRateObjectivePercent",
    type: "string",
    default: "0.1",
    description:
      "Error rate objective (percent) the daily update reports against; below the trigger.",
    field: "slo.errorRateObjectivePercent",
    rule: percent("a positive number of percent, at most 100 (for example 0.1)"),
  },
  {
    name: "latencyP95ObjectiveMs",
    type: "integer",
    default: 200,
    description: "P95 latency objective (ms) the daily update reports against; below the trigger.",
    field: "slo.latencyP95ObjectiveMs",
    rule: wholeNumber(1, 600_000, "a positive whole number of milliseconds"),
  },
  {
    name: "validationWindowSeconds",
    type: "integer",
    default: 300,
    description: "How long a stage must stay healthy before promotion; at least 4 scrapes.",
    field: "slo.validationWindowSeconds",
    rule: wholeNumber(1, 7 * 24 * 3600, "a positive whole number of seconds"),
  },
  {
    name: "scrapeIntervalSeconds",
    type: "integer",
    default: 15,
    description: "Prometheus scrape and rule evaluation interval, in seconds.",
    field: "monitoring.scrapeIntervalSeconds",
    rule: wholeNumber(1, 3600, "a whole number of seconds from 1 to 3600"),
  },
  {
    name: "healthFailureLimit",
    type: "integer",
    default: 5,
    description: "Consecutive failed health checks of the application that mean rollback.",
    field: "health.failureLimit",
    rule: wholeNumber(1, 100, "a whole number from 1 to 100"),
  },
  {
    name: "minRequestCount",
    type: "integer",
    default: 100,
    description: "Fewest requests in the validation window for the gate to judge the SLOs.",
    field: "slo.minRequestCount",
    rule: wholeNumber(1, 1_000_000_000, "a positive whole number"),
  },
  {
    name: "canaryErrorMarginPercent",
    type: "string",
    default: "0.5",
    description: "How far the canary's error rate may exceed the stable variant's, in points.",
    field: "slo.canaryErrorMarginPercent",
    rule: percent("a positive number of percentage points, at most 100 (for example 0.5)"),
  },
  {
    name: "cooldownSeconds",
    type: "integer",
    default: 0,
    description: "Wait before retrying a blocked or rolled-back step; 0 means one window.",
    field: "rollout.cooldownSeconds",
    rule: wholeNumber(
      0,
      7 * 24 * 3600,
      "a whole number of seconds, 0 or more (0 means one validation window)",
    ),
  },
  {
    name: "gateOverrideReason",
    type: "string",
    default: "",
    description: "Set to skip the cool-down once; the reason is recorded by the gate.",
    field: "rollout.overrideReason",
    rule: trimmedText("a sentence"),
  },
  {
    name: "gateRequestTimeoutMs",
    type: "integer",
    default: 5000,
    description: "Deadline of one gate request: connect, headers and the whole body, in ms.",
    field: "gate.requestTimeoutMs",
    rule: wholeNumber(100, 120_000, "a whole number of milliseconds from 100 to 120000"),
  },
  {
    name: "gateDecisionTimeoutMs",
    type: "integer",
    default: 30000,
    description: "Deadline of a whole gate decision, retries included; past it the gate blocks.",
    field: "gate.decisionTimeoutMs",
    rule: wholeNumber(1000, 1_800_000, "a whole number of milliseconds from 1000 to 1800000"),
  },
  {
    name: "prometheusImage",
    type: "string",
    default: DEFAULT_IMAGES.prometheusImage,
    description: "Prometheus image; production requires repository:tag@sha256:digest.",
    field: "monitoring.images.prometheus",
    rule: image(),
    digestInProduction: true,
  },
  {
    name: "grafanaImage",
    type: "string",
    default: DEFAULT_IMAGES.grafanaImage,
    description: "Grafana image; production requires repository:tag@sha256:digest.",
    field: "monitoring.images.grafana",
    rule: image(),
    digestInProduction: true,
  },
  {
    name: "alertmanagerImage",
    type: "string",
    default: DEFAULT_IMAGES.alertmanagerImage,
    description: "Alertmanager image; production requires repository:tag@sha256:digest.",
    field: "monitoring.images.alertmanager",
    rule: image(),
    digestInProduction: true,
  },
  {
    name: "nodeExporterImage",
    type: "string",
    default: DEFAULT_IMAGES.nodeExporterImage,
    description: "Node Exporter image; production requires repository:tag@sha256:digest.",
    field: "monitoring.images.nodeExporter",
    rule: image(),
    digestInProduction: true,
  },
  {
    name: "flagdImage",
    type: "string",
    default: DEFAULT_IMAGES.flagdImage,
    description: "flagd image serving the rollout flag; production requires a digest.",
    field: "monitoring.images.flagd",
    rule: image(),
    digestInProduction: true,
  },
  {
    name: "appImage",
    type: "string",
    default: DEFAULT_IMAGES.appImage,
    description: "Image of the reference service (built from app/); used when appEnabled.",
    field: "monitoring.images.app",
    rule: image(),
  },
  {
    name: "appEnabled",
    type: "boolean",
    default: false,
    description: "Deploy the reference service next to the monitoring stack.",
    field: "app.enabled",
    rule: flag(),
  },
  {
    name: "appMetricsTarget",
    type: "string",
    default: "genesis-app:8080",
    description: "host:port Prometheus scrapes for the application's /metrics.",
    field: "app.metricsTarget",
    rule: matching(HOST_PORT_PATTERN, "host:port"),
  },
  {
    name: "appMetricsJob",
    type: "string",
    default: "genesis-app",
    description: "The job label of the application's scrape target; read with appMetricsTarget.",
    field: "app.metricsJob",
    rule: rule(
      z.string().regex(/^\S+$/).max(200),
      "a Prometheus job name without spaces (for example genesis-app)",
    ),
  },
  {
    name: "appStatusLabel",
    type: "string",
    default: "code",
    description: "The label of http_requests_total that carries the HTTP status code.",
    field: "app.statusLabel",
    rule: matching(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "a Prometheus label name such as code or status"),
  },
  {
    name: "appHealthUrl",
    type: "string",
    default: "http://127.0.0.1:8080/health",
    description: "The application's health URL, as the gate reaches it.",
    field: "health.appHealthUrl",
    rule: httpUrl(),
  },
  {
    name: "prometheusRetentionDays",
    type: "integer",
    default: 15,
    description: "How many days Prometheus keeps samples.",
    field: "monitoring.retentionDays",
    rule: wholeNumber(1, 3650, "a whole number of days from 1 to 3650"),
  },
  {
    name: "deploymentLeadEmail",
    type: "string",
    default: "",
    description: "E-mail address of the deployment lead; required in production.",
    field: ["alerting.deploymentLeadEmail", "roles.deploymentLead"],
    rule: emailOrEmpty(),
    requiredInProduction: true,
  },
  {
    name: "onCallEmail",
    type: "string",
    default: "",
    description: "E-mail address of the on-call engineer; named in reports and sign-off.",
    field: "roles.onCall",
    rule: emailOrEmpty(),
  },
  {
    name: "securityLeadEmail",
    type: "string",
    default: "",
    description: "E-mail address of the security lead; named in reports and sign-off.",
    field: "roles.securityLead",
    rule: emailOrEmpty(),
  },
  {
    name: "signoffHours",
    type: "integer",
    default: 48,
    description: "Hours the stack must hold its SLOs at 100% before final sign-off.",
    field: "signoff.requiredHours",
    rule: wholeNumber(1, 24 * 365, "a whole number of hours from 1 to 8760"),
  },
  {
    name: "signoffRegressionTolerancePercent",
    type: "integer",
    default: 10,
    description: "How far sign-off P95 and error rate may exceed the pre-rollout baseline, in %.",
    field: "signoff.regressionTolerancePercent",
    rule: wholeNumber(0, 1000, "a whole number of percent from 0 to 1000"),
  },
  {
    name: "signoffApprovals",
    type: "array",
    items: "string",
    default: [],
    description: "Sign-off approvals given: deployment-lead, on-call, security-lead.",
    field: "signoff.approvals",
    rule: listOf(["deployment-lead", "on-call", "security-lead"]),
  },
  {
    name: "smtpSmarthost",
    type: "string",
    default: "",
    description: "SMTP relay as host:port for alert e-mail; required in production.",
    field: "alerting.smtpSmarthost",
    rule: matching(HOST_PORT_PATTERN, "host:port", { orEmpty: true }),
    requiredInProduction: true,
  },
  {
    name: "smtpFrom",
    type: "string",
    default: "",
    description: "Sender address of alert e-mail; required in production.",
    field: "alerting.smtpFrom",
    rule: emailOrEmpty(),
    requiredInProduction: true,
  },
  {
    name: "smtpUsername",
    type: "string",
    default: "",
    description: "SMTP user name, when the relay needs authentication.",
    field: "alerting.smtpUsername",
    rule: text("a user name"),
  },
  {
    name: "runbookUrl",
    type: "string",
    default: "README.md#rolling-back",
    description: "Link every alert carries to the README's Rolling back section; best absolute.",
    field: "alerting.runbookUrl",
    rule: matching(
      /^\S+$/,
      "a URL or a path with an anchor, without spaces (for example README.md#rolling-back)",
    ),
  },
  {
    name: "grafanaAdminPassword",
    type: "string",
    default: "",
    secret: true,
    description: "Grafana admin password; required; set it with pulumi config set --secret.",
    field: "secrets.grafanaAdminPassword",
  },
  {
    name: "pagerDutyRoutingKey",
    type: "string",
    default: "",
    secret: true,
    description: "PagerDuty Events v2 routing key; required in production; a secret.",
    field: "secrets.pagerDutyRoutingKey",
  },
  {
    name: "smtpPassword",
    type: "string",
    default: "",
    secret: true,
    description: "SMTP password; a secret; required in production when smtpUsername is set.",
    field: "secrets.smtpPassword",
  },
  {
    name: "kubernetesNamespace",
    type: "string",
    default: "genesis-monitoring",
    description: "Kubernetes platform: the namespace of the monitoring stack and flagd.",
    field: "kubernetes.namespace",
    rule: matching(
      NAMESPACE_PATTERN,
      "a DNS label of at most 49 characters (lowercase letters, digits and -)",
    ),
  },
  {
    name: "kubernetesMode",
    type: "string",
    default: "plain",
    description: "Kubernetes platform: plain manifests, or helm (kube-prometheus-stack chart).",
    field: "kubernetes.mode",
    rule: oneOf(["plain", "helm"]),
  },
  {
    name: "kubernetesStorageClass",
    type: "string",
    default: "",
    description: "Kubernetes platform: StorageClass of the data volumes; empty: cluster default.",
    field: "kubernetes.storageClass",
    rule: matching(
      DNS_SUBDOMAIN_PATTERN,
      "a StorageClass name (DNS subdomain), or empty for the cluster default",
      { orEmpty: true },
    ),
  },
  {
    name: "kubernetesGateNamespace",
    type: "string",
    default: "",
    description:
      "Kubernetes platform: namespace allowed to reach the services (gate runner, ingress).",
    field: "kubernetes.gateNamespace",
    rule: matching(DNS_LABEL_PATTERN, "a namespace name (DNS label), or empty for none", {
      orEmpty: true,
    }),
  },
  {
    name: "kubernetesNodeExporterHostAccess",
    type: "boolean",
    default: false,
    description:
      "Kubernetes platform: run Node Exporter with host mounts in a privileged namespace.",
    field: "kubernetes.nodeExporterHostAccess",
    rule: flag(),
  },
  {
    name: "kubePrometheusStackVersion",
    type: "string",
    default: "67.8.0",
    description: "Kubernetes platform, helm mode: version of the kube-prometheus-stack chart.",
    field: "kubernetes.kubePrometheusStackVersion",
    rule: matching(SEMVER_PATTERN, "a chart version such as 67.8.0"),
  },
  {
    name: "prometheusUrl",
    type: "string",
    default: "http://127.0.0.1:9090",
    description: "Prometheus base URL as the rollout gate and genesis health reach it.",
    field: "health.prometheusUrl",
    rule: httpUrl(),
  },
  {
    name: "grafanaUrl",
    type: "string",
    default: "http://127.0.0.1:3000",
    description: "Grafana base URL as the rollout gate and genesis health reach it.",
    field: "health.grafanaUrl",
    rule: httpUrl(),
  },
  {
    name: "alertmanagerUrl",
    type: "string",
    default: "http://127.0.0.1:9093",
    description: "Alertmanager base URL as the rollout gate and genesis health reach it.",
    field: "health.alertmanagerUrl",
    rule: httpUrl(),
  },
  {
    name: "nodeExporterUrl",
    type: "string",
    default: "http://127.0.0.1:9100",
    description: "Node Exporter base URL as the rollout gate and genesis health reach it.",
    field: "health.nodeExporterUrl",
    rule: httpUrl(),
  },
] as const satisfies readonly CatalogueKey[];

/** Every key the program reads, in the order Pulumi.yaml lists them. */
export const CONFIG_KEYS: readonly CatalogueKey[] = Object.freeze(CATALOGUE);

/** One catalogue entry with its literal types, for the compile-time checks of the parser. */
export type CatalogueEntry = (typeof CATALOGUE)[number];

/** The name of a key of the catalogue: a misspelt name does not compile. */
export type ConfigKeyName = CatalogueEntry["name"];

/**
 * The parsed value of each plain key, as its rule's schema outputs it; a key whose value
 * was refused is absent.
 */
export type ParsedValues = {
  readonly [E in Extract<CatalogueEntry, { rule: ConfigRule }> as E["name"]]?: z.output<
    E["rule"]["schema"]
  >;
};

/** The names of the keys that hold secrets. */
export const SECRET_KEY_NAMES: readonly string[] = Object.freeze(
  CONFIG_KEYS.filter((k) => k.secret === true).map((k) => k.name),
);
