/**
 * The policy pack's crafted cases: for every policy at least one resource set it passes and
 * one it fails, with the exact messages expected. The program's real resources are judged
 * in stackResources.test.ts.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { DeclaredResource } from "../../policy/evaluate";
import {
  DIGEST,
  REMOTE_IMAGE,
  configInit,
  container,
  defaultDeny,
  goodK8sContainer,
  goodPodSpec,
  namespace,
  resource,
  workload,
} from "./fixtures";

/** One case: a policy, the resources it judges, and exactly what it must report. */
export interface PolicyCase {
  /** The policy under test. */
  readonly policy: string;
  /** What the case shows. */
  readonly name: string;
  /** The resources judged. */
  readonly resources: readonly DeclaredResource[];
  /** Policy pack configuration, when the case needs any. */
  readonly config?: PolicyPackConfig;
  /** The messages expected, in order; empty for a passing case. */
  readonly violations: readonly string[];
}

const W = "genesis-web";
const SS = "StatefulSet genesis-monitoring/prometheus";
const C0 = "spec.template.spec.containers[0]";
const restrictedPod = goodPodSpec();
const sts = (pod: Record<string, unknown>, labels?: Record<string, string>) =>
  workload("apps/v1:StatefulSet", "prometheus", pod, labels);
const withContainer = (overrides: Record<string, unknown>) =>
  sts(goodPodSpec({ containers: [goodK8sContainer(overrides)] }));
const ctx = (overrides: Record<string, unknown>) => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  ...overrides,
});

/** Node Exporter as the Kubernetes platform would declare it: the host-metrics exception. */
function nodeExporter(
  pod: Record<string, unknown> = {},
  type = "apps/v1:DaemonSet",
  mountReadOnly = true,
): DeclaredResource {
  return workload(
    type,
    "node-exporter",
    goodPodSpec({
      containers: [
        goodK8sContainer({
          name: "node-exporter",
          args: ["--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--path.rootfs=/host/root"],
          volumeMounts: [
            { name: "proc", mountPath: "/host/proc", readOnly: true },
            { name: "sys", mountPath: "/host/sys", readOnly: true },
            { name: "root", mountPath: "/host/root", readOnly: mountReadOnly },
          ],
        }),
      ],
      volumes: [
        { name: "proc", hostPath: { path: "/proc" } },
        { name: "sys", hostPath: { path: "/sys" } },
        { name: "root", hostPath: { path: "/" } },
      ],
      ...pod,
    }),
    { app: "node-exporter", "genesis.role": "host-metrics" },
  );
}

/** `r` with `metadata.name` emptied: the object is named by its Pulumi resource name. */
function unnamed(r: DeclaredResource): DeclaredResource {
  const metadata = { ...(r.inputs.metadata as Record<string, unknown>), name: "" };
  return { ...r, inputs: { ...r.inputs, metadata } };
}

const grafanaEnv = [
  "GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana/provisioning/secrets/admin-password",
  "GF_USERS_ALLOW_SIGN_UP=false",
  "GF_AUTH_ANONYMOUS_ENABLED=false",
];

/** Every case, grouped by policy in the pack's order. */
export const POLICY_CASES: readonly PolicyCase[] = [
  // docker-no-host-network (CIS 5.10)
  {
    policy: "docker-no-host-network",
    name: "a container on the user-defined bridge",
    resources: [container()],
    violations: [],
  },
  {
    policy: "docker-no-host-network",
    name: "networkMode host and a host network attachment",
    resources: [container({ networkMode: "host", networksAdvanced: [{ name: "host" }] })],
    violations: [
      `${W}: networkMode is "host"; attach it to a user-defined bridge (CIS 5.10)`,
      `${W}: networksAdvanced[0].name is "host"; use a user-defined bridge (CIS 5.10)`,
    ],
  },
  // docker-no-host-pid (CIS 5.16)
  { policy: "docker-no-host-pid", name: "pidMode unset", resources: [container()], violations: [] },
  {
    policy: "docker-no-host-pid",
    name: "pidMode host",
    resources: [container({ pidMode: "host" })],
    violations: [`${W}: pidMode is "host"; leave it unset (private) (CIS 5.16)`],
  },
  {
    policy: "docker-no-host-pid",
    name: "pidMode host on a container with an empty name: named by its logical name",
    resources: [container({ name: "", pidMode: "host" })],
    violations: [`web: pidMode is "host"; leave it unset (private) (CIS 5.16)`],
  },
  // docker-no-host-ipc (CIS 5.17)
  {
    policy: "docker-no-host-ipc",
    name: "ipcMode private",
    resources: [container()],
    violations: [],
  },
  {
    policy: "docker-no-host-ipc",
    name: "ipcMode host",
    resources: [container({ ipcMode: "host" })],
    violations: [`${W}: ipcMode is "host"; use "private" (CIS 5.17)`],
  },
  // docker-not-privileged (CIS 5.5)
  {
    policy: "docker-not-privileged",
    name: "privileged false",
    resources: [container()],
    violations: [],
  },
  {
    policy: "docker-not-privileged",
    name: "privileged true",
    resources: [container({ privileged: true })],
    violations: [`${W}: privileged is true; it must be false (CIS 5.5)`],
  },
  // docker-capabilities-dropped (CIS 5.4)
  {
    policy: "docker-capabilities-dropped",
    name: "drops ALL, adds none",
    resources: [container()],
    violations: [],
  },
  {
    policy: "docker-capabilities-dropped",
    name: "an added capability on the allow-list",
    resources: [container({ capabilities: { drops: ["ALL"], adds: ["CAP_NET_BIND_SERVICE"] } })],
    config: {
      "docker-capabilities-dropped": {
        enforcementLevel: "mandatory",
        allowedCapabilities: { [W]: ["NET_BIND_SERVICE"] },
      },
    },
    violations: [],
  },
  {
    policy: "docker-capabilities-dropped",
    name: "nothing dropped and a capability added that no allow-list names",
    resources: [container({ capabilities: { drops: ["NET_RAW"], adds: ["SYS_ADMIN"] } })],
    violations: [
      `${W}: capabilities.drops is ["NET_RAW"]; it must include "ALL" (CIS 5.4)`,
      `${W}: capabilities.adds[0] is "SYS_ADMIN"; allowed for ${W}: none (CIS 5.4)`,
    ],
  },
  {
    policy: "docker-capabilities-dropped",
    name: "an added capability beyond the container's allow-list",
    resources: [container({ capabilities: { drops: ["ALL"], adds: ["NET_ADMIN"] } })],
    config: {
      "docker-capabilities-dropped": { allowedCapabilities: { [W]: ["NET_BIND_SERVICE"] } },
    },
    violations: [
      `${W}: capabilities.adds[0] is "NET_ADMIN"; allowed for ${W}: NET_BIND_SERVICE (CIS 5.4)`,
    ],
  },
  {
    policy: "docker-capabilities-dropped",
    name: "ALL in lower case beside another drop",
    resources: [container({ capabilities: { drops: ["all", "NET_RAW"] } })],
    violations: [],
  },
  {
    policy: "docker-capabilities-dropped",
    name: "a capability beyond an allow-list of two, written with and without CAP_",
    resources: [container({ capabilities: { drops: ["ALL"], adds: ["CHOWN", "SYS_ADMIN"] } })],
    config: {
      "docker-capabilities-dropped": {
        allowedCapabilities: { [W]: ["CAP_CHOWN", "net_bind_service"] },
      },
    },
    violations: [
      `${W}: capabilities.adds[1] is "SYS_ADMIN"; allowed for ${W}: CHOWN, NET_BIND_SERVICE (CIS 5.4)`,
    ],
  },
  // docker-no-new-privileges (CIS 5.26)
  {
    policy: "docker-no-new-privileges",
    name: "no-new-privileges:true",
    resources: [container()],
    violations: [],
  },
  {
    policy: "docker-no-new-privileges",
    name: "security options without it",
    resources: [container({ securityOpts: ["apparmor=docker-default"] })],
    violations: [
      `${W}: securityOpts is ["apparmor=docker-default"]; it must include "no-new-privileges:true" (CIS 5.26)`,
    ],
  },
  {
    policy: "docker-no-new-privileges",
    name: "each spelling of it, alone or beside other options",
    resources: [
      container({ securityOpts: ["no-new-privileges"] }),
      container({ securityOpts: ["no-new-privileges=true"] }),
      container({ securityOpts: ["apparmor=docker-default", "no-new-privileges:true"] }),
    ],
    violations: [],
  },
  // docker-read-only-root (CIS 5.13)
  {
    policy: "docker-read-only-root",
    name: "a read-only service and a qualifying config-init container",
    resources: [container(), configInit()],
    violations: [],
  },
  {
    policy: "docker-read-only-root",
    name: "a writable service root",
    resources: [container({ readOnly: false })],
    violations: [
      `${W}: readOnly is false; it must be true, with named volumes or tmpfs for writable paths (CIS 5.13)`,
    ],
  },
  {
    policy: "docker-read-only-root",
    name: "a config-init label on a container that is on a network and publishes a port",
    resources: [
      configInit({
        networkMode: "genesis-monitoring",
        ports: [{ internal: 1, external: 1, ip: "127.0.0.1" }],
      }),
    ],
    violations: [
      `genesis-web-config: readOnly is nothing; it must be true, with named volumes or tmpfs for writable paths (CIS 5.13); the config-init exception (genesis.role=config-init) does not apply: networkMode is "genesis-monitoring" (must be "none"), it publishes ports (must publish none)`,
    ],
  },
  {
    policy: "docker-read-only-root",
    name: "a config-init container with no mounts, restart unset and ALL dropped in lower case",
    resources: [
      configInit({ mounts: [], restart: undefined, capabilities: { drops: ["all", "CHOWN"] } }),
    ],
    violations: [],
  },
  {
    policy: "docker-read-only-root",
    name: "a config-init label on a container that publishes all ports, restarts, keeps its capabilities and bind-mounts a host path",
    resources: [
      configInit({
        publishAllPorts: true,
        restart: "on-failure",
        capabilities: { drops: ["NET_RAW"] },
        securityOpts: [],
        mounts: [{ type: "bind", source: "/srv/config", target: "/etc/web" }],
      }),
    ],
    violations: [
      `genesis-web-config: readOnly is nothing; it must be true, with named volumes or tmpfs for writable paths (CIS 5.13); the config-init exception (genesis.role=config-init) does not apply: it publishes ports (must publish none), restart is "on-failure" (must be "no"), capabilities.drops lacks ALL, securityOpts lacks no-new-privileges:true, it mounts host paths (must mount named volumes only)`,
    ],
  },
  {
    policy: "docker-read-only-root",
    name: "a config-init label on a container with a host volume",
    resources: [configInit({ volumes: [{ hostPath: "/srv/config", containerPath: "/etc/web" }] })],
    violations: [
      `genesis-web-config: readOnly is nothing; it must be true, with named volumes or tmpfs for writable paths (CIS 5.13); the config-init exception (genesis.role=config-init) does not apply: it mounts host paths (must mount named volumes only)`,
    ],
  },
  // docker-non-root-user (CIS 4.1)
  { policy: "docker-non-root-user", name: "uid 65534", resources: [container()], violations: [] },
  {
    policy: "docker-non-root-user",
    name: "root by name, by uid, and unset",
    resources: [
      container({ user: "root" }),
      container({ name: "genesis-uid0", user: "0:0" }),
      container({ name: "genesis-default", user: undefined }),
    ],
    violations: [
      `${W}: user is "root"; run as a non-root uid:gid (CIS 4.1)`,
      `genesis-uid0: user is "0:0"; run as a non-root uid:gid (CIS 4.1)`,
      `genesis-default: user is nothing (the image's default, often root); set the non-root uid:gid (CIS 4.1)`,
    ],
  },
  {
    policy: "docker-non-root-user",
    name: "a blank user",
    resources: [container({ user: "  " })],
    violations: [
      `${W}: user is nothing (the image's default, often root); set the non-root uid:gid (CIS 4.1)`,
    ],
  },
  // docker-memory-limit (CIS 5.11)
  { policy: "docker-memory-limit", name: "256 MiB", resources: [container()], violations: [] },
  {
    policy: "docker-memory-limit",
    name: "no memory limit",
    resources: [container({ memory: undefined })],
    violations: [`${W}: memory is nothing; set a limit in MiB above 0 (CIS 5.11)`],
  },
  {
    policy: "docker-memory-limit",
    name: "a limit of 0",
    resources: [container({ memory: 0 })],
    violations: [`${W}: memory is 0; set a limit in MiB above 0 (CIS 5.11)`],
  },
  // docker-healthcheck (CIS 5.27)
  {
    policy: "docker-healthcheck",
    name: "a service healthcheck and a qualifying config-init container",
    resources: [container(), configInit()],
    violations: [],
  },
  {
    policy: "docker-healthcheck",
    name: "no healthcheck, and a healthcheck disabled with NONE",
    resources: [
      container({ healthcheck: undefined }),
      container({ name: "genesis-none", healthcheck: { tests: ["NONE"] } }),
    ],
    violations: [
      `${W}: healthcheck.tests is []; define a check of the service's own endpoint (CIS 5.27)`,
      `genesis-none: healthcheck.tests is ["NONE"]; define a check of the service's own endpoint (CIS 5.27)`,
    ],
  },
  {
    policy: "docker-healthcheck",
    name: "the allow-listed flagd, labelled with what watches it",
    resources: [
      container({
        name: "genesis-flagd",
        healthcheck: undefined,
        labels: [{ label: "genesis.health-watched-by", value: "Prometheus job flagd" }],
      }),
    ],
    violations: [],
  },
  {
    policy: "docker-healthcheck",
    name: "the watched-by label on a container not on the allow-list, and flagd without the label",
    resources: [
      container({
        name: "genesis-other",
        healthcheck: undefined,
        labels: [{ label: "genesis.health-watched-by", value: "someone" }],
      }),
      container({ name: "genesis-flagd", healthcheck: undefined }),
    ],
    violations: [
      `genesis-other: healthcheck.tests is []; define a check of the service's own endpoint (CIS 5.27)`,
      `genesis-flagd: healthcheck.tests is []; define a check of the service's own endpoint (CIS 5.27); genesis-flagd is on the healthcheck allow-list but lacks the genesis.health-watched-by label`,
    ],
  },
  {
    policy: "docker-healthcheck",
    name: "a config-init label on a privileged container",
    resources: [configInit({ privileged: true })],
    violations: [
      `genesis-web-config: healthcheck.tests is []; define a check of the service's own endpoint (CIS 5.27); the config-init exception (genesis.role=config-init) does not apply: privileged is true (must be false)`,
    ],
  },
  {
    policy: "docker-healthcheck",
    name: "the allow-listed flagd with its labels as a map",
    resources: [
      container({
        name: "genesis-flagd",
        healthcheck: undefined,
        labels: { "genesis.health-watched-by": "Prometheus job flagd" },
      }),
    ],
    violations: [],
  },
  {
    policy: "docker-healthcheck",
    name: "the allow-listed flagd with a blank watched-by label",
    resources: [
      container({
        name: "genesis-flagd",
        healthcheck: undefined,
        labels: [{ label: "genesis.health-watched-by", value: " " }],
      }),
    ],
    violations: [
      `genesis-flagd: healthcheck.tests is []; define a check of the service's own endpoint (CIS 5.27); genesis-flagd is on the healthcheck allow-list but lacks the genesis.health-watched-by label`,
    ],
  },
  // docker-restart-policy (CIS 5.15)
  {
    policy: "docker-restart-policy",
    name: "unless-stopped, on-failure:5 and a qualifying config-init container",
    resources: [
      container(),
      container({ name: "genesis-retry", restart: "on-failure", maxRetryCount: 5 }),
      configInit(),
    ],
    violations: [],
  },
  {
    policy: "docker-restart-policy",
    name: "always, no restart, and on-failure without a retry bound",
    resources: [
      container({ restart: "always" }),
      container({ name: "genesis-never", restart: undefined }),
      container({ name: "genesis-retry", restart: "on-failure", maxRetryCount: 0 }),
    ],
    violations: [
      `${W}: restart is "always"; use "unless-stopped" or "on-failure" with maxRetryCount 1 to 5 (CIS 5.15)`,
      `genesis-never: restart is "no"; use "unless-stopped" or "on-failure" with maxRetryCount 1 to 5 (CIS 5.15)`,
      `genesis-retry: maxRetryCount is 0 with restart "on-failure"; allowed 1 to 5 (CIS 5.15)`,
    ],
  },
  {
    policy: "docker-restart-policy",
    name: "a config-init label on a root container that adds a capability",
    resources: [configInit({ user: "0", capabilities: { drops: ["ALL"], adds: ["CHOWN"] } })],
    violations: [
      `genesis-web-config: restart is "no"; use "unless-stopped" or "on-failure" with maxRetryCount 1 to 5 (CIS 5.15); the config-init exception (genesis.role=config-init) does not apply: capabilities.adds is not empty, user is "0" (must be a non-root uid:gid)`,
    ],
  },
  {
    policy: "docker-restart-policy",
    name: "on-failure with a single retry",
    resources: [container({ restart: "on-failure", maxRetryCount: 1 })],
    violations: [],
  },
  {
    policy: "docker-restart-policy",
    name: "on-failure with 6 retries, and a config-init container that always restarts",
    resources: [
      container({ name: "genesis-retry", restart: "on-failure", maxRetryCount: 6 }),
      configInit({ restart: "always" }),
    ],
    violations: [
      `genesis-retry: maxRetryCount is 6 with restart "on-failure"; allowed 1 to 5 (CIS 5.15)`,
      `genesis-web-config: restart is "always"; use "unless-stopped" or "on-failure" with maxRetryCount 1 to 5 (CIS 5.15)`,
    ],
  },
  // docker-ports-loopback-only (CIS 5.14)
  {
    policy: "docker-ports-loopback-only",
    name: "published on 127.0.0.1",
    resources: [container()],
    violations: [],
  },
  {
    policy: "docker-ports-loopback-only",
    name: "0.0.0.0, the provider's default, and publish-all",
    resources: [
      container({
        publishAllPorts: true,
        ports: [
          { internal: 9090, external: 9090, ip: "0.0.0.0" },
          { internal: 9091, external: 9091 },
        ],
      }),
    ],
    violations: [
      `${W}: publishAllPorts is true; publish each port on 127.0.0.1 instead (CIS 5.14)`,
      `${W}: ports[0].ip is "0.0.0.0"; publish on 127.0.0.1 only (CIS 5.14)`,
      `${W}: ports[1].ip is nothing; publish on 127.0.0.1 only (CIS 5.14)`,
    ],
  },
  // docker-no-docker-socket (CIS 5.32)
  {
    policy: "docker-no-docker-socket",
    name: "read-only host /proc and a named volume",
    resources: [
      container({
        mounts: [{ type: "bind", source: "/proc", target: "/host/proc", readOnly: true }],
      }),
    ],
    violations: [],
  },
  {
    policy: "docker-no-docker-socket",
    name: "the socket as a bind mount, read-only, and its directory as a volume",
    resources: [
      container({
        mounts: [
          {
            type: "bind",
            source: "/var/run/docker.sock",
            target: "/var/run/docker.sock",
            readOnly: true,
          },
        ],
        volumes: [{ hostPath: "/run/", containerPath: "/host/run" }],
      }),
    ],
    violations: [
      `${W}: mounts[0] mounts "/var/run/docker.sock"; the Docker socket must never be mounted, read-only or not (CIS 5.32)`,
      `${W}: volumes[0] mounts "/run/"; the Docker socket must never be mounted, read-only or not (CIS 5.32)`,
    ],
  },
  {
    policy: "docker-no-docker-socket",
    name: "the socket's directory as host volumes, with trailing slashes",
    resources: [
      container({
        volumes: [
          { hostPath: "/var/run", containerPath: "/host/var/run", readOnly: true },
          { hostPath: "/run//", containerPath: "/host/run" },
        ],
      }),
    ],
    violations: [
      `${W}: volumes[0] mounts "/var/run"; the Docker socket must never be mounted, read-only or not (CIS 5.32)`,
      `${W}: volumes[1] mounts "/run//"; the Docker socket must never be mounted, read-only or not (CIS 5.32)`,
    ],
  },
  // docker-no-writable-sensitive-mount (CIS 5.6)
  {
    policy: "docker-no-writable-sensitive-mount",
    name: "Node Exporter's read-only /proc, /sys and / and a writable non-sensitive path",
    resources: [
      container({
        mounts: [
          { type: "bind", source: "/proc", target: "/host/proc", readOnly: true },
          { type: "bind", source: "/sys", target: "/host/sys", readOnly: true },
          { type: "bind", source: "/", target: "/host/root", readOnly: true },
          { type: "bind", source: "/srv/genesis", target: "/data" },
        ],
      }),
    ],
    violations: [],
  },
  {
    policy: "docker-no-writable-sensitive-mount",
    name: "writable /, /etc/ssl and a writable /sys volume",
    resources: [
      container({
        mounts: [
          { type: "bind", source: "/", target: "/host/root" },
          { type: "bind", source: "/etc/ssl", target: "/etc/ssl", readOnly: false },
        ],
        volumes: [{ hostPath: "/sys", containerPath: "/host/sys" }],
      }),
    ],
    violations: [
      `${W}: mounts[0] mounts host "/" writable; sensitive host paths (/) may be mounted with readOnly true only (CIS 5.6)`,
      `${W}: mounts[1] mounts host "/etc/ssl" writable; sensitive host paths (/etc) may be mounted with readOnly true only (CIS 5.6)`,
      `${W}: volumes[0] mounts host "/sys" writable; sensitive host paths (/sys) may be mounted with readOnly true only (CIS 5.6)`,
    ],
  },
  {
    policy: "docker-no-writable-sensitive-mount",
    name: "a read-only host volume of /proc",
    resources: [
      container({ volumes: [{ hostPath: "/proc", containerPath: "/host/proc", readOnly: true }] }),
    ],
    violations: [],
  },
  {
    policy: "docker-no-writable-sensitive-mount",
    name: "writable /etc spelt as Docker would clean it: //etc, /./etc, /srv/../etc",
    resources: [
      container({
        mounts: [
          { type: "bind", source: "//etc", target: "/a" },
          { type: "bind", source: "/./etc/ssl", target: "/b" },
        ],
        volumes: [{ hostPath: "/srv/../etc", containerPath: "/c" }],
      }),
    ],
    violations: [
      `${W}: mounts[0] mounts host "//etc" writable; sensitive host paths (/etc) may be mounted with readOnly true only (CIS 5.6)`,
      `${W}: mounts[1] mounts host "/./etc/ssl" writable; sensitive host paths (/etc) may be mounted with readOnly true only (CIS 5.6)`,
      `${W}: volumes[0] mounts host "/srv/../etc" writable; sensitive host paths (/etc) may be mounted with readOnly true only (CIS 5.6)`,
    ],
  },
  {
    policy: "docker-no-docker-socket",
    name: "the socket's directory spelt as Docker would clean it: //var/run, /var/./run",
    resources: [
      container({
        volumes: [
          { hostPath: "//var/run", containerPath: "/a", readOnly: true },
          { hostPath: "/var/./run/", containerPath: "/b" },
        ],
      }),
    ],
    violations: [
      `${W}: volumes[0] mounts "//var/run"; the Docker socket must never be mounted, read-only or not (CIS 5.32)`,
      `${W}: volumes[1] mounts "/var/./run/"; the Docker socket must never be mounted, read-only or not (CIS 5.32)`,
    ],
  },
  // docker-image-pinned-by-digest (CIS 4.2)
  {
    policy: "docker-image-pinned-by-digest",
    name: "a pinned pull and a container running its image id",
    resources: [
      resource(REMOTE_IMAGE, "web-image", { name: `example/web:1.0@sha256:${DIGEST}` }),
      container(),
    ],
    violations: [],
  },
  {
    policy: "docker-image-pinned-by-digest",
    name: "a pull by tag and a container naming an image by tag",
    resources: [
      resource(REMOTE_IMAGE, "web-image", { name: "example/web:1.0" }),
      container({ image: "example/web:latest" }),
    ],
    violations: [
      `web-image: name is "example/web:1.0"; pin it as repository:tag@sha256:<digest> (CIS 4.2)`,
      `${W}: image is "example/web:latest"; pin it as repository:tag@sha256:<digest> (CIS 4.2)`,
    ],
  },
  // docker-not-default-bridge (CIS 5.30)
  {
    policy: "docker-not-default-bridge",
    name: "the user-defined bridge and a network-less config-init container",
    resources: [container(), configInit()],
    violations: [],
  },
  {
    policy: "docker-not-default-bridge",
    name: "networkMode unset and an attachment to bridge",
    resources: [container({ networkMode: undefined, networksAdvanced: [{ name: "bridge" }] })],
    violations: [
      `${W}: networkMode is nothing (the default docker0 bridge); set a user-defined network such as genesis-monitoring (CIS 5.30)`,
      `${W}: networksAdvanced[0].name is "bridge"; use a user-defined network (CIS 5.30)`,
    ],
  },
  {
    policy: "docker-not-default-bridge",
    name: "networkMode empty, bridge and default",
    resources: [
      container({ name: "genesis-empty", networkMode: "" }),
      container({ name: "genesis-bridge", networkMode: "bridge" }),
      container({ name: "genesis-default", networkMode: "default" }),
    ],
    violations: ["genesis-empty", "genesis-bridge", "genesis-default"].map(
      (n, i) =>
        `${n}: networkMode is ${JSON.stringify(["", "bridge", "default"][i])} (the default docker0 bridge); set a user-defined network such as genesis-monitoring (CIS 5.30)`,
    ),
  },
  // docker-no-secret-env (CIS 4.10)
  {
    policy: "docker-no-secret-env",
    name: "secrets named by _FILE and __FILE variables",
    resources: [container({ envs: [...grafanaEnv, "DB_PASSWORD_FILE=/run/secrets/db"] })],
    violations: [],
  },
  {
    policy: "docker-no-secret-env",
    name: "a password and an API key in plain variables",
    resources: [
      container({
        envs: ["LOG_LEVEL=info", "GF_SECURITY_ADMIN_PASSWORD=hunter2", "PD_API_KEY=abc"],
      }),
    ],
    violations: [
      `${W}: envs[1] sets GF_SECURITY_ADMIN_PASSWORD in plain text; deliver the secret as a file and pass its path (GF_SECURITY_ADMIN_PASSWORD__FILE or the image's file option) (CIS 4.10)`,
      `${W}: envs[2] sets PD_API_KEY in plain text; deliver the secret as a file and pass its path (PD_API_KEY__FILE or the image's file option) (CIS 4.10)`,
    ],
  },
  // k8s-run-as-non-root (PSS restricted)
  {
    policy: "k8s-run-as-non-root",
    name: "runAsNonRoot on the pod, and on the container only",
    resources: [
      sts(restrictedPod),
      workload(
        "core/v1:Pod",
        "lone",
        goodPodSpec({
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          containers: [goodK8sContainer({ securityContext: ctx({ runAsNonRoot: true }) })],
        }),
      ),
    ],
    violations: [],
  },
  {
    policy: "k8s-run-as-non-root",
    name: "no runAsNonRoot anywhere, and uid 0 on the pod",
    resources: [
      sts(
        goodPodSpec({
          securityContext: { runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } },
        }),
      ),
    ],
    violations: [
      `${SS}: spec.template.spec.securityContext.runAsUser is 0; use a non-zero uid (PSS restricted)`,
      `${SS}: ${C0}.securityContext.runAsNonRoot is nothing and the pod's is nothing; set runAsNonRoot true (PSS restricted)`,
    ],
  },
  {
    policy: "k8s-run-as-non-root",
    name: "a container that overrides the pod with runAsNonRoot false and uid 0",
    resources: [withContainer({ securityContext: ctx({ runAsNonRoot: false, runAsUser: 0 }) })],
    violations: [
      `${SS}: ${C0}.securityContext.runAsNonRoot is false and the pod's is true; set runAsNonRoot true (PSS restricted)`,
      `${SS}: ${C0}.securityContext.runAsUser is 0; use a non-zero uid (PSS restricted)`,
    ],
  },
  // k8s-no-privilege-escalation (PSS restricted)
  {
    policy: "k8s-no-privilege-escalation",
    name: "allowPrivilegeEscalation false",
    resources: [sts(restrictedPod)],
    violations: [],
  },
  {
    policy: "k8s-no-privilege-escalation",
    name: "escalation unset in a CronJob, and a privileged init container",
    resources: [
      workload(
        "batch/v1:CronJob",
        "backup",
        goodPodSpec({
          containers: [
            goodK8sContainer({
              name: "backup",
              securityContext: { capabilities: { drop: ["ALL"] } },
            }),
          ],
        }),
      ),
      sts(
        goodPodSpec({
          initContainers: [
            goodK8sContainer({ name: "init", securityContext: ctx({ privileged: true }) }),
          ],
        }),
      ),
    ],
    violations: [
      `CronJob genesis-monitoring/backup: spec.jobTemplate.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation is nothing; set it to false (PSS restricted)`,
      `${SS}: spec.template.spec.initContainers[0].securityContext.privileged is true; it must be false (PSS restricted)`,
    ],
  },
  // k8s-drop-all-capabilities (PSS restricted)
  {
    policy: "k8s-drop-all-capabilities",
    name: "drop ALL, and add back NET_BIND_SERVICE",
    resources: [
      sts(restrictedPod),
      withContainer({
        securityContext: ctx({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }),
      }),
    ],
    violations: [],
  },
  {
    policy: "k8s-drop-all-capabilities",
    name: "nothing dropped and NET_ADMIN added",
    resources: [withContainer({ securityContext: ctx({ capabilities: { add: ["NET_ADMIN"] } }) })],
    violations: [
      `${SS}: ${C0}.securityContext.capabilities.drop is []; it must include "ALL" (PSS restricted)`,
      `${SS}: ${C0}.securityContext.capabilities.add[0] is "NET_ADMIN"; only NET_BIND_SERVICE may be added (PSS restricted)`,
    ],
  },
  {
    policy: "k8s-drop-all-capabilities",
    name: "nothing dropped in a Job with no namespace and no name of its own",
    resources: [
      unnamed(
        workload(
          "batch/v1:Job",
          "migrate",
          goodPodSpec({
            containers: [goodK8sContainer({ securityContext: ctx({ capabilities: {} }) })],
          }),
          undefined,
          "",
        ),
      ),
    ],
    violations: [
      `Job default/migrate: ${C0}.securityContext.capabilities.drop is []; it must include "ALL" (PSS restricted)`,
    ],
  },
  // k8s-seccomp-runtime-default (PSS restricted)
  {
    policy: "k8s-seccomp-runtime-default",
    name: "RuntimeDefault on the pod, Localhost on a container",
    resources: [
      sts(restrictedPod),
      withContainer({
        securityContext: ctx({
          seccompProfile: { type: "Localhost", localhostProfile: "genesis.json" },
        }),
      }),
    ],
    violations: [],
  },
  {
    policy: "k8s-seccomp-runtime-default",
    name: "no profile on the pod, and a container set to Unconfined",
    resources: [
      sts(goodPodSpec({ securityContext: { runAsNonRoot: true } })),
      workload(
        "apps/v1:Deployment",
        "grafana",
        goodPodSpec({
          containers: [
            goodK8sContainer({
              name: "grafana",
              securityContext: ctx({ seccompProfile: { type: "Unconfined" } }),
            }),
          ],
        }),
      ),
    ],
    violations: [
      `${SS}: spec.template.spec.securityContext.seccompProfile.type is nothing for container prometheus; set RuntimeDefault (PSS restricted)`,
      `Deployment genesis-monitoring/grafana: ${C0}.securityContext.seccompProfile.type is "Unconfined" for container grafana; set RuntimeDefault (PSS restricted)`,
    ],
  },
  {
    policy: "k8s-seccomp-runtime-default",
    name: "an unnamed ephemeral container set to Unconfined",
    resources: [
      sts(
        goodPodSpec({
          ephemeralContainers: [
            {
              image: "busybox",
              securityContext: ctx({ seccompProfile: { type: "Unconfined" } }),
            },
          ],
        }),
      ),
    ],
    violations: [
      `${SS}: spec.template.spec.ephemeralContainers[0].securityContext.seccompProfile.type is "Unconfined" for container ephemeralContainers[0]; set RuntimeDefault (PSS restricted)`,
    ],
  },
  // k8s-no-host-namespaces (PSS restricted)
  {
    policy: "k8s-no-host-namespaces",
    name: "no host namespace, Node Exporter included",
    resources: [sts(restrictedPod), nodeExporter()],
    violations: [],
  },
  {
    policy: "k8s-no-host-namespaces",
    name: "host network, PID and IPC, and a host port",
    resources: [
      workload(
        "apps/v1:DaemonSet",
        "node-exporter",
        goodPodSpec({
          hostNetwork: true,
          hostPID: true,
          hostIPC: true,
          containers: [
            goodK8sContainer({
              name: "node-exporter",
              ports: [{ containerPort: 9100, hostPort: 9100 }],
            }),
          ],
        }),
      ),
    ],
    violations: [
      `DaemonSet genesis-monitoring/node-exporter: spec.template.spec.hostNetwork is true; it must be false or unset (PSS restricted)`,
      `DaemonSet genesis-monitoring/node-exporter: spec.template.spec.hostPID is true; it must be false or unset (PSS restricted)`,
      `DaemonSet genesis-monitoring/node-exporter: spec.template.spec.hostIPC is true; it must be false or unset (PSS restricted)`,
      `DaemonSet genesis-monitoring/node-exporter: ${C0}.ports[0].hostPort is 9100; use a Service instead (PSS restricted)`,
    ],
  },
  {
    policy: "k8s-no-host-namespaces",
    name: "container ports without a host port, or with host port 0",
    resources: [
      withContainer({
        ports: [{ containerPort: 9090 }, { containerPort: 9091, hostPort: 0 }],
      }),
    ],
    violations: [],
  },
  // k8s-no-host-path (PSS restricted)
  {
    policy: "k8s-no-host-path",
    name: "no hostPath, and the Node Exporter DaemonSet's read-only /proc, /sys and /",
    resources: [sts(restrictedPod), nodeExporter()],
    violations: [],
  },
  {
    policy: "k8s-no-host-path",
    name: "a hostPath on a workload without the host-metrics label",
    resources: [
      sts(goodPodSpec({ volumes: [{ name: "data", hostPath: { path: "/srv/prometheus" } }] })),
    ],
    violations: [
      `${SS}: spec.template.spec.volumes[0].hostPath.path is "/srv/prometheus"; use no hostPath volume (PSS restricted)`,
    ],
  },
  {
    policy: "k8s-no-host-path",
    name: "the host-metrics label on a Deployment that mounts / writable and /var/run",
    resources: [
      nodeExporter(
        {
          volumes: [
            { name: "proc", hostPath: { path: "/proc" } },
            { name: "sys", hostPath: { path: "/sys" } },
            { name: "root", hostPath: { path: "/" } },
            { name: "run", hostPath: { path: "/var/run" } },
          ],
        },
        "apps/v1:Deployment",
        false,
      ),
    ],
    violations: [0, 1, 2, 3].map(
      (i) =>
        `Deployment genesis-monitoring/node-exporter: spec.template.spec.volumes[${i}].hostPath.path is ${JSON.stringify(["/proc", "/sys", "/", "/var/run"][i])}; use no hostPath volume (PSS restricted); the host-metrics exception (genesis.role=host-metrics) does not apply: it is not a DaemonSet, volume run is hostPath "/var/run" (allowed: /proc, /sys, /), ${C0}.volumeMounts[2] mounts root writable (must be readOnly)`,
    ),
  },
  {
    policy: "k8s-no-host-path",
    name: "the Node Exporter DaemonSet with a writable emptyDir beside its read-only host paths",
    resources: [
      nodeExporter({
        volumes: [
          { name: "proc", hostPath: { path: "/proc" } },
          { name: "sys", hostPath: { path: "/sys" } },
          { name: "root", hostPath: { path: "/" } },
          { name: "tmp", emptyDir: {} },
        ],
        containers: [
          goodK8sContainer({
            name: "node-exporter",
            volumeMounts: [
              { name: "proc", mountPath: "/host/proc", readOnly: true },
              { name: "sys", mountPath: "/host/sys", readOnly: true },
              { name: "root", mountPath: "/host/root", readOnly: true },
              { name: "tmp", mountPath: "/tmp" },
            ],
          }),
        ],
      }),
    ],
    violations: [],
  },
  {
    policy: "k8s-no-host-path",
    name: "the host-metrics label on a DaemonSet with the host's network and PID namespaces",
    resources: [nodeExporter({ hostNetwork: true, hostPID: true })],
    violations: [0, 1, 2].map(
      (i) =>
        `DaemonSet genesis-monitoring/node-exporter: spec.template.spec.volumes[${i}].hostPath.path is ${JSON.stringify(["/proc", "/sys", "/"][i])}; use no hostPath volume (PSS restricted); the host-metrics exception (genesis.role=host-metrics) does not apply: hostNetwork is true, hostPID is true`,
    ),
  },
  {
    policy: "k8s-no-host-path",
    name: "a hostPath beside an emptyDir: only the hostPath, at its index",
    resources: [
      sts(
        goodPodSpec({
          volumes: [
            { name: "tmp", emptyDir: {} },
            { name: "data", hostPath: { path: "/srv/prometheus" } },
          ],
        }),
      ),
    ],
    violations: [
      `${SS}: spec.template.spec.volumes[1].hostPath.path is "/srv/prometheus"; use no hostPath volume (PSS restricted)`,
    ],
  },
  // k8s-resource-limits
  {
    policy: "k8s-resource-limits",
    name: "requests and limits for CPU and memory",
    resources: [sts(restrictedPod)],
    violations: [],
  },
  {
    policy: "k8s-resource-limits",
    name: "a Job container with requests only",
    resources: [
      workload(
        "batch/v1:Job",
        "migrate",
        goodPodSpec({
          containers: [
            goodK8sContainer({
              name: "migrate",
              resources: { requests: { cpu: "10m", memory: "64Mi" } },
            }),
          ],
        }),
      ),
    ],
    violations: [
      `Job genesis-monitoring/migrate: ${C0}.resources lacks limits.cpu, limits.memory; set CPU and memory requests and limits`,
    ],
  },
  // k8s-namespace-network-policy (stack)
  {
    policy: "k8s-namespace-network-policy",
    name: "a namespace with a default-deny policy, and no Kubernetes at all",
    resources: [
      namespace("genesis-monitoring"),
      defaultDeny("genesis-monitoring"),
      sts(restrictedPod),
      container(),
    ],
    violations: [],
  },
  {
    policy: "k8s-namespace-network-policy",
    name: "a namespace whose only policy selects some pods, and a workload in an undeclared namespace",
    resources: [
      namespace("genesis-monitoring"),
      defaultDeny("genesis-monitoring", { podSelector: { matchLabels: { app: "grafana" } } }),
      workload("apps/v1:Deployment", "flagd", restrictedPod, { app: "flagd" }, "genesis-flags"),
      defaultDeny("genesis-flags", { policyTypes: ["Ingress"] }),
    ],
    violations: [
      "namespace genesis-monitoring: no NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress]; declare a default-deny policy there and allow only the flows needed",
      "namespace genesis-flags: no NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress]; declare a default-deny policy there and allow only the flows needed",
    ],
  },
  {
    policy: "k8s-namespace-network-policy",
    name: "a policy selecting pods by expression, and a policy-shaped resource of the removed extensions/v1beta1 API",
    resources: [
      namespace("genesis-monitoring"),
      defaultDeny("genesis-monitoring", {
        podSelector: { matchExpressions: [{ key: "app", operator: "Exists" }] },
      }),
      namespace("genesis-flags"),
      {
        ...defaultDeny("genesis-flags"),
        type: "kubernetes:extensions/v1beta1:NetworkPolicy",
      },
    ],
    violations: ["genesis-monitoring", "genesis-flags"].map(
      (ns) =>
        `namespace ${ns}: no NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress]; declare a default-deny policy there and allow only the flows needed`,
    ),
  },
  // stack-secrets-never-plain
  {
    policy: "stack-secrets-never-plain",
    name: "a secret file kept encrypted, a Secret reference in env, and a plain ConfigMap",
    resources: [
      configInit(),
      workload(
        "apps/v1:Deployment",
        "grafana",
        goodPodSpec({
          containers: [
            goodK8sContainer({
              name: "grafana",
              env: [
                {
                  name: "GF_SECURITY_ADMIN_PASSWORD",
                  valueFrom: { secretKeyRef: { name: "grafana", key: "password" } },
                },
                { name: "GF_SECURITY_ADMIN_PASSWORD__FILE", value: "/etc/secrets/password" },
              ],
            }),
          ],
        }),
      ),
      resource("kubernetes:core/v1:ConfigMap", "prometheus-config", {
        metadata: { namespace: "genesis-monitoring" },
        data: { "prometheus.yml": "global: {}\n" },
      }),
    ],
    violations: [],
  },
  {
    policy: "stack-secrets-never-plain",
    name: "a secret file without additionalSecretOutputs, a password in a ConfigMap, a literal token env",
    resources: [
      configInit({}, { additionalSecretOutputs: [] }),
      resource("kubernetes:core/v1:ConfigMap", "alertmanager-config", {
        metadata: { name: "alertmanager", namespace: "genesis-monitoring" },
        data: { "smtp-password": "hunter2" },
      }),
      workload(
        "apps/v1:Deployment",
        "flagd",
        goodPodSpec({
          containers: [
            goodK8sContainer({ name: "flagd", env: [{ name: "SYNC_TOKEN", value: "abc" }] }),
          ],
        }),
      ),
    ],
    violations: [
      'genesis-web-config: uploads[1] places secret file "/tmp/genesis-config/secrets/token" but additionalSecretOutputs is []; list "uploads" so state keeps it encrypted',
      "ConfigMap genesis-monitoring/alertmanager: data.smtp-password looks like a secret; put it in a Secret and mount it as a file",
      `Deployment genesis-monitoring/flagd container flagd: ${C0}.env sets SYNC_TOKEN to a literal value; mount the Secret as a file and pass its path`,
    ],
  },
  {
    policy: "stack-secrets-never-plain",
    name: "a password in a Kubernetes Secret, and a Docker variable (docker-no-secret-env judges those)",
    resources: [
      resource("kubernetes:core/v1:Secret", "grafana", {
        metadata: { name: "grafana", namespace: "genesis-monitoring" },
        data: { password: "aHVudGVyMg==" },
      }),
      container({ envs: ["DB_PASSWORD=hunter2"] }),
    ],
    violations: [],
  },
  {
    policy: "stack-secrets-never-plain",
    name: "a private key in a ConfigMap's binaryData, and a literal env whose name only contains _FILE",
    resources: [
      resource("kubernetes:core/v1:ConfigMap", "tls", {
        metadata: { name: "tls", namespace: "genesis-monitoring" },
        binaryData: { "tls-private-key": "LS0t" },
      }),
      withContainer({ env: [{ name: "SECRET_FILE_CONTENTS", value: "abc" }] }),
    ],
    violations: [
      "ConfigMap genesis-monitoring/tls: binaryData.tls-private-key looks like a secret; put it in a Secret and mount it as a file",
      `${SS} container prometheus: ${C0}.env sets SECRET_FILE_CONTENTS to a literal value; mount the Secret as a file and pass its path`,
    ],
  },
  // grafana-no-signup-no-anonymous
  {
    policy: "grafana-no-signup-no-anonymous",
    name: "Grafana on Docker and on Kubernetes with both settings off",
    resources: [
      container({ name: "genesis-grafana", envs: grafanaEnv }),
      workload(
        "apps/v1:Deployment",
        "grafana",
        goodPodSpec({
          containers: [
            goodK8sContainer({
              name: "grafana",
              image: `grafana/grafana:11.3.0@sha256:${DIGEST}`,
              env: [
                { name: "GF_USERS_ALLOW_SIGN_UP", value: "false" },
                { name: "GF_AUTH_ANONYMOUS_ENABLED", value: "false" },
              ],
            }),
          ],
        }),
      ),
    ],
    violations: [],
  },
  {
    policy: "grafana-no-signup-no-anonymous",
    name: "sign-up on, and anonymous access left to the image's default",
    resources: [
      container({ name: "genesis-grafana", envs: ["GF_USERS_ALLOW_SIGN_UP=true"] }),
      workload(
        "apps/v1:Deployment",
        "grafana",
        goodPodSpec({
          containers: [
            goodK8sContainer({
              name: "grafana",
              image: `grafana/grafana:11.3.0@sha256:${DIGEST}`,
              env: [{ name: "GF_USERS_ALLOW_SIGN_UP", value: "false" }],
            }),
          ],
        }),
      ),
    ],
    violations: [
      'genesis-grafana: envs sets GF_USERS_ALLOW_SIGN_UP to "true"; it must be "false"',
      'genesis-grafana: envs sets GF_AUTH_ANONYMOUS_ENABLED to nothing; it must be "false"',
      `Deployment genesis-monitoring/grafana container grafana: ${C0}.env sets GF_AUTH_ANONYMOUS_ENABLED to nothing; it must be "false"`,
    ],
  },
  {
    policy: "grafana-no-signup-no-anonymous",
    name: "a service that is not Grafana, and Grafana's config-init container",
    resources: [container(), configInit({ name: "genesis-grafana-config" })],
    violations: [],
  },
  {
    policy: "grafana-no-signup-no-anonymous",
    name: "Grafana known by its GF_ settings, by its image, and a setting without a value",
    resources: [
      container({
        name: "genesis-dashboards",
        envs: ["LOG_LEVEL=info", "GF_USERS_ALLOW_SIGN_UP=true"],
      }),
      container({
        name: "genesis-grafana",
        envs: ["GF_USERS_ALLOW_SIGN_UP=false", "GF_AUTH_ANONYMOUS_ENABLED"],
      }),
      workload(
        "apps/v1:Deployment",
        "dashboards",
        goodPodSpec({
          containers: [
            goodK8sContainer({
              name: "dashboards",
              image: `grafana/grafana:11.3.0@sha256:${DIGEST}`,
            }),
          ],
        }),
      ),
    ],
    violations: [
      'genesis-dashboards: envs sets GF_USERS_ALLOW_SIGN_UP to "true"; it must be "false"',
      'genesis-dashboards: envs sets GF_AUTH_ANONYMOUS_ENABLED to nothing; it must be "false"',
      'genesis-grafana: envs sets GF_AUTH_ANONYMOUS_ENABLED to ""; it must be "false"',
      `Deployment genesis-monitoring/dashboards container dashboards: ${C0}.env sets GF_USERS_ALLOW_SIGN_UP to nothing; it must be "false"`,
      `Deployment genesis-monitoring/dashboards container dashboards: ${C0}.env sets GF_AUTH_ANONYMOUS_ENABLED to nothing; it must be "false"`,
    ],
  },
  // monitoring-no-admin-endpoints
  {
    policy: "monitoring-no-admin-endpoints",
    name: "Prometheus and Alertmanager with their plain flags",
    resources: [
      container({
        name: "genesis-prometheus",
        command: ["--config.file=/etc/prometheus/prometheus.yml", "--web.listen-address=:9090"],
      }),
      container({
        name: "genesis-alertmanager",
        command: ["--config.file=/etc/alertmanager/alertmanager.yml", "--cluster.listen-address="],
      }),
      sts(restrictedPod),
    ],
    violations: [],
  },
  {
    policy: "monitoring-no-admin-endpoints",
    name: "admin API and lifecycle on Docker, remote-write receiver on Kubernetes",
    resources: [
      container({
        name: "genesis-prometheus",
        command: ["--web.enable-admin-api", "--web.enable-lifecycle"],
      }),
      withContainer({
        args: [
          "--config.file=/etc/prometheus/prometheus.yml",
          "--enable-feature=exemplar-storage,remote-write-receiver",
        ],
      }),
    ],
    violations: [
      'genesis-prometheus: command has "--web.enable-admin-api"; remove it (allowed: none of --web.enable-admin-api, --web.enable-lifecycle, --web.enable-remote-write-receiver, --enable-feature=remote-write-receiver)',
      'genesis-prometheus: command has "--web.enable-lifecycle"; remove it (allowed: none of --web.enable-admin-api, --web.enable-lifecycle, --web.enable-remote-write-receiver, --enable-feature=remote-write-receiver)',
      `${SS} container prometheus: ${C0}.command/args has "--enable-feature=exemplar-storage,remote-write-receiver"; remove it (allowed: none of --web.enable-admin-api, --web.enable-lifecycle, --web.enable-remote-write-receiver, --enable-feature=remote-write-receiver)`,
    ],
  },
  {
    policy: "monitoring-no-admin-endpoints",
    name: "the remote-write receiver first among features, and lifecycle given a value",
    resources: [
      container({
        name: "genesis-prometheus",
        command: [
          "--enable-feature=remote-write-receiver,exemplar-storage",
          "--web.enable-lifecycle=true",
        ],
      }),
    ],
    violations: [
      "--enable-feature=remote-write-receiver,exemplar-storage",
      "--web.enable-lifecycle=true",
    ].map(
      (a) =>
        `genesis-prometheus: command has ${JSON.stringify(a)}; remove it (allowed: none of --web.enable-admin-api, --web.enable-lifecycle, --web.enable-remote-write-receiver, --enable-feature=remote-write-receiver)`,
    ),
  },
  {
    policy: "monitoring-no-admin-endpoints",
    name: "the feature list as two arguments, and a value that is not false",
    resources: [
      container({
        name: "genesis-prometheus",
        command: [
          "--enable-feature",
          "exemplar-storage,remote-write-receiver",
          "--web.enable-admin-api=1",
          "--web.enable-remote-write-receiver=yes",
        ],
      }),
    ],
    violations: [
      "--enable-feature exemplar-storage,remote-write-receiver",
      "--web.enable-admin-api=1",
      "--web.enable-remote-write-receiver=yes",
    ].map(
      (a) =>
        `genesis-prometheus: command has ${JSON.stringify(a)}; remove it (allowed: none of --web.enable-admin-api, --web.enable-lifecycle, --web.enable-remote-write-receiver, --enable-feature=remote-write-receiver)`,
    ),
  },
  {
    policy: "monitoring-no-admin-endpoints",
    name: "the endpoints turned off explicitly, and other features as two arguments",
    resources: [
      container({
        name: "genesis-prometheus",
        command: [
          "--web.enable-admin-api=false",
          "--web.enable-lifecycle=0",
          "--enable-feature",
          "exemplar-storage",
          "--enable-feature=native-histograms",
        ],
      }),
    ],
    violations: [],
  },
];
