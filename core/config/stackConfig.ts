/**
 * Raw stack configuration in, one typed and frozen {@link StackConfig} out, or a
 * {@link ConfigError} that lists every problem at once. Pure: no Pulumi, no I/O.
 */
import { z } from "zod";
import {
  CatalogueEntry,
  CatalogueKey,
  CONFIG_KEYS,
  CONFIG_NAMESPACE,
  ConfigKeyName,
  ParsedValues,
} from "./configKeys";
import { ConfigRule, DIGEST_PATTERN } from "./configRules";
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

/** A key as messages name it: `genesis:<name>`; a misspelt name does not compile. */
const key = (name: ConfigKeyName): string => namespaced(name);
/** Any name with the project's namespace, for names that come from the input. */
const namespaced = (name: string): string => `${CONFIG_NAMESPACE}:${name}`;

/** The name of a secret key of the catalogue. */
type SecretKeyName = Extract<CatalogueEntry, { secret: true }>["name"];

/*
 * The compile-time proof that the catalogue fills StackConfig exactly: every key's field
 * exists and takes the type its rule outputs (a secret's: a boolean), and every field but
 * `namespace` is filled by some key. `build` returns through {@link asStackConfig}, which
 * compiles only when the proof holds; otherwise the compiler names the key or field that
 * is wrong. (That no field is filled twice is checked by
 * test/core/config/configCatalogue.test.ts.)
 */
type Leaf = string | number | boolean | readonly unknown[];
/** Every leaf field of `T` as a dotted path, such as `gate.requestTimeoutMs`. */
type FieldPath<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends Leaf ? `${Prefix}${K}` : FieldPath<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
/** The type of the field of `T` at the dotted path `P`; never when there is none. */
type FieldType<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? FieldType<T[Head], Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;
/** The fields one catalogue entry fills. */
type FieldsOf<E> = E extends { field: infer F } ? (F extends readonly (infer G)[] ? G : F) : never;
/** The value one catalogue entry fills its fields with. */
type ValueOf<E> = E extends { rule: ConfigRule<infer S> } ? z.output<S> : boolean;
/** For each entry whose value does not fit one of its fields: which and where. */
type WrongField<E> = E extends CatalogueEntry
  ? FieldsOf<E> extends infer F
    ? F extends string
      ? [ValueOf<E>] extends [FieldType<StackConfig, F>]
        ? never
        : `genesis:${E["name"]} does not fit StackConfig field ${F}`
      : never
    : never
  : never;
/** Every problem between the catalogue and StackConfig; never when they match. */
type CatalogueMismatch =
  | WrongField<CatalogueEntry>
  | `StackConfig field ${Exclude<FieldPath<StackConfig>, FieldsOf<CatalogueEntry> | "namespace">} is filled by no key`;
/**
 * The assembled draft as a StackConfig. Compiles only when `Mismatch` is never, that is when
 * the catalogue fills StackConfig exactly; otherwise the compiler lists each mismatch. (The
 * rest parameter only gives the type parameter a use: it takes nothing.)
 */
function asStackConfig<Mismatch extends never>(
  draft: Record<string, unknown>,
  ..._mismatches: Mismatch[]
): StackConfig {
  return draft as unknown as StackConfig;
}

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
  const known = new Map<string, CatalogueKey>(CONFIG_KEYS.map((k) => [k.name, k]));

  for (const name of Object.keys(raw.values).sort()) {
    const def = known.get(name);
    if (def === undefined) {
      const near = nearestKey(name, [...known.keys()]);
      problems.push(
        `${namespaced(name)} is not a known key; got ${describeGiven(raw.values[name])}; ${near !== undefined ? `did you mean ${namespaced(near)}?` : "known keys are listed in Pulumi.yaml"}`,
      );
    } else if (def.secret === true) {
      problems.push(
        `${namespaced(name)} is a secret and must be set with pulumi config set --secret ${namespaced(name)} <value>; got a plain-text value`,
      );
    }
  }

  const parsed: Record<string, unknown> = {};
  for (const def of CONFIG_KEYS) {
    if (def.secret === true) continue;
    const given = Object.prototype.hasOwnProperty.call(raw.values, def.name);
    const value = given ? raw.values[def.name] : def.default;
    if (value === undefined) {
      problems.push(`${namespaced(def.name)} is required: ${def.rule.allowed}; got nothing`);
      continue;
    }
    const result = def.rule.schema.safeParse(value);
    if (result.success) {
      parsed[def.name] = result.data;
    } else {
      problems.push(
        `${namespaced(def.name)} must be ${def.rule.allowed}; got ${formatValue(value)}`,
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
        `${namespaced(def.name)} is a secret and must be set with pulumi config set --secret ${namespaced(def.name)} <value>; got a plain-text value`,
      );
    }
    secrets[def.name] = presence === "encrypted";
  }

  // Each value is what its key's schema output: ParsedValues by construction.
  const values = parsed as ParsedValues;
  problems.push(...otherKeyProblems(raw.otherKeys ?? {}));
  problems.push(...crossKeyProblems(values, secretsGiven as Record<SecretKeyName, boolean>));
  if (values.environment === "production" && raw.stackKeys !== undefined) {
    problems.push(...explicitKeyProblems(values, raw.stackKeys));
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
  const projectKeys = CONFIG_KEYS.map((k) => namespaced(k.name));
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
        `${fullKey} has no namespace (a stack file key is <namespace>:<name>); got ${got}; ${near !== undefined ? `did you mean ${namespaced(near)}?` : "known keys are listed in Pulumi.yaml"}`,
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
function explicitKeyProblems(p: ParsedValues, stackKeys: readonly string[]): string[] {
  const percentage: ConfigKeyName = "rolloutPercentage";
  if (stackKeys.includes(percentage)) return [];
  const steps = p.rolloutSteps;
  return [
    `${key(percentage)} is required in production: set the live stage explicitly${steps !== undefined ? ` (one of ${steps.join(",")})` : ""} with pulumi config set ${key(percentage)} <percent>; got nothing`,
  ];
}

/**
 * The rules that span keys; each looks only at keys that parsed. `secrets` tells which
 * secrets were given at all (a plain-text one is reported on its own, not as missing).
 */
function crossKeyProblems(
  p: ParsedValues,
  secrets: Readonly<Record<SecretKeyName, boolean>>,
): string[] {
  const problems: string[] = [];
  const steps = p.rolloutSteps;
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
  const gateNamespace = p.kubernetesGateNamespace;
  if (
    gateNamespace !== undefined &&
    gateNamespace !== "" &&
    gateNamespace === p.kubernetesNamespace
  ) {
    problems.push(
      `${key("kubernetesGateNamespace")} must name another namespace than ${key("kubernetesNamespace")} (pods inside it already reach the services it allows) or be empty; got ${formatValue(gateNamespace)}`,
    );
  }
  const percentage = p.rolloutPercentage;
  if (percentage !== undefined && stepsValid && !isStep(steps!, percentage)) {
    problems.push(
      `${key("rolloutPercentage")} must be one of ${steps!.join(",")}; got ${formatValue(percentage)}`,
    );
  }
  const windowSeconds = p.validationWindowSeconds;
  const scrape = p.scrapeIntervalSeconds;
  if (windowSeconds !== undefined && scrape !== undefined && windowSeconds < 4 * scrape) {
    problems.push(
      `${key("validationWindowSeconds")} must be at least 4 scrape intervals (4 x ${key("scrapeIntervalSeconds")} ${scrape} = ${4 * scrape}); got ${windowSeconds}`,
    );
  }
  for (const [objective, trigger, unit] of [
    ["errorRateObjectivePercent", "errorRateThresholdPercent", "%"],
    ["latencyP95ObjectiveMs", "latencyP95ThresholdMs", " ms"],
  ] as const) {
    const o = p[objective];
    const t = p[trigger];
    if (o !== undefined && t !== undefined && !(o < t)) {
      problems.push(
        `${key(objective)} must be below ${key(trigger)} (${t}${unit}): an objective is stricter than its rollback trigger; got ${o}${unit}`,
      );
    }
  }
  const requestMs = p.gateRequestTimeoutMs;
  const decisionMs = p.gateDecisionTimeoutMs;
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
    // The catalogue marks the keys production holds to more: first the images, then the
    // keys that must be set (the order the problems are listed in).
    const byName: Readonly<Record<string, unknown>> = p;
    for (const def of CONFIG_KEYS) {
      const value = byName[def.name];
      if (
        def.secret !== true &&
        def.digestInProduction === true &&
        typeof value === "string" &&
        !DIGEST_PATTERN.test(value)
      ) {
        problems.push(
          `${namespaced(def.name)} must be pinned by digest in production (repository:tag@sha256:<64 hex>); got ${formatValue(value)}; look the digest up with: docker buildx imagetools inspect ${value}`,
        );
      }
    }
    for (const def of CONFIG_KEYS) {
      if (def.secret !== true && def.requiredInProduction === true && byName[def.name] === "") {
        problems.push(
          `${namespaced(def.name)} is required in production: ${def.rule.allowed}; got nothing`,
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

/**
 * Assembles the typed config from the catalogue: each key's value goes to its field(s), a
 * secret's field says whether it was set encrypted. No key is named here.
 */
function build(
  parsed: Readonly<Record<string, unknown>>,
  secrets: Readonly<Record<string, boolean>>,
): StackConfig {
  const draft: Record<string, unknown> = { namespace: CONFIG_NAMESPACE };
  for (const def of CONFIG_KEYS) {
    const value = def.secret === true ? secrets[def.name] : parsed[def.name];
    for (const field of typeof def.field === "string" ? [def.field] : def.field) {
      setField(draft, field, value);
    }
  }
  const config = asStackConfig<CatalogueMismatch>(draft);
  const { rollout, slo } = config;
  return deepFreeze({
    ...config,
    rollout: {
      ...rollout,
      // A cool-down of 0 means one validation window.
      cooldownSeconds:
        rollout.cooldownSeconds === 0 ? slo.validationWindowSeconds : rollout.cooldownSeconds,
    },
  });
}

/** Sets `target`'s field at a dotted path, creating the objects on the way. */
function setField(target: Record<string, unknown>, field: string, value: unknown): void {
  const path = field.split(".");
  let node = target;
  for (const part of path.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value as object)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
