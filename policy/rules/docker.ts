/**
 * The pack's Docker rules: every `docker:index/container:Container` (and every pulled
 * image) is judged, whatever component declared it, each rule naming its CIS Docker
 * Benchmark v1.6 check. Pure functions of the resource's inputs.
 */
import { posix } from "node:path";
import {
  JudgedResource,
  RuleDefinition,
  UNKNOWN_DURING_PREVIEW,
  readKnown,
  record,
  records,
  resourceRule,
  show,
  strings,
} from "../rule";

/** The Docker provider's container type. */
export const DOCKER_CONTAINER = "docker:index/container:Container";
/** The Docker provider's pulled-image type. */
export const DOCKER_REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

/** The label and value that mark the one-shot config-init containers. */
export const CONFIG_INIT_LABEL = Object.freeze({ label: "genesis.role", value: "config-init" });

/** The label saying how a container without a Docker healthcheck is watched instead. */
export const HEALTH_WATCHED_LABEL = "genesis.health-watched-by";

/**
 * The containers allowed to run without a Docker healthcheck, by name, and why: an image
 * with nothing inside to run a check with. Each must also carry {@link HEALTH_WATCHED_LABEL}
 * saying what watches it instead. An explicit allow-list, never a pattern.
 */
export const HEALTHCHECK_EXCEPTIONS: Readonly<Record<string, string>> = Object.freeze({
  "genesis-flagd":
    "flagd's image is distroless (no shell, no HTTP client); Prometheus scrapes its management port",
});

/** The only address a port may be published on. */
export const LOOPBACK = "127.0.0.1";

/** Host directories CIS 5.6 names as sensitive: never mounted writable. */
export const SENSITIVE_HOST_PATHS: readonly string[] = Object.freeze([
  "/",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/proc",
  "/sys",
  "/usr",
]);

/** Environment names that hold a secret unless they name a file (`..._FILE`). */
const SECRET_ENV_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|ROUTING_?KEY|CREDENTIAL)/i;
const FILE_ENV_NAME = /_FILE$/i;

const IMAGE_ID = /^sha256:[a-f0-9]{64}$/;
const PINNED_IMAGE = /@sha256:[a-f0-9]{64}$/;

/** The container's name as `docker ps` shows it, else its logical name. */
export function containerName(r: JudgedResource): string {
  return typeof r.props.name === "string" && r.props.name !== "" ? r.props.name : r.name;
}

/** The value of label `key` on a Docker resource, if set. */
export function dockerLabel(props: Readonly<Record<string, unknown>>, key: string): unknown {
  const labels = props.labels;
  if (Array.isArray(labels)) return records(labels).find((l) => l.label === key)?.value;
  return record(labels)[key];
}

/** Whether the container sets `no-new-privileges` in its security options. */
function hasNoNewPrivileges(props: Readonly<Record<string, unknown>>): boolean {
  return strings(props.securityOpts).some((o) =>
    ["no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"].includes(o),
  );
}

/** Why `user` (Docker's `user[:group]`) is root or unknown, or undefined when non-root. */
function rootUserProblem(user: unknown): string | undefined {
  if (typeof user !== "string" || user.trim() === "") {
    return "user is nothing (the image's default, often root); set the non-root uid:gid";
  }
  const name = user.split(":")[0];
  if (name === "root" || name === "0") {
    return `user is ${show(user)}; run as a non-root uid:gid`;
  }
  return undefined;
}

/**
 * Why a container labelled `genesis.role=config-init` does not qualify for the config-init
 * exception; empty when it does (or when it is not labelled). The exception is for a
 * one-shot copier only: no network, no published port, no restart, no privilege.
 */
export function configInitProblems(props: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  if (props.networkMode !== "none") {
    problems.push(`networkMode is ${show(props.networkMode)} (must be "none")`);
  }
  if (records(props.ports).length > 0 || props.publishAllPorts === true) {
    problems.push("it publishes ports (must publish none)");
  }
  if ((props.restart ?? "no") !== "no") {
    problems.push(`restart is ${show(props.restart)} (must be "no")`);
  }
  if (props.privileged === true) problems.push("privileged is true (must be false)");
  const caps = record(props.capabilities);
  if (!strings(caps.drops).some((c) => c.toUpperCase() === "ALL")) {
    problems.push("capabilities.drops lacks ALL");
  }
  if (strings(caps.adds).length > 0) problems.push("capabilities.adds is not empty");
  if (!hasNoNewPrivileges(props)) problems.push("securityOpts lacks no-new-privileges:true");
  if (rootUserProblem(props.user) !== undefined) {
    problems.push(`user is ${show(props.user)} (must be a non-root uid:gid)`);
  }
  if (records(props.mounts).some((m) => m.type === "bind") || records(props.volumes).length > 0) {
    problems.push("it mounts host paths (must mount named volumes only)");
  }
  return problems;
}

/** Whether the container is labelled as config-init at all. */
function isLabelledConfigInit(props: Readonly<Record<string, unknown>>): boolean {
  return dockerLabel(props, CONFIG_INIT_LABEL.label) === CONFIG_INIT_LABEL.value;
}

/**
 * For the rules the config-init exception waives: undefined when the container is not
 * labelled config-init (judge it normally), "" when the exception applies (pass), or the
 * reason the label does not earn it (append to the violation).
 */
function configInitException(props: Readonly<Record<string, unknown>>): string | undefined {
  if (!isLabelledConfigInit(props)) return undefined;
  const problems = configInitProblems(props);
  return problems.length === 0
    ? ""
    : `; the config-init exception (${CONFIG_INIT_LABEL.label}=${CONFIG_INIT_LABEL.value}) does not apply: ${problems.join(", ")}`;
}

/** The bind-mounted host paths of a container: `mounts` of type bind and `volumes` with a host path. */
function hostMounts(
  props: Readonly<Record<string, unknown>>,
): { field: string; source: string; readOnly: boolean }[] {
  const out: { field: string; source: string; readOnly: boolean }[] = [];
  records(props.mounts).forEach((m, i) => {
    if (m.type === "bind" && typeof m.source === "string") {
      out.push({ field: `mounts[${i}]`, source: m.source, readOnly: m.readOnly === true });
    }
  });
  records(props.volumes).forEach((v, i) => {
    if (typeof v.hostPath === "string") {
      out.push({ field: `volumes[${i}]`, source: v.hostPath, readOnly: v.readOnly === true });
    }
  });
  return out;
}

/**
 * A host path as Docker cleans a bind mount's source before mounting it, which is POSIX path
 * normalisation: repeated slashes collapsed, `.` dropped, `..` resolved (never above the
 * root); and no trailing slash. So `//etc`, `/./etc` and `/srv/../etc` are all `/etc`. An
 * empty path stays the root (judged as the most sensitive, never as harmless).
 */
export function normalPath(p: string): string {
  if (p === "") return "/";
  const normal = posix.normalize(p);
  return normal.length > 1 ? normal.replace(/\/$/, "") : normal;
}

/** The sensitive directory `path` is, or lies under; undefined when none. */
export function sensitiveHostPath(path: string): string | undefined {
  const p = normalPath(path);
  if (p === "/") return "/";
  return SENSITIVE_HOST_PATHS.find((s) => s !== "/" && (p === s || p.startsWith(`${s}/`)));
}

/** Configuration of the capability rule: the explicit allow-list. */
export interface CapabilityConfig {
  /** Capabilities a container may add back, by container name; none by default. */
  readonly allowedCapabilities?: Readonly<Record<string, readonly string[]>>;
}

const capName = (c: string): string => c.toUpperCase().replace(/^CAP_/, "");

const containerTypes = [DOCKER_CONTAINER] as const;

/** The Docker rules, in the order the README lists them. */
export const DOCKER_RULES: readonly RuleDefinition[] = Object.freeze([
  resourceRule({
    name: "docker-no-host-network",
    description: "Containers never share the host's network namespace",
    scope: "docker",
    control: "CIS Docker 5.10",
    types: containerTypes,
    check: (r) => {
      const n = containerName(r);
      const out: string[] = [];
      if (r.props.networkMode === "host") {
        out.push(`${n}: networkMode is "host"; attach it to a user-defined bridge (CIS 5.10)`);
      }
      records(r.props.networksAdvanced).forEach((net, i) => {
        if (net.name === "host") {
          out.push(
            `${n}: networksAdvanced[${i}].name is "host"; use a user-defined bridge (CIS 5.10)`,
          );
        }
      });
      return out;
    },
  }),
  resourceRule({
    name: "docker-no-host-pid",
    description: "Containers never share the host's process namespace",
    scope: "docker",
    control: "CIS Docker 5.16",
    types: containerTypes,
    check: (r) =>
      r.props.pidMode === "host"
        ? [`${containerName(r)}: pidMode is "host"; leave it unset (private) (CIS 5.16)`]
        : [],
  }),
  resourceRule({
    name: "docker-no-host-ipc",
    description: "Containers never share the host's IPC namespace",
    scope: "docker",
    control: "CIS Docker 5.17",
    types: containerTypes,
    check: (r) =>
      r.props.ipcMode === "host"
        ? [`${containerName(r)}: ipcMode is "host"; use "private" (CIS 5.17)`]
        : [],
  }),
  resourceRule({
    name: "docker-not-privileged",
    description: "Containers never run privileged",
    scope: "docker",
    control: "CIS Docker 5.5",
    types: containerTypes,
    check: (r) =>
      r.props.privileged === true
        ? [`${containerName(r)}: privileged is true; it must be false (CIS 5.5)`]
        : [],
  }),
  resourceRule<CapabilityConfig>({
    name: "docker-capabilities-dropped",
    description:
      "Containers drop ALL capabilities and add back only what the allow-list names for them",
    scope: "docker",
    control: "CIS Docker 5.4",
    types: containerTypes,
    configSchema: {
      properties: {
        allowedCapabilities: {
          type: "object",
          description: "Capabilities a container may add back, by container name.",
          additionalProperties: { type: "array", items: { type: "string" } },
        },
      },
    },
    check: (r, config) => {
      const n = containerName(r);
      const caps = record(r.props.capabilities);
      const out: string[] = [];
      const drops = strings(caps.drops);
      if (!drops.some((c) => c.toUpperCase() === "ALL")) {
        out.push(`${n}: capabilities.drops is ${show(drops)}; it must include "ALL" (CIS 5.4)`);
      }
      const allowed = new Set((config.allowedCapabilities?.[n] ?? []).map(capName));
      strings(caps.adds).forEach((c, i) => {
        if (!allowed.has(capName(c))) {
          out.push(
            `${n}: capabilities.adds[${i}] is ${show(c)}; allowed for ${n}: ${allowed.size === 0 ? "none" : [...allowed].join(", ")} (CIS 5.4)`,
          );
        }
      });
      return out;
    },
  }),
  resourceRule({
    name: "docker-no-new-privileges",
    description: "Containers set no-new-privileges so setuid binaries cannot escalate",
    scope: "docker",
    control: "CIS Docker 5.26",
    types: containerTypes,
    check: (r) =>
      hasNoNewPrivileges(r.props)
        ? []
        : [
            `${containerName(r)}: securityOpts is ${show(strings(r.props.securityOpts))}; it must include "no-new-privileges:true" (CIS 5.26)`,
          ],
  }),
  resourceRule({
    name: "docker-read-only-root",
    description:
      "Containers run with a read-only root filesystem (a qualifying config-init container excepted)",
    scope: "docker",
    control: "CIS Docker 5.13",
    types: containerTypes,
    check: (r) => {
      if (r.props.readOnly === true) return [];
      const exception = configInitException(r.props);
      if (exception === "") return [];
      return [
        `${containerName(r)}: readOnly is ${show(r.props.readOnly)}; it must be true, with named volumes or tmpfs for writable paths (CIS 5.13)${exception ?? ""}`,
      ];
    },
  }),
  resourceRule({
    name: "docker-non-root-user",
    description: "Containers run as an explicit non-root user",
    scope: "docker",
    control: "CIS Docker 4.1",
    types: containerTypes,
    check: (r) => {
      const problem = rootUserProblem(r.props.user);
      return problem === undefined ? [] : [`${containerName(r)}: ${problem} (CIS 4.1)`];
    },
  }),
  resourceRule({
    name: "docker-memory-limit",
    description: "Containers have a memory limit",
    scope: "docker",
    control: "CIS Docker 5.11",
    types: containerTypes,
    check: (r) => {
      const memory = r.props.memory;
      return typeof memory === "number" && memory > 0
        ? []
        : [`${containerName(r)}: memory is ${show(memory)}; set a limit in MiB above 0 (CIS 5.11)`];
    },
  }),
  resourceRule({
    name: "docker-healthcheck",
    description:
      "Containers define a healthcheck (a qualifying config-init container, which exits, and the allow-listed distroless flagd, watched by Prometheus, excepted)",
    scope: "docker",
    control: "CIS Docker 5.27",
    types: containerTypes,
    check: (r) => {
      const tests = strings(record(r.props.healthcheck).tests);
      if (tests.length > 0 && tests[0] !== "NONE") return [];
      const exception = configInitException(r.props);
      if (exception === "") return [];
      const name = containerName(r);
      const watchedBy = dockerLabel(r.props, HEALTH_WATCHED_LABEL);
      const listed = HEALTHCHECK_EXCEPTIONS[name] !== undefined;
      if (listed && typeof watchedBy === "string" && watchedBy.trim() !== "") return [];
      const unlisted = listed
        ? `; ${name} is on the healthcheck allow-list but lacks the ${HEALTH_WATCHED_LABEL} label`
        : "";
      return [
        `${name}: healthcheck.tests is ${show(tests)}; define a check of the service's own endpoint (CIS 5.27)${exception ?? ""}${unlisted}`,
      ];
    },
  }),
  resourceRule({
    name: "docker-restart-policy",
    description:
      'Containers restart "unless-stopped" or "on-failure" with at most 5 retries, never "always" (a qualifying config-init container runs once)',
    scope: "docker",
    control: "CIS Docker 5.15",
    types: containerTypes,
    check: (r) => {
      const n = containerName(r);
      const restart = r.props.restart ?? "no";
      if (restart === "unless-stopped") return [];
      if (restart === "on-failure") {
        const retries = r.props.maxRetryCount;
        return typeof retries === "number" && retries >= 1 && retries <= 5
          ? []
          : [
              `${n}: maxRetryCount is ${show(retries)} with restart "on-failure"; allowed 1 to 5 (CIS 5.15)`,
            ];
      }
      if (restart === "no") {
        const exception = configInitException(r.props);
        if (exception === "") return [];
        return [
          `${n}: restart is ${show(r.props.restart ?? "no")}; use "unless-stopped" or "on-failure" with maxRetryCount 1 to 5 (CIS 5.15)${exception ?? ""}`,
        ];
      }
      return [
        `${n}: restart is ${show(restart)}; use "unless-stopped" or "on-failure" with maxRetryCount 1 to 5 (CIS 5.15)`,
      ];
    },
  }),
  resourceRule({
    name: "docker-ports-loopback-only",
    description: "Published ports bind to 127.0.0.1 only (the provider's default is 0.0.0.0)",
    scope: "docker",
    control: "CIS Docker 5.14",
    types: containerTypes,
    check: (r) => {
      const n = containerName(r);
      const out: string[] = [];
      if (r.props.publishAllPorts === true) {
        out.push(
          `${n}: publishAllPorts is true; publish each port on ${LOOPBACK} instead (CIS 5.14)`,
        );
      }
      records(r.props.ports).forEach((p, i) => {
        if (p.ip !== LOOPBACK) {
          out.push(`${n}: ports[${i}].ip is ${show(p.ip)}; publish on ${LOOPBACK} only (CIS 5.14)`);
        }
      });
      return out;
    },
  }),
  resourceRule({
    name: "docker-no-docker-socket",
    description: "No container mounts the Docker socket or the directory that holds it",
    scope: "docker",
    control: "CIS Docker 5.32",
    types: containerTypes,
    check: (r) =>
      hostMounts(r.props)
        .filter((m) => {
          const p = normalPath(m.source);
          return p.endsWith("/docker.sock") || p === "/run" || p === "/var/run";
        })
        .map(
          (m) =>
            `${containerName(r)}: ${m.field} mounts ${show(m.source)}; the Docker socket must never be mounted, read-only or not (CIS 5.32)`,
        ),
  }),
  resourceRule({
    name: "docker-no-writable-sensitive-mount",
    description:
      "Sensitive host directories (/, /boot, /dev, /etc, /lib, /proc, /sys, /usr) are mounted read-only if at all",
    scope: "docker",
    control: "CIS Docker 5.6",
    types: containerTypes,
    check: (r) =>
      hostMounts(r.props)
        .filter((m) => !m.readOnly && sensitiveHostPath(m.source) !== undefined)
        .map(
          (m) =>
            `${containerName(r)}: ${m.field} mounts host ${show(m.source)} writable; sensitive host paths (${sensitiveHostPath(m.source)}) may be mounted with readOnly true only (CIS 5.6)`,
        ),
  }),
  resourceRule({
    name: "docker-image-pinned-by-digest",
    description:
      "Images are pinned by digest (repository:tag@sha256:...), so what runs is what was reviewed",
    scope: "docker",
    control: "CIS Docker 4.2",
    staging: "advisory",
    stagingReason:
      "staging runs the locally built reference service (genesis-app:local, which has no registry digest) and follows image tags to try new versions before production pins them",
    types: [DOCKER_REMOTE_IMAGE, DOCKER_CONTAINER],
    check: (r) => {
      const field = r.type === DOCKER_REMOTE_IMAGE ? "name" : "image";
      const image = readKnown(r.props, field);
      // A container's image is the id of a RemoteImage that a preview has yet to pull; that
      // RemoteImage's name is judged here, and the container again at `pulumi up`.
      if (image === UNKNOWN_DURING_PREVIEW) return [];
      if (typeof image === "string" && (PINNED_IMAGE.test(image) || IMAGE_ID.test(image))) {
        return [];
      }
      const n = r.type === DOCKER_REMOTE_IMAGE ? r.name : containerName(r);
      return [
        `${n}: ${field} is ${show(image)}; pin it as repository:tag@sha256:<digest> (CIS 4.2)`,
      ];
    },
  }),
  resourceRule({
    name: "docker-not-default-bridge",
    description:
      'Containers join a user-defined network (or "none"), never the default docker0 bridge',
    scope: "docker",
    control: "CIS Docker 5.30",
    types: containerTypes,
    check: (r) => {
      const n = containerName(r);
      const out: string[] = [];
      const mode = r.props.networkMode;
      if (mode === undefined || mode === "" || mode === "bridge" || mode === "default") {
        out.push(
          `${n}: networkMode is ${show(mode)} (the default docker0 bridge); set a user-defined network such as genesis-monitoring (CIS 5.30)`,
        );
      }
      records(r.props.networksAdvanced).forEach((net, i) => {
        if (net.name === "bridge") {
          out.push(
            `${n}: networksAdvanced[${i}].name is "bridge"; use a user-defined network (CIS 5.30)`,
          );
        }
      });
      return out;
    },
  }),
  resourceRule({
    name: "docker-no-secret-env",
    description:
      "No secret travels in a plain environment variable; secrets are files (NAME_FILE or NAME__FILE points at them)",
    scope: "docker",
    control: "CIS Docker 4.10",
    types: containerTypes,
    check: (r) =>
      strings(r.props.envs).flatMap((entry, i) => {
        const name = entry.split("=")[0];
        if (!SECRET_ENV_NAME.test(name) || FILE_ENV_NAME.test(name)) return [];
        return [
          `${containerName(r)}: envs[${i}] sets ${name} in plain text; deliver the secret as a file and pass its path (${name}__FILE or the image's file option) (CIS 4.10)`,
        ];
      }),
  }),
]);
