/**
 * The pack's Kubernetes rules: Pod Security Standards "restricted" for every workload
 * (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob), resource limits, and
 * one scoped exception for the Node Exporter DaemonSet's read-only host paths.
 * Pure functions of the resources' inputs.
 */
import {
  JudgedResource,
  RuleDefinition,
  record,
  records,
  resourceRule,
  show,
  strings,
} from "../rule";

/** The workload types whose pod spec the rules judge, and where each keeps it. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
});

/** The workload types. */
export const WORKLOAD_TYPES: readonly string[] = Object.freeze(Object.keys(POD_SPEC_PATHS));

/** The DaemonSet type: the only one the host-metrics exception may apply to. */
export const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";

/**
 * The pod label that asks for the host-metrics exception (Node Exporter). It is granted only
 * to a DaemonSet whose hostPath volumes are all in {@link HOST_METRICS_PATHS} and mounted
 * read-only, without host network or PID.
 */
export const HOST_METRICS_LABEL = Object.freeze({ label: "genesis.role", value: "host-metrics" });

/** The host paths the host-metrics exception allows, read-only. */
export const HOST_METRICS_PATHS: readonly string[] = Object.freeze(["/proc", "/sys", "/"]);

/** Capabilities PSS restricted lets a container add back. */
const ADDABLE_CAPABILITIES = new Set(["NET_BIND_SERVICE"]);

/** A container of a pod spec, with where it sits. */
interface PodContainer {
  readonly path: string;
  readonly name: string;
  readonly spec: Readonly<Record<string, unknown>>;
}

/** A workload's pod spec and names, as the rules read them. */
export interface Workload {
  /** `Kind namespace/name`, for messages. */
  readonly id: string;
  /** The path of the pod spec, e.g. `spec.template.spec`. */
  readonly path: string;
  /** The pod spec. */
  readonly pod: Readonly<Record<string, unknown>>;
  /** The pod's labels (the template's, or the Pod's own). */
  readonly podLabels: Readonly<Record<string, unknown>>;
  /** Every container: containers, initContainers, ephemeralContainers. */
  readonly containers: readonly PodContainer[];
}

/** The namespace a namespaced object is in: `metadata.namespace`, else "default". */
export function namespaceOf(props: Readonly<Record<string, unknown>>): string {
  const ns = record(props.metadata).namespace;
  return typeof ns === "string" && ns !== "" ? ns : "default";
}

/** The object's name: `metadata.name`, else the Pulumi resource name (auto-naming). */
export function objectName(r: JudgedResource): string {
  const name = record(r.props.metadata).name;
  return typeof name === "string" && name !== "" ? name : r.name;
}

/** Reads the workload out of `r`, or undefined when `r` is no workload. */
export function workloadOf(r: JudgedResource): Workload | undefined {
  const path = POD_SPEC_PATHS[r.type];
  if (path === undefined) return undefined;
  // The object that carries the pod's metadata and spec: the Pod itself, or its template.
  const holder = path.slice(0, -1).reduce((o, key) => record(o[key]), r.props);
  const podSpec = record(holder[path[path.length - 1]]);
  const kind = r.type.split(":")[2];
  const containers: PodContainer[] = [];
  for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
    records(podSpec[field]).forEach((c, i) => {
      containers.push({
        path: `${path.join(".")}.${field}[${i}]`,
        name: typeof c.name === "string" ? c.name : `${field}[${i}]`,
        spec: c,
      });
    });
  }
  return {
    id: `${kind} ${namespaceOf(r.props)}/${objectName(r)}`,
    path: path.join("."),
    pod: podSpec,
    podLabels: record(record(holder.metadata).labels),
    containers,
  };
}

/** Builds a rule over every workload's pod spec. */
function workloadRule(spec: {
  name: string;
  description: string;
  control: string;
  check: (w: Workload, r: JudgedResource) => string[];
}): RuleDefinition {
  return resourceRule({
    name: spec.name,
    description: spec.description,
    scope: "kubernetes",
    control: spec.control,
    types: WORKLOAD_TYPES,
    check: (r) => {
      const w = workloadOf(r);
      return w === undefined ? [] : spec.check(w, r);
    },
  });
}

/**
 * Why the workload does not qualify for the host-metrics exception; empty when it does.
 * Undefined when it does not ask for it (no label).
 */
export function hostMetricsProblems(w: Workload, type: string): string[] | undefined {
  if (w.podLabels[HOST_METRICS_LABEL.label] !== HOST_METRICS_LABEL.value) return undefined;
  const problems: string[] = [];
  if (type !== DAEMON_SET) problems.push("it is not a DaemonSet");
  if (w.pod.hostNetwork === true) problems.push("hostNetwork is true");
  if (w.pod.hostPID === true) problems.push("hostPID is true");
  const hostVolumes = new Map<string, string>();
  for (const v of records(w.pod.volumes)) {
    const hostPath = record(v.hostPath).path;
    if (typeof hostPath === "string" && typeof v.name === "string")
      hostVolumes.set(v.name, hostPath);
  }
  for (const [name, path] of hostVolumes) {
    if (!HOST_METRICS_PATHS.includes(path)) {
      problems.push(
        `volume ${name} is hostPath ${show(path)} (allowed: ${HOST_METRICS_PATHS.join(", ")})`,
      );
    }
  }
  for (const c of w.containers) {
    records(c.spec.volumeMounts).forEach((m, i) => {
      if (typeof m.name === "string" && hostVolumes.has(m.name) && m.readOnly !== true) {
        problems.push(`${c.path}.volumeMounts[${i}] mounts ${m.name} writable (must be readOnly)`);
      }
    });
  }
  return problems;
}

const pss = "PSS restricted";

/** The Kubernetes resource rules. */
export const KUBERNETES_RULES: readonly RuleDefinition[] = Object.freeze([
  workloadRule({
    name: "k8s-run-as-non-root",
    description: "Pods and containers run as non-root (runAsNonRoot true, never uid 0)",
    control: pss,
    check: (w) => {
      const out: string[] = [];
      const podCtx = record(w.pod.securityContext);
      const podNonRoot = podCtx.runAsNonRoot === true;
      if (podCtx.runAsUser === 0) {
        out.push(`${w.id}: ${w.path}.securityContext.runAsUser is 0; use a non-zero uid (${pss})`);
      }
      for (const c of w.containers) {
        const ctx = record(c.spec.securityContext);
        if (ctx.runAsNonRoot === false || (!podNonRoot && ctx.runAsNonRoot !== true)) {
          out.push(
            `${w.id}: ${c.path}.securityContext.runAsNonRoot is ${show(ctx.runAsNonRoot)} and the pod's is ${show(podCtx.runAsNonRoot)}; set runAsNonRoot true (${pss})`,
          );
        }
        if (ctx.runAsUser === 0) {
          out.push(
            `${w.id}: ${c.path}.securityContext.runAsUser is 0; use a non-zero uid (${pss})`,
          );
        }
      }
      return out;
    },
  }),
  workloadRule({
    name: "k8s-no-privilege-escalation",
    description: "Containers set allowPrivilegeEscalation false and are never privileged",
    control: pss,
    check: (w) =>
      w.containers.flatMap((c) => {
        const ctx = record(c.spec.securityContext);
        const out: string[] = [];
        if (ctx.allowPrivilegeEscalation !== false) {
          out.push(
            `${w.id}: ${c.path}.securityContext.allowPrivilegeEscalation is ${show(ctx.allowPrivilegeEscalation)}; set it to false (${pss})`,
          );
        }
        if (ctx.privileged === true) {
          out.push(
            `${w.id}: ${c.path}.securityContext.privileged is true; it must be false (${pss})`,
          );
        }
        return out;
      }),
  }),
  workloadRule({
    name: "k8s-drop-all-capabilities",
    description: "Containers drop ALL capabilities and add back NET_BIND_SERVICE at most",
    control: pss,
    check: (w) =>
      w.containers.flatMap((c) => {
        const caps = record(record(c.spec.securityContext).capabilities);
        const out: string[] = [];
        const drop = strings(caps.drop);
        if (!drop.includes("ALL")) {
          out.push(
            `${w.id}: ${c.path}.securityContext.capabilities.drop is ${show(drop)}; it must include "ALL" (${pss})`,
          );
        }
        strings(caps.add).forEach((a, i) => {
          if (!ADDABLE_CAPABILITIES.has(a)) {
            out.push(
              `${w.id}: ${c.path}.securityContext.capabilities.add[${i}] is ${show(a)}; only NET_BIND_SERVICE may be added (${pss})`,
            );
          }
        });
        return out;
      }),
  }),
  workloadRule({
    name: "k8s-seccomp-runtime-default",
    description: "Pods use the RuntimeDefault (or a Localhost) seccomp profile, never Unconfined",
    control: pss,
    check: (w) => {
      const allowed = ["RuntimeDefault", "Localhost"];
      const podType = record(record(w.pod.securityContext).seccompProfile).type;
      const out: string[] = [];
      for (const c of w.containers) {
        const type = record(record(c.spec.securityContext).seccompProfile).type;
        const effective = type ?? podType;
        if (!allowed.includes(effective as string)) {
          out.push(
            `${w.id}: ${type === undefined ? `${w.path}.securityContext` : `${c.path}.securityContext`}.seccompProfile.type is ${show(effective)} for container ${c.name}; set RuntimeDefault (${pss})`,
          );
        }
      }
      return [...new Set(out)];
    },
  }),
  workloadRule({
    name: "k8s-no-host-namespaces",
    description: "Pods never use the host's network, PID or IPC namespace, nor host ports",
    control: pss,
    check: (w) => {
      const out: string[] = [];
      for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (w.pod[field] === true) {
          out.push(`${w.id}: ${w.path}.${field} is true; it must be false or unset (${pss})`);
        }
      }
      for (const c of w.containers) {
        records(c.spec.ports).forEach((p, i) => {
          if (p.hostPort !== undefined && p.hostPort !== 0) {
            out.push(
              `${w.id}: ${c.path}.ports[${i}].hostPort is ${show(p.hostPort)}; use a Service instead (${pss})`,
            );
          }
        });
      }
      return out;
    },
  }),
  workloadRule({
    name: "k8s-no-host-path",
    description:
      "Pods mount no hostPath volume (a qualifying Node Exporter DaemonSet may mount /proc, /sys and / read-only)",
    control: pss,
    check: (w, r) => {
      const hostVolumes = records(w.pod.volumes).filter((v) => v.hostPath !== undefined);
      if (hostVolumes.length === 0) return [];
      const problems = hostMetricsProblems(w, r.type);
      if (problems !== undefined && problems.length === 0) return [];
      const why =
        problems === undefined
          ? ""
          : `; the host-metrics exception (${HOST_METRICS_LABEL.label}=${HOST_METRICS_LABEL.value}) does not apply: ${problems.join(", ")}`;
      return records(w.pod.volumes).flatMap((v, i) =>
        v.hostPath === undefined
          ? []
          : [
              `${w.id}: ${w.path}.volumes[${i}].hostPath.path is ${show(record(v.hostPath).path)}; use no hostPath volume (${pss})${why}`,
            ],
      );
    },
  }),
  workloadRule({
    name: "k8s-resource-limits",
    description: "Containers set CPU and memory requests and limits",
    control: "genesis baseline",
    check: (w) =>
      w.containers.flatMap((c) => {
        const res = record(c.spec.resources);
        const missing: string[] = [];
        for (const kind of ["requests", "limits"]) {
          for (const resource of ["cpu", "memory"]) {
            if (record(res[kind])[resource] === undefined) missing.push(`${kind}.${resource}`);
          }
        }
        return missing.length === 0
          ? []
          : [
              `${w.id}: ${c.path}.resources lacks ${missing.join(", ")}; set CPU and memory requests and limits`,
            ];
      }),
  }),
]);
