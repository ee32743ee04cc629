/**
 * The monitoring stack's services: ports, health endpoints, users and writable paths.
 * One catalogue that the Docker component, the Kubernetes component, the rendered
 * Prometheus configuration and the gates' health checks all read.
 */

/** The services of the monitoring stack. */
export type MonitoringServiceName = "prometheus" | "grafana" | "alertmanager" | "nodeExporter";

/** The services that deliver the rollout beside the monitoring stack (Docker platform). */
export type RolloutServiceName = "flagd" | "app";

/** Every service the stack can run. */
export type StackServiceName = MonitoringServiceName | RolloutServiceName;

/** One service of the stack. */
export interface MonitoringService {
  /** Its key in {@link MONITORING_SERVICES} or {@link ROLLOUT_SERVICES}. */
  readonly name: StackServiceName;
  /** The host name other containers reach it by (network alias, Kubernetes Service). */
  readonly host: string;
  /** The port it listens on inside its container, and is published on at 127.0.0.1. */
  readonly port: number;
  /** Its own health endpoint: 200 means healthy. */
  readonly healthPath: string;
  /** The path Prometheus scrapes for its metrics. */
  readonly metricsPath: string;
  /**
   * The port of its metrics and health endpoints, when not {@link port}.
   * @default port
   */
  readonly metricsPort?: number;
  /** The Prometheus job that scrapes it. */
  readonly job: string;
  /** The user it runs as, `uid:gid`; the image's own non-root user. */
  readonly user: string;
  /** Where its data lives (a named volume that outlives containers); absent when stateless. */
  readonly dataPath?: string;
  /**
   * Where its configuration files go: a directory its image already owns for its user, so
   * a fresh named volume mounted there starts with that ownership.
   */
  readonly configDir?: string;
  /** Memory limit in MiB. */
  readonly memoryMb: number;
}

/** The Prometheus job that scrapes the application under rollout. */
export const APP_JOB = "genesis-app";

/** The name of the isolated bridge network the stack runs on. */
export const MONITORING_NETWORK = "genesis-monitoring";

/** The address every published port binds to: never 0.0.0.0. */
export const PUBLISH_ADDRESS = "127.0.0.1";

/** The catalogue. Users are the images' own: nobody (65534) and Grafana's 472 with group 0. */
export const MONITORING_SERVICES: Readonly<Record<MonitoringServiceName, MonitoringService>> =
  Object.freeze({
    prometheus: {
      name: "prometheus",
      host: "prometheus",
      port: 9090,
      healthPath: "/-/healthy",
      metricsPath: "/metrics",
      job: "prometheus",
      user: "65534:65534",
      dataPath: "/prometheus",
      configDir: "/etc/prometheus",
      memoryMb: 1024,
    },
    grafana: {
      name: "grafana",
      host: "grafana",
      port: 3000,
      healthPath: "/api/health",
      metricsPath: "/metrics",
      job: "grafana",
      user: "472:0",
      dataPath: "/var/lib/grafana",
      configDir: "/etc/grafana/provisioning",
      memoryMb: 512,
    },
    alertmanager: {
      name: "alertmanager",
      host: "alertmanager",
      port: 9093,
      healthPath: "/-/ready",
      metricsPath: "/metrics",
      job: "alertmanager",
      user: "65534:65534",
      dataPath: "/alertmanager",
      configDir: "/etc/alertmanager",
      memoryMb: 256,
    },
    nodeExporter: {
      name: "nodeExporter",
      host: "node-exporter",
      port: 9100,
      healthPath: "/metrics",
      metricsPath: "/metrics",
      job: "node-exporter",
      user: "65534:65534",
      memoryMb: 128,
    },
  });

/**
 * flagd, which serves the rollout flag to applications on the network (gRPC and HTTP on
 * 8013; health and metrics on its management port 8014), and the reference service under
 * rollout. flagd's image is distroless and runs as 65532; the reference service's image
 * runs as Node's unprivileged `node` user (1000).
 */
export const ROLLOUT_SERVICES: Readonly<Record<RolloutServiceName, MonitoringService>> =
  Object.freeze({
    flagd: {
      name: "flagd",
      host: "flagd",
      port: 8013,
      healthPath: "/healthz",
      metricsPath: "/metrics",
      metricsPort: 8014,
      job: "flagd",
      user: "65532:65532",
      configDir: "/etc/flagd",
      memoryMb: 128,
    },
    app: {
      name: "app",
      host: "genesis-app",
      port: 8080,
      healthPath: "/health",
      metricsPath: "/metrics",
      job: APP_JOB,
      user: "1000:1000",
      memoryMb: 256,
    },
  });

/** The services in a fixed order (the order they are declared and listed in). */
export const MONITORING_SERVICE_NAMES: readonly MonitoringServiceName[] = Object.freeze([
  "prometheus",
  "alertmanager",
  "grafana",
  "nodeExporter",
]);

/** The URL a service is reached at from the machine running Pulumi (its published port). */
export function localUrl(service: MonitoringService): string {
  return `http://${PUBLISH_ADDRESS}:${service.port}`;
}

/** The URL a service is reached at from inside the monitoring network. */
export function networkUrl(service: MonitoringService): string {
  return `http://${service.host}:${service.port}`;
}
