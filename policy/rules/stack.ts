/**
 * The pack's stack-level rules: what only the whole stack shows. Every Kubernetes
 * namespace has a default NetworkPolicy; secret material is never plain text in state;
 * Grafana refuses sign-up and anonymous access; Prometheus and Alertmanager serve no admin,
 * lifecycle or remote-write endpoint. Pure functions of the resources' inputs.
 */
import {
  JudgedResource,
  RuleDefinition,
  StackFinding,
  record,
  records,
  show,
  stackRule,
  strings,
} from "../rule";
import { CONFIG_INIT_LABEL, DOCKER_CONTAINER, containerName, dockerLabel } from "./docker";
import { WORKLOAD_TYPES, namespaceOf, objectName, workloadOf } from "./kubernetes";

/** The Kubernetes Namespace type. */
export const K8S_NAMESPACE = "kubernetes:core/v1:Namespace";
/** The Kubernetes NetworkPolicy type. */
export const K8S_NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
/** The Kubernetes ConfigMap type. */
export const K8S_CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/** Names of keys and variables that hold secret material. */
const SECRET_NAME =
  /(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|routing[_-]?key|credential)/i;
/** A path inside a `secrets` directory: where the program places secret files. */
const SECRET_FILE_PATH = /(^|\/)secrets\//;

/** Flags that open Prometheus' write or admin endpoints (Alertmanager has none of them). */
export const FORBIDDEN_MONITORING_FLAGS: readonly string[] = Object.freeze([
  "--web.enable-admin-api",
  "--web.enable-lifecycle",
  "--web.enable-remote-write-receiver",
  "--enable-feature=remote-write-receiver",
]);

/** The values Prometheus's boolean flags read as false (Go's `strconv.ParseBool`). */
const FALSE_VALUES: ReadonlySet<string> = new Set(["0", "f", "F", "false", "FALSE", "False"]);

/** Whether a comma-separated feature list turns on the remote-write receiver. */
const enablesRemoteWrite = (features: string): boolean =>
  features.split(",").some((f) => f.trim() === "remote-write-receiver");

/**
 * The arguments of `argv` that turn on one of {@link FORBIDDEN_MONITORING_FLAGS}, as written:
 * a flag alone or with a value that is not false (`--web.enable-lifecycle=true`; a value
 * Prometheus cannot read stops it from starting, and is refused too), and the feature list
 * in either spelling (`--enable-feature=a,remote-write-receiver`, or
 * `--enable-feature remote-write-receiver` as two arguments, shown joined by a space).
 */
export function forbiddenMonitoringArgs(argv: readonly string[]): string[] {
  const found: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === "--enable-feature") {
      const next = argv[i + 1];
      if (next !== undefined && enablesRemoteWrite(next)) found.push(`${arg} ${next}`);
      return;
    }
    if (arg.startsWith("--enable-feature=")) {
      if (enablesRemoteWrite(arg.slice("--enable-feature=".length))) found.push(arg);
      return;
    }
    const on = FORBIDDEN_MONITORING_FLAGS.some(
      (f) => arg === f || (arg.startsWith(`${f}=`) && !FALSE_VALUES.has(arg.slice(f.length + 1))),
    );
    if (on) found.push(arg);
  });
  return found;
}

/** Grafana settings the stack must pin off, by environment variable. */
export const GRAFANA_REQUIRED_ENV: Readonly<Record<string, string>> = Object.freeze({
  GF_USERS_ALLOW_SIGN_UP: "false",
  GF_AUTH_ANONYMOUS_ENABLED: "false",
});

/** One container of the stack, Docker or Kubernetes, as the service rules read it. */
interface ServiceContainer {
  /** For messages: the Docker container's name, or `Kind ns/name container c`. */
  readonly id: string;
  readonly urn: string;
  /** What identifies the service: its image reference (Kubernetes) and its name. */
  readonly image: string;
  /** Entrypoint, command and args together. */
  readonly argv: readonly string[];
  /** Where the argv lives, for messages. */
  readonly argvField: string;
  /** Environment as name -> value (a value from a reference is ""). */
  readonly env: ReadonlyMap<string, string>;
  /** Where the environment lives, for messages. */
  readonly envField: string;
}

/** Every long-running service container of the stack (config-init containers left out). */
function serviceContainers(resources: readonly JudgedResource[]): ServiceContainer[] {
  const out: ServiceContainer[] = [];
  for (const r of resources) {
    if (r.type === DOCKER_CONTAINER) {
      if (dockerLabel(r.props, CONFIG_INIT_LABEL.label) === CONFIG_INIT_LABEL.value) continue;
      const env = new Map<string, string>();
      for (const e of strings(r.props.envs)) {
        const at = e.indexOf("=");
        env.set(at < 0 ? e : e.slice(0, at), at < 0 ? "" : e.slice(at + 1));
      }
      out.push({
        id: containerName(r),
        urn: r.urn,
        // Not the image: a preview does not know a pulled image's id yet.
        image: containerName(r),
        argv: [...strings(r.props.entrypoints), ...strings(r.props.command)],
        argvField: "command",
        env,
        envField: "envs",
      });
      continue;
    }
    const w = WORKLOAD_TYPES.includes(r.type) ? workloadOf(r) : undefined;
    if (w === undefined) continue;
    for (const c of w.containers) {
      const env = new Map<string, string>();
      for (const e of records(c.spec.env)) {
        if (typeof e.name === "string") env.set(e.name, typeof e.value === "string" ? e.value : "");
      }
      out.push({
        id: `${w.id} container ${c.name}`,
        urn: r.urn,
        image: `${String(c.spec.image ?? "")} ${c.name}`,
        argv: [...strings(c.spec.command), ...strings(c.spec.args)],
        argvField: `${c.path}.command/args`,
        env,
        envField: `${c.path}.env`,
      });
    }
  }
  return out;
}

/** Whether a container is Grafana: by image or name, or by its GF_ settings. */
function isGrafana(c: ServiceContainer): boolean {
  return /grafana/i.test(c.image) || [...c.env.keys()].some((k) => k.startsWith("GF_"));
}

/** The stack rules. */
export const STACK_RULES: readonly RuleDefinition[] = Object.freeze([
  stackRule({
    name: "k8s-namespace-network-policy",
    description:
      "Every Kubernetes namespace the stack uses has a NetworkPolicy selecting all its pods for Ingress and Egress",
    scope: "stack",
    control: "genesis baseline",
    check: (resources) => {
      const namespaces = new Map<string, string>();
      for (const r of resources) {
        if (r.type === K8S_NAMESPACE) namespaces.set(objectName(r), r.urn);
        else if (WORKLOAD_TYPES.includes(r.type) && !namespaces.has(namespaceOf(r.props))) {
          namespaces.set(namespaceOf(r.props), r.urn);
        }
      }
      const covered = new Set<string>();
      for (const r of resources) {
        if (r.type !== K8S_NETWORK_POLICY) continue;
        const spec = record(r.props.spec);
        const selector = record(spec.podSelector);
        const selectsAll =
          Object.keys(record(selector.matchLabels)).length === 0 &&
          records(selector.matchExpressions).length === 0;
        const types = strings(spec.policyTypes);
        if (selectsAll && types.includes("Ingress") && types.includes("Egress")) {
          covered.add(namespaceOf(r.props));
        }
      }
      return [...namespaces]
        .filter(([ns]) => !covered.has(ns))
        .map(([ns, urn]) => ({
          message: `namespace ${ns}: no NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress]; declare a default-deny policy there and allow only the flows needed`,
          urn,
        }));
    },
  }),
  stackRule({
    name: "stack-secrets-never-plain",
    description:
      "Secret material is never plain text: secret files are secret outputs, Kubernetes secrets live in Secrets, never in ConfigMaps or literal env values",
    scope: "stack",
    control: "CIS Docker 4.10",
    check: (resources) => {
      const out: StackFinding[] = [];
      for (const r of resources) {
        if (r.type === DOCKER_CONTAINER) {
          records(r.props.uploads).forEach((u, i) => {
            if (
              typeof u.file === "string" &&
              SECRET_FILE_PATH.test(u.file) &&
              !r.additionalSecretOutputs.includes("uploads")
            ) {
              out.push({
                message: `${containerName(r)}: uploads[${i}] places secret file ${show(u.file)} but additionalSecretOutputs is ${show(r.additionalSecretOutputs)}; list "uploads" so state keeps it encrypted`,
                urn: r.urn,
              });
            }
          });
        } else if (r.type === K8S_CONFIG_MAP) {
          for (const field of ["data", "binaryData"]) {
            for (const key of Object.keys(record(r.props[field]))) {
              if (SECRET_NAME.test(key)) {
                out.push({
                  message: `ConfigMap ${namespaceOf(r.props)}/${objectName(r)}: ${field}.${key} looks like a secret; put it in a Secret and mount it as a file`,
                  urn: r.urn,
                });
              }
            }
          }
        }
      }
      for (const c of serviceContainers(resources)) {
        if (!c.envField.endsWith(".env")) continue;
        for (const [name, value] of c.env) {
          if (SECRET_NAME.test(name) && !/_FILE$/i.test(name) && value !== "") {
            out.push({
              message: `${c.id}: ${c.envField} sets ${name} to a literal value; mount the Secret as a file and pass its path`,
              urn: c.urn,
            });
          }
        }
      }
      return out;
    },
  }),
  stackRule({
    name: "grafana-no-signup-no-anonymous",
    description: "Grafana sets GF_USERS_ALLOW_SIGN_UP=false and GF_AUTH_ANONYMOUS_ENABLED=false",
    scope: "stack",
    control: "genesis baseline",
    check: (resources) =>
      serviceContainers(resources)
        .filter(isGrafana)
        .flatMap((c) =>
          Object.entries(GRAFANA_REQUIRED_ENV)
            .filter(([name, value]) => c.env.get(name) !== value)
            .map(([name, value]) => ({
              message: `${c.id}: ${c.envField} sets ${name} to ${show(c.env.get(name))}; it must be ${show(value)}`,
              urn: c.urn,
            })),
        ),
  }),
  stackRule({
    name: "monitoring-no-admin-endpoints",
    description:
      "No container enables Prometheus' admin API, lifecycle (reload/quit) or remote-write receiver",
    scope: "stack",
    control: "genesis baseline",
    check: (resources) =>
      serviceContainers(resources).flatMap((c) =>
        forbiddenMonitoringArgs(c.argv).map((a) => ({
          message: `${c.id}: ${c.argvField} has ${show(a)}; remove it (allowed: none of ${FORBIDDEN_MONITORING_FLAGS.join(", ")})`,
          urn: c.urn,
        })),
      ),
  }),
]);
