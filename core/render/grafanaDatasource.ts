/**
 * Renders Grafana's datasource provisioning: one Prometheus datasource with a fixed uid,
 * so dashboards and alert rules can reference it without looking it up.
 */
import * as YAML from "yaml";
import { MONITORING_SERVICES, networkUrl } from "../monitoring/services";

/** The uid every dashboard and Grafana alert rule uses for Prometheus. */
export const PROMETHEUS_DATASOURCE_UID = "genesis-prometheus";

/** Renders provisioning/datasources/prometheus.yml; `prometheusUrl` as Grafana reaches it. */
export function renderGrafanaDatasource(
  prometheusUrl: string = networkUrl(MONITORING_SERVICES.prometheus),
): string {
  const doc = {
    apiVersion: 1,
    datasources: [
      {
        name: "Prometheus",
        uid: PROMETHEUS_DATASOURCE_UID,
        type: "prometheus",
        access: "proxy",
        url: prometheusUrl,
        isDefault: true,
        editable: false,
        jsonData: { httpMethod: "POST" },
      },
    ],
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}
