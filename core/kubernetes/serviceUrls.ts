/**
 * The in-cluster URLs of the Kubernetes stack's services: the Service DNS names a gate
 * runner inside the cluster uses, and the targets `kubectl port-forward` forwards to. Pure.
 */
import { StackConfig } from "../config/stackConfig";
import { MONITORING_SERVICES } from "../monitoring/services";
import { HELM_RELEASE_NAME } from "./kubePrometheusStack";
import { FLAGD, clusterUrl, nodeExporterNamespace } from "./workloads";

/** A URL per service, plus flagd's evaluation URL. */
export interface KubernetesServiceUrls {
  /** Prometheus. */
  readonly prometheus: string;
  /** Alertmanager. */
  readonly alertmanager: string;
  /** Grafana. */
  readonly grafana: string;
  /** Node Exporter (headless: any node's exporter answers). */
  readonly nodeExporter: string;
  /** flagd's evaluation port. */
  readonly flagd: string;
}

/**
 * The Grafana Service port the kube-prometheus-stack chart's Grafana subchart uses (its
 * `service.port` default), which forwards to Grafana's 3000.
 */
export const CHART_GRAFANA_SERVICE_PORT = 80;

/**
 * The in-cluster URL of every service. In plain mode the Services are named after the
 * services; in helm mode the chart names them `<release>-prometheus`,
 * `<release>-alertmanager` and `<release>-grafana` (release `genesis`, `fullnameOverride`).
 */
export function kubernetesServiceUrls(config: StackConfig): KubernetesServiceUrls {
  const ns = config.kubernetes.namespace;
  const { prometheus, alertmanager, grafana, nodeExporter } = MONITORING_SERVICES;
  const plain = config.kubernetes.mode === "plain";
  const chart = (host: string) => `${HELM_RELEASE_NAME}-${host}`;
  return {
    prometheus: clusterUrl(plain ? prometheus.host : chart(prometheus.host), ns, prometheus.port),
    alertmanager: clusterUrl(
      plain ? alertmanager.host : chart(alertmanager.host),
      ns,
      alertmanager.port,
    ),
    grafana: plain
      ? clusterUrl(grafana.host, ns, grafana.port)
      : clusterUrl(chart(grafana.host), ns, CHART_GRAFANA_SERVICE_PORT),
    nodeExporter: clusterUrl(nodeExporter.host, nodeExporterNamespace(config), nodeExporter.port),
    flagd: clusterUrl(FLAGD.host, ns, FLAGD.evaluationPort),
  };
}
