/**
 * "Bridge network, never host", judged over every resource a stack declares: the security
 * gate's own check (`npm run check:bridge`), independent of the policy pack's rule levels.
 * Pure: resources in (as captured from the program), problems out, each naming the resource,
 * the field and the value.
 *
 * Docker: a container joins only the stack's own user-defined bridge networks (or none);
 * never `host`, never the default `bridge` (docker0, CIS 5.30), never another container's
 * namespaces (`container:<id>`); no host PID, IPC, UTS, user or cgroup namespace; not
 * privileged; no Docker socket; published ports on 127.0.0.1 only. A network the stack
 * declares uses the bridge driver (macvlan and ipvlan attach to the host's interface).
 * Kubernetes: no pod (in any workload, or in chart values) with hostNetwork, hostPID or
 * hostIPC, and no container port published on the node (hostPort).
 */

/** A resource as the program declared it. */
export interface DeclaredResource {
  /** Type token, such as `docker:index/container:Container`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Its inputs. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

const CONTAINER = "docker:index/container:Container";
const NETWORK = "docker:index/network:Network";

/** Namespace modes of a Docker container that must never be the host's. */
const NAMESPACE_MODES = ["pidMode", "ipcMode", "utsMode", "usernsMode", "cgroupnsMode"];

/** Pod-spec keys that put a pod in the node's namespaces. */
const HOST_POD_KEYS = ["hostNetwork", "hostPID", "hostIPC"];

const show = (v: unknown): string => JSON.stringify(v) ?? "undefined";

/** The names of the bridge networks the stack declares (and the problems of the others). */
function stackNetworks(resources: readonly DeclaredResource[]): {
  bridges: Set<string>;
  problems: string[];
} {
  const bridges = new Set<string>();
  const problems: string[] = [];
  for (const r of resources.filter((x) => x.type === NETWORK)) {
    const driver = r.inputs.driver ?? "bridge";
    const name = typeof r.inputs.name === "string" ? r.inputs.name : r.name;
    if (driver !== "bridge") {
      problems.push(`network ${r.name}: driver ${show(driver)}; use the bridge driver`);
    } else if (name === "host" || name === "bridge" || name === "none") {
      problems.push(`network ${r.name}: name ${show(name)} is one of Docker's own networks`);
    } else {
      bridges.add(name);
    }
  }
  return { bridges, problems };
}

function containerProblems(r: DeclaredResource, bridges: ReadonlySet<string>): string[] {
  const i = r.inputs;
  const at = `container ${r.name}`;
  const allowed = `the stack's bridge ${[...bridges].map(show).join(" or ") || "(none declared)"}`;
  const out: string[] = [];
  const mode = i.networkMode;
  if (mode !== "none" && !(typeof mode === "string" && bridges.has(mode))) {
    out.push(`${at}: networkMode ${show(mode)}; allowed: ${allowed} or "none"`);
  }
  const advanced = Array.isArray(i.networksAdvanced) ? i.networksAdvanced : [];
  advanced.forEach((n: { name?: unknown }, k) => {
    if (!(typeof n?.name === "string" && bridges.has(n.name))) {
      out.push(`${at}: networksAdvanced[${k}].name ${show(n?.name)}; allowed: ${allowed}`);
    }
  });
  if (mode === "none" && advanced.length > 0) {
    out.push(`${at}: networkMode "none" with networksAdvanced entries`);
  }
  for (const key of NAMESPACE_MODES) {
    const v = i[key];
    if (typeof v === "string" && (v === "host" || v.startsWith("container:"))) {
      out.push(`${at}: ${key} ${show(v)}; leave it private`);
    }
  }
  if (i.privileged === true) out.push(`${at}: privileged`);
  const mounts = [
    ...(Array.isArray(i.mounts) ? (i.mounts as { source?: unknown; target?: unknown }[]) : []),
    ...(Array.isArray(i.volumes)
      ? (i.volumes as { hostPath?: unknown; containerPath?: unknown }[]).map((v) => ({
          source: v.hostPath,
        }))
      : []),
  ];
  for (const m of mounts) {
    if (typeof m.source === "string" && m.source.includes("docker.sock")) {
      out.push(`${at}: mounts the Docker socket ${show(m.source)}`);
    }
  }
  const ports = Array.isArray(i.ports) ? (i.ports as { ip?: unknown; external?: unknown }[]) : [];
  ports.forEach((p, k) => {
    if (p.ip !== "127.0.0.1") {
      out.push(`${at}: ports[${k}] published on ${show(p.ip)}; allowed: "127.0.0.1"`);
    }
  });
  return out;
}

/** Every pod-spec host key set to true, and every hostPort, anywhere in `value`. */
function kubernetesProblems(r: DeclaredResource): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x, k) => walk(x, `${at}[${k}]`));
      return;
    }
    if (v === null || typeof v !== "object") return;
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      const here = at === "" ? key : `${at}.${key}`;
      if (HOST_POD_KEYS.includes(key) && child === true) {
        out.push(`${r.type} ${r.name}: ${here} is true`);
      } else if (key === "hostPort" && child !== undefined && child !== null) {
        out.push(`${r.type} ${r.name}: ${here} ${show(child)} publishes on the node`);
      } else {
        walk(child, here);
      }
    }
  };
  walk(r.inputs, "");
  return out;
}

/** What the stack judged: how many containers and Kubernetes resources, and the problems. */
export interface HostAttachmentReport {
  /** The Docker containers judged, by name. */
  readonly containers: readonly string[];
  /** The Kubernetes resources judged (workloads, pods, chart releases), by name. */
  readonly kubernetes: readonly string[];
  /** Every way a resource reaches the host's network or namespaces; empty when none does. */
  readonly problems: readonly string[];
}

/** Judges every container, network and Kubernetes resource in `resources`. */
export function hostAttachment(resources: readonly DeclaredResource[]): HostAttachmentReport {
  const { bridges, problems } = stackNetworks(resources);
  const containers = resources.filter((r) => r.type === CONTAINER);
  const kube = resources.filter((r) => r.type.startsWith("kubernetes:"));
  for (const c of containers) problems.push(...containerProblems(c, bridges));
  for (const k of kube) problems.push(...kubernetesProblems(k));
  return {
    containers: containers.map((c) => c.name),
    kubernetes: kube.map((k) => k.name),
    problems,
  };
}
