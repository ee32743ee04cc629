/**
 * Crafted resources for the policy pack's cases: compliant baselines shaped like what the
 * Docker provider and @pulumi/kubernetes receive, and builders that break one field.
 */
import { DeclaredResource } from "../../policy/evaluate";

/** The Docker container type token. */
export const CONTAINER = "docker:index/container:Container";
/** The pulled-image type token. */
export const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

/** A digest for crafted pinned images. */
export const DIGEST = "c".repeat(64);

/** A crafted resource of `type` named `name`. */
export function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  options: Partial<DeclaredResource["options"]> = {},
): DeclaredResource {
  return {
    type,
    name,
    urn: `urn:pulumi:test::genesis::${type}::${name}`,
    parent: "",
    inputs,
    options: {
      protect: false,
      deleteBeforeReplace: false,
      additionalSecretOutputs: [],
      dependsOn: [],
      ...options,
    },
  };
}

/** A service container that complies with every Docker rule. */
export const GOOD_CONTAINER: Readonly<Record<string, unknown>> = Object.freeze({
  name: "genesis-web",
  image: `sha256:${"b".repeat(64)}`,
  user: "65534:65534",
  readOnly: true,
  privileged: false,
  capabilities: { drops: ["ALL"] },
  securityOpts: ["no-new-privileges:true"],
  ipcMode: "private",
  memory: 256,
  memorySwap: 256,
  restart: "unless-stopped",
  networkMode: "genesis-monitoring",
  networksAdvanced: [{ name: "genesis-monitoring", aliases: ["web"] }],
  ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1", protocol: "tcp" }],
  healthcheck: { tests: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:8080/health"] },
  envs: ["LOG_LEVEL=info", "DB_PASSWORD_FILE=/run/secrets/db-password"],
  mounts: [{ type: "volume", source: "genesis-web-data", target: "/data" }],
  labels: [{ label: "genesis.stack", value: "production" }],
});

/** A config-init container that earns the config-init exception. */
export const GOOD_CONFIG_INIT: Readonly<Record<string, unknown>> = Object.freeze({
  name: "genesis-web-config",
  image: `sha256:${"b".repeat(64)}`,
  entrypoints: ["/bin/sh", "-c"],
  command: ["cp -R /tmp/genesis-config/. /etc/web/"],
  user: "65534:65534",
  networkMode: "none",
  privileged: false,
  capabilities: { drops: ["ALL"] },
  securityOpts: ["no-new-privileges:true"],
  memory: 64,
  restart: "no",
  uploads: [
    { file: "/tmp/genesis-config/web.yml", content: "a: 1\n" },
    { file: "/tmp/genesis-config/secrets/token", content: "s3cr3t" },
  ],
  mounts: [{ type: "volume", source: "genesis-web-config", target: "/etc/web" }],
  labels: [
    { label: "genesis.stack", value: "production" },
    { label: "genesis.role", value: "config-init" },
  ],
});

/** A Docker container: {@link GOOD_CONTAINER} with `overrides`. */
export function container(
  overrides: Record<string, unknown> = {},
  options: Partial<DeclaredResource["options"]> = {},
): DeclaredResource {
  return resource(CONTAINER, "web", { ...GOOD_CONTAINER, ...overrides }, options);
}

/** A config-init container: {@link GOOD_CONFIG_INIT} with `overrides`. */
export function configInit(
  overrides: Record<string, unknown> = {},
  options: Partial<DeclaredResource["options"]> = { additionalSecretOutputs: ["uploads"] },
): DeclaredResource {
  return resource(CONTAINER, "web-config", { ...GOOD_CONFIG_INIT, ...overrides }, options);
}

/** A container spec that complies with PSS restricted and has requests and limits. */
export function goodK8sContainer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "prometheus",
    image: `prom/prometheus:v2.55.1@sha256:${DIGEST}`,
    args: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"],
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    resources: {
      requests: { cpu: "100m", memory: "512Mi" },
      limits: { cpu: "1", memory: "1Gi" },
    },
    ...overrides,
  };
}

/** A pod spec that complies with PSS restricted. */
export function goodPodSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65534,
      fsGroup: 65534,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containers: [goodK8sContainer()],
    ...overrides,
  };
}

/** A workload of `type` (`apps/v1:StatefulSet`, ...) in namespace `ns` with pod spec `pod`. */
export function workload(
  type: string,
  name: string,
  pod: Record<string, unknown>,
  podLabels: Record<string, string> = { app: name },
  ns = "genesis-monitoring",
): DeclaredResource {
  const metadata = { name, namespace: ns, labels: podLabels };
  if (type === "core/v1:Pod") {
    return resource(`kubernetes:${type}`, name, { metadata, spec: pod });
  }
  const template = { metadata: { labels: podLabels }, spec: pod };
  if (type === "batch/v1:CronJob") {
    return resource(`kubernetes:${type}`, name, {
      metadata,
      spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template } } },
    });
  }
  return resource(`kubernetes:${type}`, name, {
    metadata,
    spec: { selector: { matchLabels: podLabels }, template },
  });
}

/** A Namespace named `name`. */
export function namespace(name: string): DeclaredResource {
  return resource("kubernetes:core/v1:Namespace", name, {
    metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  });
}

/** A default-deny NetworkPolicy in `ns` (podSelector {}, Ingress and Egress). */
export function defaultDeny(ns: string, spec: Record<string, unknown> = {}): DeclaredResource {
  return resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${ns}-default-deny`, {
    metadata: { name: "default-deny", namespace: ns },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ...spec },
  });
}
