/**
 * Raw stack configuration in, one typed and frozen {@link StackConfig} out, or a
 * {@link ConfigError} that lists every problem at once. Pure: no Pulumi, no I/O.
 */
import { z } from "zod";
import { CONFIG_KEYS, CONFIG_NAMESPACE, ConfigKey } from "./configKeys";
import { formatValue } from "../format";
import { nearestKey } from "./nearestKey";
import { isStep } from "../rollout/steps";

/** The environments a stack can be. */
export type Environment = "staging" | "production";
/** Where the monitoring stack runs. */
export type Platform = "docker" | "kubernetes";
/** How the Kubernetes platform declares the monitoring stack: its own manifests or the chart. */
export type KubernetesMode = "plain" | "helm";
/** A role whose approval final sign-off needs. */
export type SignoffRole = "deployment-lead" | "on-call" | "security-lead";
/** How a secret key reached the program: not set, set with `--secret`, or set in plain text. */
export type SecretPresence = "absent" | "encrypted" | "plaintext";

/** The monitoring stack's images, each `repository:tag` or `repository:tag@sha256:<digest>`. */
export interface ImageSet {
  /** Prometheus. */
  readonly prometheus: string;
  /** Grafana. */
  readonly grafana: string;
  /** Alertmanager. */
  readonly alertmanager: string;
  /** Node Exporter. */
  readonly nodeExporter: string;
  /** flagd, which serves the rollout flag. */
  readonly flagd: string;
  /** The reference application. */
  readonly app: string;
}

/** The typed, validated configuration of one stack. */
export interface StackConfig {
  /** The project's config namespace (`genesis`). */
  readonly namespace: string;
  /** staging or production. */
  readonly environment: Environment;
  /** docker or kubernetes. */
  readonly platform: Platform;
  /** The rollout: where it stands and how it may move. */
  readonly rollout: {
    /** Percent of traffic on the new version now; one of `steps`. */
    readonly percentage: number;
    /** The stages, strictly ascending from 0 to 100. */
    readonly steps: readonly number[];
    /** Whether a promotion may jump over steps. */
    readonly allowStepSkip: boolean;
    /** Whether a breach during a bake rolls back automatically. */
    readonly autoRollback: boolean;
    /** Wait before retrying a blocked or rolled-back step, in seconds. */
    readonly cooldownSeconds: number;
    /** A reason to skip the cool-down once; empty when none. */
    readonly overrideReason: string;
  };
  /** The service level objectives a stage must hold. */
  readonly slo: {
    /** Highest error rate (5xx / all) in percent. */
    readonly errorRateThresholdPercent: number;
    /** Highest P95 latency in milliseconds. */
    readonly latencyP95ThresholdMs: number;
    /**
     * The error rate objective in percent (`genesis:errorRateObjectivePercent`): the daily
     * update is ON TRACK at or below it, AT RISK above it; always below the trigger.
     */
    readonly errorRateObjectivePercent: number;
    /** The P95 latency objective in milliseconds (`genesis:latencyP95ObjectiveMs`). */
    readonly latencyP95ObjectiveMs: number;
    /** How long a stage must hold the SLOs before promotion, in seconds. */
    readonly validationWindowSeconds: number;
    /** Fewest requests in the window to judge. */
    readonly minRequestCount: number;
    /** How far the canary's error rate may exceed the stable one's, in points. */
    readonly canaryErrorMarginPercent: number;
  };
  /** Health checking of the application. */
  readonly health: {
    /** Consecutive failures that mean rollback. */
    readonly failureLimit: number;
    /** The application's health URL as the gate reaches it. */
    readonly appHealthUrl: string;
    /** Prometheus base URL as the gate reaches it. */
    readonly prometheusUrl: string;
    /** Grafana base URL as the gate reaches it. */
    readonly grafanaUrl: string;
    /** Alertmanager base URL as the gate reaches it. */
    readonly alertmanagerUrl: string;
    /** Node Exporter base URL as the gate reaches it. */
    readonly nodeExporterUrl: string;
  };
  /** The monitoring stack. */
  readonly monitoring: {
    /** Scrape and evaluation interval in seconds. */
    readonly scrapeIntervalSeconds: number;
    /** Sample retention in days. */
    readonly retentionDays: number;
    /** Container images. */
    readonly images: ImageSet;
  };
  /** The application under rollout. */
  readonly app: {
    /** Whether the stack deploys the reference service. */
    readonly enabled: boolean;
    /** host:port of its metrics endpoint, as Prometheus reaches it (the `instance` label). */
    readonly metricsTarget: string;
    /** The `job` label of its scrape target; read together with `metricsTarget`. */
    readonly metricsJob: string;
    /** The label of `http_requests_total` that carries the HTTP status code. */
    readonly statusLabel: string;
  };
  /** How long the gate may wait for its answers. */
  readonly gate: {
    /** One request's deadline (connect, headers and the whole body), in milliseconds. */
    readonly requestTimeoutMs: number;
    /** The whole decision's deadline, retries included, in milliseconds. */
    readonly decisionTimeoutMs: number;
  };
  /** Where alerts go. */
  readonly alerting: {
    /** The deployment lead's e-mail address; empty when unset. */
    readonly deploymentLeadEmail: string;
    /** SMTP relay host:port; empty when unset. */
    readonly smtpSmarthost: string;
    /** Sender address; empty when unset. */
    readonly smtpFrom: string;
    /** SMTP user; empty when unset. */
    readonly smtpUsername: string;
    /** The runbook link every alert carries (the README's rollback section). */
    readonly runbookUrl: string;
  };
  /** The Kubernetes platform; read only when `platform` is kubernetes. */
  readonly kubernetes: {
    /** The namespace of the monitoring stack and flagd. */
    readonly namespace: string;
    /** plain manifests, or helm (the kube-prometheus-stack chart). */
    readonly mode: KubernetesMode;
    /** StorageClass of the data volumes; empty for the cluster's default class. */
    readonly storageClass: string;
    /** A namespace whose pods may reach the services (gate runner, ingress); empty for none. */
    readonly gateNamespace: string;
    /** Whether Node Exporter reads the host through hostPath mounts (privileged namespace). */
    readonly nodeExporterHostAccess: boolean;
    /** The kube-prometheus-stack chart version (helm mode). */
    readonly kubePrometheusStackVersion: string;
  };
  /** The people reports name and final sign-off asks to approve; empty when unset. */
  readonly roles: {
    /** The deployment lead's e-mail address (genesis:deploymentLeadEmail). */
    readonly deploymentLead: string;
    /** The on-call engineer's e-mail address. */
    readonly onCall: string;
    /** The security lead's e-mail address. */
    readonly securityLead: string;
  };
  /** Final sign-off (Gate 3). */
  readonly signoff: {
    /** Hours the stack must hold its SLOs at 100 % first. */
    readonly requiredHours: number;
    /** The roles that have approved. */
    readonly approvals: readonly SignoffRole[];
    /**
     * How far the sign-off period's P95 and error rate may exceed the pre-rollout baseline's,
     * in percent of the baseline (`genesis:signoffRegressionTolerancePercent`).
     */
    readonly regressionTolerancePercent: number;
  };
  /** Which secrets are set (their values never enter this object). */
  readonly secrets: {
    /** Grafana's admin password. */
    readonly grafanaAdminPassword: boolean;
    /** PagerDuty routing key. */
    readonly pagerDutyRoutingKey: boolean;
    /** SMTP password. */
    readonly smtpPassword: boolean;
  };
}

/** Raw configuration as Pulumi or a stack file gives it: keys without the namespace. */
export interface RawStackConfig {
  /** Non-secret values: strings from Pulumi, or typed values from a YAML stack file. */
  readonly values: Readonly<Record<string, unknown>>;
  /** For each secret key, whether and how it was set. */
  readonly secrets: Readonly<Record<string, SecretPresence>>;
  /**
   * Keys outside the project's namespace, in full (`docker:host`, or `rolloutPercentage`
   * without any), with their values: a key in a namespace this program does not use is a
   * typo, refused with the nearest known key.
   * @default none
   */
  readonly otherKeys?: Readonly<Record<string, unknown>>;
  /**
   * The project's keys (without namespace) the stack file itself sets, as opposed to
   * Pulumi.yaml defaults: production requires some to be set explicitly. Undefined when not
   * known (under the Pulumi CLI, which merges Pulumi.yaml's defaults before the program runs).
   * @default undefined (not checked)
   */
  readonly stackKeys?: readonly string[];
}

/**
 * The config namespaces a stack file may use: the project's own and those of the providers
 * the program uses (Pulumi's own `pulumi:` settings, docker, kubernetes, command).
 */
export const KNOWN_NAMESPACES: readonly string[] = Object.freeze([
  CONFIG_NAMESPACE,
  "pulumi",
  "docker",
  "kubernetes",
  "command",
]);

/** Every problem found in one stack configuration. */
export class ConfigError extends Error {
  /** One message per problem, each naming the key, the value and what is allowed. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid stack configuration:\n- ${problems.join("\n- ")}`);
    this.name = "ConfigError";
    this.problems = Object.freeze([...problems]);
  }
}

const DIGEST_PATTERN =
  /^[a-z0-9][a-z0-9._\-/:]*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[a-f0-9]{64}$/;
const IMAGE_PATTERN =
  /^[a-z0-9][a-z0-9._\-/:]*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[a-f0-9]{64})?$/;
const HOST_PORT_PATTERN = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
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

const integerFromText = (v: unknown): unknown =>
  typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
const decimalFromText = (v: unknown): unknown =>
  typeof v === "string" && /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/.test(v) ? Number(v) : v;
const booleanFromText = (v: unknown): unknown => (v === "true" ? true : v === "false" ? false : v);
const arrayFromText = (v: unknown): unknown => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

const integer = (min: number, max: number) =>
  z.preprocess(integerFromText, z.number().int().min(min).max(max));
const positiveDecimal = () =>
  z.preprocess(decimalFromText, z.number().positive().finite().max(100));
const boolean = () => z.preprocess(booleanFromText, z.boolean());
const text = () => z.string();
const image = () => z.string().regex(IMAGE_PATTERN);

/** Per key: the zod schema of its value and, for the error message, what is allowed. */
const RULES: Readonly<Record<string, { schema: z.ZodType; allowed: string }>> = {
  environment: { schema: z.enum(["staging", "production"]), allowed: "one of staging, production" },
  platform: { schema: z.enum(["docker", "kubernetes"]), allowed: "one of docker, kubernetes" },
  rolloutPercentage: { schema: integer(0, 100), allowed: "a whole number from 0 to 100" },
  rolloutSteps: {
    schema: z.preprocess(arrayFromText, z.array(z.preprocess(integerFromText, z.number().int()))),
    allowed: "a list of whole numbers such as [0,5,10,25,50,75,100]",
  },
  allowStepSkip: { schema: boolean(), allowed: "true or false" },
  autoRollback: { schema: boolean(), allowed: "true or false" },
  errorRateThresholdPercent: {
    schema: positiveDecimal(),
    allowed: "a positive number of percent, at most 100 (for example 1.0)",
  },
  latencyP95ThresholdMs: {
    schema: integer(1, 600_000),
    allowed: "a positive whole number of milliseconds",
  },
  errorRateObjectivePercent: {
    schema: positiveDecimal(),
    allowed: "a positive number of percent, at most 100 (for example 0.1)",
  },
  latencyP95ObjectiveMs: {
    schema: integer(1, 600_000),
    allowed: "a positive whole number of milliseconds",
  },
  validationWindowSeconds: {
    schema: integer(1, 7 * 24 * 3600),
    allowed: "a positive whole number of seconds",
  },
  scrapeIntervalSeconds: {
    schema: integer(1, 3600),
    allowed: "a whole number of seconds from 1 to 3600",
  },
  healthFailureLimit: { schema: integer(1, 100), allowed: "a whole number from 1 to 100" },
  minRequestCount: { schema: integer(1, 1_000_000_000), allowed: "a positive whole number" },
  canaryErrorMarginPercent: {
    schema: positiveDecimal(),
    allowed: "a positive number of percentage points, at most 100 (for example 0.5)",
  },
  cooldownSeconds: {
    schema: integer(0, 7 * 24 * 3600),
    allowed: "a whole number of seconds, 0 or more (0 means one validation window)",
  },
  gateOverrideReason: { schema: text(), allowed: "a sentence" },
  prometheusImage: { schema: image(), allowed: "repository:tag or repository:tag@sha256:<64 hex>" },
  grafanaImage: { schema: image(), allowed: "repository:tag or repository:tag@sha256:<64 hex>" },
  alertmanagerImage: {
    schema: image(),
    allowed: "repository:tag or repository:tag@sha256:<64 hex>",
  },
  nodeExporterImage: {
    schema: image(),
    allowed: "repository:tag or repository:tag@sha256:<64 hex>",
  },
  flagdImage: { schema: image(), allowed: "repository:tag or repository:tag@sha256:<64 hex>" },
  appImage: { schema: image(), allowed: "repository:tag or repository:tag@sha256:<64 hex>" },
  appEnabled: { schema: boolean(), allowed: "true or false" },
  appMetricsTarget: { schema: z.string().regex(HOST_PORT_PATTERN), allowed: "host:port" },
  appMetricsJob: {
    schema: z.string().regex(/^\S+$/).max(200),
    allowed: "a Prometheus job name without spaces (for example genesis-app)",
  },
  appStatusLabel: {
    schema: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
    allowed: "a Prometheus label name such as code or status",
  },
  gateRequestTimeoutMs: {
    schema: integer(100, 120_000),
    allowed: "a whole number of milliseconds from 100 to 120000",
  },
  gateDecisionTimeoutMs: {
    schema: integer(1000, 1_800_000),
    allowed: "a whole number of milliseconds from 1000 to 1800000",
  },
  appHealthUrl: { schema: z.url({ protocol: /^https?$/ }), allowed: "an http(s) URL" },
  prometheusUrl: { schema: z.url({ protocol: /^https?$/ }), allowed: "an http(s) URL" },
  grafanaUrl: { schema: z.url({ protocol: /^https?$/ }), allowed: "an http(s) URL" },
  alertmanagerUrl: { schema: z.url({ protocol: /^https?$/ }), allowed: "an http(s) URL" },
  nodeExporterUrl: { schema: z.url({ protocol: /^https?$/ }), allowed: "an http(s) URL" },
  prometheusRetentionDays: {
    schema: integer(1, 3650),
    allowed: "a whole number of days from 1 to 3650",
  },
  deploymentLeadEmail: {
    schema: z.union([z.literal(""), z.string().regex(EMAIL_PATTERN)]),
    allowed: "an e-mail address",
  },
  smtpSmarthost: {
    schema: z.union([z.literal(""), z.string().regex(HOST_PORT_PATTERN)]),
    allowed: "host:port",
  },
  smtpFrom: {
    schema: z.union([z.literal(""), z.string().regex(EMAIL_PATTERN)]),
    allowed: "an e-mail address",
  },
  smtpUsername: { schema: text(), allowed: "a user name" },
  kubernetesNamespace: {
    schema: z.string().regex(NAMESPACE_PATTERN),
    allowed: "a DNS label of at most 49 characters (lowercase letters, digits and -)",
  },
  kubernetesMode: { schema: z.enum(["plain", "helm"]), allowed: "one of plain, helm" },
  kubernetesStorageClass: {
    schema: z.union([z.literal(""), z.string().regex(DNS_SUBDOMAIN_PATTERN)]),
    allowed: "a StorageClass name (DNS subdomain), or empty for the cluster default",
  },
  kubernetesGateNamespace: {
    schema: z.union([z.literal(""), z.string().regex(DNS_LABEL_PATTERN)]),
    allowed: "a namespace name (DNS label), or empty for none",
  },
  kubernetesNodeExporterHostAccess: { schema: boolean(), allowed: "true or false" },
  kubePrometheusStackVersion: {
    schema: z.string().regex(SEMVER_PATTERN),
    allowed: "a chart version such as 67.8.0",
  },
  runbookUrl: {
    schema: z.string().regex(/^\S+$/),
    allowed: "a URL or a path with an anchor, without spaces (for example README.md#rolling-back)",
  },
  onCallEmail: {
    schema: z.union([z.literal(""), z.string().regex(EMAIL_PATTERN)]),
    allowed: "an e-mail address",
  },
  securityLeadEmail: {
    schema: z.union([z.literal(""), z.string().regex(EMAIL_PATTERN)]),
    allowed: "an e-mail address",
  },
  signoffHours: { schema: integer(1, 24 * 365), allowed: "a whole number of hours from 1 to 8760" },
  signoffRegressionTolerancePercent: {
    schema: integer(0, 1000),
    allowed: "a whole number of percent from 0 to 1000",
  },
  signoffApprovals: {
    schema: z.preprocess(
      arrayFromText,
      z.array(z.enum(["deployment-lead", "on-call", "security-lead"])),
    ),
    allowed: "a list of deployment-lead, on-call, security-lead",
  },
};

/** The images production refuses unless pinned by digest (the app is built locally). */
const DIGEST_REQUIRED_IN_PRODUCTION = [
  "prometheusImage",
  "grafanaImage",
  "alertmanagerImage",
  "nodeExporterImage",
  "flagdImage",
] as const;

const key = (name: string): string => `${CONFIG_NAMESPACE}:${name}`;

/**
 * Turns raw stack configuration into a typed, frozen {@link StackConfig}.
 *
 * Applies the defaults of {@link CONFIG_KEYS} (Pulumi's CLI applies Pulumi.yaml's, but tests
 * and the `genesis` command do not run through it), then checks every key and every rule
 * that spans keys. Throws a {@link ConfigError} listing all problems, each naming the key,
 * the value received and what is allowed.
 */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
  const problems: string[] = [];
  const known = new Map<string, ConfigKey>(CONFIG_KEYS.map((k) => [k.name, k]));

  for (const name of Object.keys(raw.values).sort()) {
    const def = known.get(name);
    if (def === undefined) {
      const near = nearestKey(name, [...known.keys()]);
      problems.push(
        `${key(name)} is not a known key; got ${describeGiven(raw.values[name])}; ${near !== undefined ? `did you mean ${key(near)}?` : "known keys are listed in Pulumi.yaml"}`,
      );
    } else if (def.secret === true) {
      problems.push(
        `${key(name)} is a secret and must be set with pulumi config set --secret ${key(name)} <value>; got a plain-text value`,
      );
    }
  }

  const parsed: Record<string, unknown> = {};
  for (const def of CONFIG_KEYS) {
    if (def.secret === true) continue;
    const given = Object.prototype.hasOwnProperty.call(raw.values, def.name);
    const value = given ? raw.values[def.name] : def.default;
    if (value === undefined) {
      problems.push(`${key(def.name)} is required: ${RULES[def.name].allowed}; got nothing`);
      continue;
    }
    const result = RULES[def.name].schema.safeParse(value);
    if (result.success) {
      parsed[def.name] = result.data;
    } else {
      problems.push(
        `${key(def.name)} must be ${RULES[def.name].allowed}; got ${formatValue(value)}`,
      );
    }
  }

  const secrets: Record<string, boolean> = {};
  const secretsGiven: Record<string, boolean> = {};
  for (const def of CONFIG_KEYS.filter((k) => k.secret === true)) {
    const presence = raw.secrets[def.name] ?? "absent";
    secretsGiven[def.name] = presence !== "absent";
    if (presence === "plaintext") {
      problems.push(
        `${key(def.name)} is a secret and must be set with pulumi config set --secret ${key(def.name)} <value>; got a plain-text value`,
      );
    }
    secrets[def.name] = presence === "encrypted";
  }

  problems.push(...otherKeyProblems(raw.otherKeys ?? {}));
  problems.push(...crossKeyProblems(parsed, secretsGiven));
  if (parsed.environment === "production" && raw.stackKeys !== undefined) {
    problems.push(...explicitKeyProblems(parsed, raw.stackKeys));
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return build(parsed, secrets);
}

/** A value as an unknown key's message quotes it: never an encrypted value's ciphertext. */
function describeGiven(value: unknown): string {
  return value !== null && typeof value === "object" && "secure" in value
    ? "an encrypted value"
    : formatValue(value);
}

/**
 * Keys outside the project's namespace: those of the providers the program uses pass; any
 * other, or a key without a namespace, is refused with the nearest known key.
 */
function otherKeyProblems(otherKeys: Readonly<Record<string, unknown>>): string[] {
  const projectKeys = CONFIG_KEYS.map((k) => key(k.name));
  const problems: string[] = [];
  for (const fullKey of Object.keys(otherKeys).sort()) {
    const colon = fullKey.indexOf(":");
    const namespace = colon < 0 ? undefined : fullKey.slice(0, colon);
    if (namespace !== undefined && KNOWN_NAMESPACES.includes(namespace)) continue;
    const got = describeGiven(otherKeys[fullKey]);
    if (namespace === undefined) {
      const near = nearestKey(
        fullKey,
        CONFIG_KEYS.map((k) => k.name),
      );
      problems.push(
        `${fullKey} has no namespace (a stack file key is <namespace>:<name>); got ${got}; ${near !== undefined ? `did you mean ${key(near)}?` : "known keys are listed in Pulumi.yaml"}`,
      );
      continue;
    }
    const rest = fullKey.slice(colon + 1);
    const candidates = [
      ...projectKeys,
      ...KNOWN_NAMESPACES.filter((n) => n !== CONFIG_NAMESPACE).map((n) => `${n}:${rest}`),
    ];
    const near = nearestKey(fullKey, candidates);
    problems.push(
      `${fullKey} is not a key this program reads: its namespace ${namespace} is none of ${KNOWN_NAMESPACES.join(", ")}; got ${got}${near !== undefined ? `; did you mean ${near}?` : ""}`,
    );
  }
  return problems;
}

/**
 * Production's live stage comes from its stack file, never from Pulumi.yaml's default of 0:
 * a stack file that lost the key would otherwise roll production back to 0 %.
 */
function explicitKeyProblems(p: Record<string, unknown>, stackKeys: readonly string[]): string[] {
  if (stackKeys.includes("rolloutPercentage")) return [];
  const steps = p.rolloutSteps as number[] | undefined;
  return [
    `${key("rolloutPercentage")} is required in production: set the live stage explicitly${steps !== undefined ? ` (one of ${steps.join(",")})` : ""} with pulumi config set ${key("rolloutPercentage")} <percent>; got nothing`,
  ];
}

/**
 * The rules that span keys; each looks only at keys that parsed. `secrets` tells which
 * secrets were given at all (a plain-text one is reported on its own, not as missing).
 */
function crossKeyProblems(p: Record<string, unknown>, secrets: Record<string, boolean>): string[] {
  const problems: string[] = [];
  const steps = p.rolloutSteps as number[] | undefined;
  let stepsValid = false;
  if (steps !== undefined) {
    const ascending = steps.every((s, i) => i === 0 || s > steps[i - 1]);
    const inRange = steps.every((s) => s >= 0 && s <= 100);
    if (
      steps.length < 2 ||
      steps[0] !== 0 ||
      steps[steps.length - 1] !== 100 ||
      !ascending ||
      !inRange
    ) {
      problems.push(
        `${key("rolloutSteps")} must be strictly ascending whole numbers starting at 0 and ending at 100; got ${formatValue(steps)}`,
      );
    } else {
      stepsValid = true;
    }
  }
  const gateNamespace = p.kubernetesGateNamespace as string | undefined;
  if (
    gateNamespace !== undefined &&
    gateNamespace !== "" &&
    gateNamespace === p.kubernetesNamespace
  ) {
    problems.push(
      `${key("kubernetesGateNamespace")} must name another namespace than ${key("kubernetesNamespace")} (pods inside it already reach the services it allows) or be empty; got ${formatValue(gateNamespace)}`,
    );
  }
  const percentage = p.rolloutPercentage as number | undefined;
  if (percentage !== undefined && stepsValid && !isStep(steps!, percentage)) {
    problems.push(
      `${key("rolloutPercentage")} must be one of ${steps!.join(",")}; got ${formatValue(percentage)}`,
    );
  }
  const windowSeconds = p.validationWindowSeconds as number | undefined;
  const scrape = p.scrapeIntervalSeconds as number | undefined;
  if (windowSeconds !== undefined && scrape !== undefined && windowSeconds < 4 * scrape) {
    problems.push(
      `${key("validationWindowSeconds")} must be at least 4 scrape intervals (4 x ${key("scrapeIntervalSeconds")} ${scrape} = ${4 * scrape}); got ${windowSeconds}`,
    );
  }
  for (const [objective, trigger, unit] of [
    ["errorRateObjectivePercent", "errorRateThresholdPercent", "%"],
    ["latencyP95ObjectiveMs", "latencyP95ThresholdMs", " ms"],
  ] as const) {
    const o = p[objective] as number | undefined;
    const t = p[trigger] as number | undefined;
    if (o !== undefined && t !== undefined && !(o < t)) {
      problems.push(
        `${key(objective)} must be below ${key(trigger)} (${t}${unit}): an objective is stricter than its rollback trigger; got ${o}${unit}`,
      );
    }
  }
  const requestMs = p.gateRequestTimeoutMs as number | undefined;
  const decisionMs = p.gateDecisionTimeoutMs as number | undefined;
  if (requestMs !== undefined && decisionMs !== undefined && decisionMs < requestMs) {
    problems.push(
      `${key("gateDecisionTimeoutMs")} must be at least ${key("gateRequestTimeoutMs")} (${requestMs}): a decision holds at least one request; got ${decisionMs}`,
    );
  }
  if (!secrets.grafanaAdminPassword) {
    problems.push(
      `${key("grafanaAdminPassword")} is required: set it with pulumi config set --secret ${key("grafanaAdminPassword")} <password>; got nothing`,
    );
  }
  if (p.environment === "production") {
    for (const name of DIGEST_REQUIRED_IN_PRODUCTION) {
      const value = p[name] as string | undefined;
      if (value !== undefined && !DIGEST_PATTERN.test(value)) {
        problems.push(
          `${key(name)} must be pinned by digest in production (repository:tag@sha256:<64 hex>); got ${formatValue(value)}; look the digest up with: docker buildx imagetools inspect ${value}`,
        );
      }
    }
    const requiredInProduction: [string, boolean][] = [
      ["deploymentLeadEmail", p.deploymentLeadEmail !== ""],
      ["smtpSmarthost", p.smtpSmarthost !== ""],
      ["smtpFrom", p.smtpFrom !== ""],
    ];
    for (const [name, present] of requiredInProduction) {
      if (!present) {
        problems.push(
          `${key(name)} is required in production: ${RULES[name].allowed}; got nothing`,
        );
      }
    }
    if (!secrets.pagerDutyRoutingKey) {
      problems.push(
        `${key("pagerDutyRoutingKey")} is required in production: set it with pulumi config set --secret ${key("pagerDutyRoutingKey")} <routing key>; got nothing`,
      );
    }
    if (p.smtpUsername !== "" && p.smtpUsername !== undefined && !secrets.smtpPassword) {
      problems.push(
        `${key("smtpPassword")} is required in production when ${key("smtpUsername")} is set: set it with pulumi config set --secret ${key("smtpPassword")} <password>; got nothing`,
      );
    }
  }
  return problems;
}

function build(p: Record<string, unknown>, secrets: Record<string, boolean>): StackConfig {
  const windowSeconds = p.validationWindowSeconds as number;
  const cooldown = p.cooldownSeconds as number;
  return deepFreeze({
    namespace: CONFIG_NAMESPACE,
    environment: p.environment as Environment,
    platform: p.platform as Platform,
    rollout: {
      percentage: p.rolloutPercentage as number,
      steps: p.rolloutSteps as number[],
      allowStepSkip: p.allowStepSkip as boolean,
      autoRollback: p.autoRollback as boolean,
      cooldownSeconds: cooldown === 0 ? windowSeconds : cooldown,
      overrideReason: (p.gateOverrideReason as string).trim(),
    },
    slo: {
      errorRateThresholdPercent: p.errorRateThresholdPercent as number,
      latencyP95ThresholdMs: p.latencyP95ThresholdMs as number,
      errorRateObjectivePercent: p.errorRateObjectivePercent as number,
      latencyP95ObjectiveMs: p.latencyP95ObjectiveMs as number,
      validationWindowSeconds: windowSeconds,
      minRequestCount: p.minRequestCount as number,
      canaryErrorMarginPercent: p.canaryErrorMarginPercent as number,
    },
    health: {
      failureLimit: p.healthFailureLimit as number,
      appHealthUrl: p.appHealthUrl as string,
      prometheusUrl: p.prometheusUrl as string,
      grafanaUrl: p.grafanaUrl as string,
      alertmanagerUrl: p.alertmanagerUrl as string,
      nodeExporterUrl: p.nodeExporterUrl as string,
    },
    monitoring: {
      scrapeIntervalSeconds: p.scrapeIntervalSeconds as number,
      retentionDays: p.prometheusRetentionDays as number,
      images: {
        prometheus: p.prometheusImage as string,
        grafana: p.grafanaImage as string,
        alertmanager: p.alertmanagerImage as string,
        nodeExporter: p.nodeExporterImage as string,
        flagd: p.flagdImage as string,
        app: p.appImage as string,
      },
    },
    app: {
      enabled: p.appEnabled as boolean,
      metricsTarget: p.appMetricsTarget as string,
      metricsJob: p.appMetricsJob as string,
      statusLabel: p.appStatusLabel as string,
    },
    gate: {
      requestTimeoutMs: p.gateRequestTimeoutMs as number,
      decisionTimeoutMs: p.gateDecisionTimeoutMs as number,
    },
    alerting: {
      deploymentLeadEmail: p.deploymentLeadEmail as string,
      smtpSmarthost: p.smtpSmarthost as string,
      smtpFrom: p.smtpFrom as string,
      smtpUsername: p.smtpUsername as string,
      runbookUrl: p.runbookUrl as string,
    },
    kubernetes: {
      namespace: p.kubernetesNamespace as string,
      mode: p.kubernetesMode as KubernetesMode,
      storageClass: p.kubernetesStorageClass as string,
      gateNamespace: p.kubernetesGateNamespace as string,
      nodeExporterHostAccess: p.kubernetesNodeExporterHostAccess as boolean,
      kubePrometheusStackVersion: p.kubePrometheusStackVersion as string,
    },
    roles: {
      deploymentLead: p.deploymentLeadEmail as string,
      onCall: p.onCallEmail as string,
      securityLead: p.securityLeadEmail as string,
    },
    signoff: {
      requiredHours: p.signoffHours as number,
      approvals: [...new Set(p.signoffApprovals as SignoffRole[])],
      regressionTolerancePercent: p.signoffRegressionTolerancePercent as number,
    },
    secrets: {
      grafanaAdminPassword: secrets.grafanaAdminPassword,
      pagerDutyRoutingKey: secrets.pagerDutyRoutingKey,
      smtpPassword: secrets.smtpPassword,
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value as object)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
