/**
 * What the Kubernetes platform adds to the service catalogue: labels, namespaces, CPU,
 * storage, and flagd's ports. Memory, ports, users and health paths stay in
 * core/monitoring/services.ts, shared with the Docker stack. Pure.
 */
import { StackConfig } from "../config/stackConfig";
import {
  MONITORING_SERVICES,
  MonitoringServiceName,
  ROLLOUT_SERVICES,
} from "../monitoring/services";

/** The value of `app.kubernetes.io/part-of` on every object the stack declares. */
export const PART_OF = "genesis";

/** The workloads the Kubernetes platform runs: the monitoring services and flagd. */
export type KubernetesWorkloadName = MonitoringServiceName | "flagd";

/**
 * flagd on Kubernetes: serves the rollout flag file from a ConfigMap. Ports, user, memory,
 * health path and config directory are the service catalogue's (shared with Docker); the
 * OFREP port and readiness path are what the Kubernetes Service and probes add.
 */
export const FLAGD = Object.freeze({
  /** Service and workload name. */
  host: ROLLOUT_SERVICES.flagd.host,
  /** Flag evaluation (gRPC and HTTP/Connect). */
  evaluationPort: ROLLOUT_SERVICES.flagd.port,
  /** Management: `/healthz`, `/readyz` and `/metrics`. */
  managementPort: ROLLOUT_SERVICES.flagd.metricsPort ?? 8014,
  /** OpenFeature Remote Evaluation Protocol (OFREP). */
  ofrepPort: 8016,
  /** Liveness endpoint on the management port. */
  healthPath: ROLLOUT_SERVICES.flagd.healthPath,
  /** Readiness endpoint on the management port. */
  readyPath: "/readyz",
  /** The distroless image's nonroot user. */
  user: ROLLOUT_SERVICES.flagd.user,
  /** Memory limit in MiB. */
  memoryMb: ROLLOUT_SERVICES.flagd.memoryMb,
  /** Where the flag file is mounted. */
  configDir: ROLLOUT_SERVICES.flagd.configDir ?? "/etc/flagd",
  /** The flag file's name in `configDir` (and its ConfigMap key). */
  fileName: "flags.json",
});

/** CPU and storage per workload: Kubernetes-only sizing the Docker stack does not need. */
export interface KubernetesSizing {
  /** CPU request in millicores. */
  readonly cpuRequestMillis: number;
  /** CPU limit in millicores. */
  readonly cpuLimitMillis: number;
  /** Size of the data PersistentVolumeClaim in GiB; absent when stateless. */
  readonly storageGiB?: number;
}

/** The sizing of every workload. */
export const KUBERNETES_SIZING: Readonly<Record<KubernetesWorkloadName, KubernetesSizing>> =
  Object.freeze({
    prometheus: { cpuRequestMillis: 250, cpuLimitMillis: 1000, storageGiB: 20 },
    alertmanager: { cpuRequestMillis: 50, cpuLimitMillis: 200, storageGiB: 1 },
    grafana: { cpuRequestMillis: 100, cpuLimitMillis: 500, storageGiB: 1 },
    nodeExporter: { cpuRequestMillis: 50, cpuLimitMillis: 200 },
    flagd: { cpuRequestMillis: 50, cpuLimitMillis: 200 },
  });

/** The Kubernetes object name of a workload and its Service. */
export function workloadHost(name: KubernetesWorkloadName): string {
  return name === "flagd" ? FLAGD.host : MONITORING_SERVICES[name].host;
}

/** The labels that select a workload's pods (also on its Service and in policies). */
export function selectorLabels(name: KubernetesWorkloadName): Record<string, string> {
  return { "app.kubernetes.io/name": workloadHost(name), "app.kubernetes.io/part-of": PART_OF };
}

/** The labels every object of the stack carries. */
export function stackLabels(config: StackConfig): Record<string, string> {
  return {
    "app.kubernetes.io/part-of": PART_OF,
    "app.kubernetes.io/managed-by": "pulumi",
    "genesis.io/environment": config.environment,
  };
}

/**
 * The pod label Node Exporter carries when it reads the host: it names the one exception to
 * "no hostPath" the policy pack grants (a DaemonSet mounting only /proc, /sys and /,
 * read-only, without host network or PID), so the exception is asked for, never implied.
 */
export const HOST_METRICS_POD_LABEL: Readonly<Record<string, string>> = Object.freeze({
  "genesis.role": "host-metrics",
});

/** The suffix of Node Exporter's own namespace when it reads the host. */
export const NODE_EXPORTER_NAMESPACE_SUFFIX = "-node-exporter";

/**
 * Where Node Exporter runs: the stack's namespace, or, with host access, its own namespace
 * (`<namespace>-node-exporter`), the only one whose Pod Security level admits hostPath.
 */
export function nodeExporterNamespace(config: StackConfig): string {
  return config.kubernetes.nodeExporterHostAccess
    ? `${config.kubernetes.namespace}${NODE_EXPORTER_NAMESPACE_SUFFIX}`
    : config.kubernetes.namespace;
}

/** A service's in-cluster URL (its Service's DNS name and port). */
export function clusterUrl(host: string, namespace: string, port: number): string {
  return `http://${host}.${namespace}.svc:${port}`;
}

/** The `port` of a `host:port` target. */
export function targetPort(target: string): number {
  const port = Number(target.slice(target.lastIndexOf(":") + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`target must be host:port with a port from 1 to 65535; got "${target}"`);
  }
  return port;
}

/** The port of a `host:port` SMTP relay, or undefined when none is configured. */
export function smtpPort(config: StackConfig): number | undefined {
  const relay = config.alerting.smtpSmarthost;
  return relay === "" ? undefined : targetPort(relay);
}
