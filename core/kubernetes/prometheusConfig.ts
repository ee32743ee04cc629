/**
 * Adapts the rendered prometheus.yml to Kubernetes. Pure.
 *
 * The Docker stack scrapes one Node Exporter at `node-exporter:9100`. On Kubernetes Node
 * Exporter is a DaemonSet, and a Service would hand each scrape to a different node. Its
 * Service is headless instead, so its DNS name resolves to every pod, and Prometheus finds
 * them with DNS service discovery (no API access, no RBAC). Every other job and setting is
 * the rendered file's, unchanged.
 */
import * as YAML from "yaml";
import { MONITORING_SERVICES } from "../monitoring/services";

/** How often Prometheus re-resolves Node Exporter's pods. */
export const NODE_EXPORTER_DNS_REFRESH = "30s";

/**
 * The rendered prometheus.yml with the Node Exporter job discovering every pod behind
 * `nodeExporterDnsName` (a headless Service) instead of one static target.
 */
export function adaptPrometheusConfigForKubernetes(
  renderedYaml: string,
  nodeExporterDnsName: string,
): string {
  const doc = YAML.parse(renderedYaml) as { scrape_configs?: Record<string, unknown>[] };
  const job = MONITORING_SERVICES.nodeExporter.job;
  const scrapes = doc.scrape_configs ?? [];
  const index = scrapes.findIndex((s) => s.job_name === job);
  if (index < 0) throw new Error(`prometheus.yml has no scrape job "${job}" to adapt`);
  const { static_configs: _static, ...rest } = scrapes[index];
  void _static;
  scrapes[index] = {
    ...rest,
    dns_sd_configs: [
      {
        names: [nodeExporterDnsName],
        type: "A",
        port: MONITORING_SERVICES.nodeExporter.port,
        refresh_interval: NODE_EXPORTER_DNS_REFRESH,
      },
    ],
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}
