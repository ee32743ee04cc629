/**
 * Where the gate's five health probes go. Pure: endpoints in, URLs out; the fetching is in
 * io/gateProbe.ts and the judging in checks.ts.
 *
 * Node Exporter is asked for one cheap collector (`collect[]=time`) rather than a full
 * scrape: the probe still goes through `/metrics` and the exporter's registry (its answer
 * must carry node_exporter_build_info), but it no longer makes the host gather every
 * collector on each decision (about 8 ms against about 1 ms here, eight times any other
 * probe). Whether every collector works is Prometheus's scrape's business, watched by the
 * monitoring stack's own target-down alert.
 */
import { GateEndpoints } from "./types";

/** The collector the Node Exporter probe asks for; enabled by default on Linux. */
export const NODE_EXPORTER_PROBE_COLLECTOR = "time";

/** The path (with query) of the Node Exporter probe. */
export const NODE_EXPORTER_PROBE_PATH = `/metrics?collect[]=${NODE_EXPORTER_PROBE_COLLECTOR}`;

/** The URL each health probe GETs, by component. */
export interface HealthProbeUrls {
  readonly prometheus: string;
  readonly grafana: string;
  readonly alertmanager: string;
  readonly nodeExporter: string;
  readonly app: string;
}

const trim = (url: string): string => url.replace(/\/+$/, "");

/** The five probe URLs for `endpoints` (base URLs with or without a trailing slash). */
export function healthProbeUrls(endpoints: GateEndpoints): HealthProbeUrls {
  return {
    prometheus: `${trim(endpoints.prometheusUrl)}/-/healthy`,
    grafana: `${trim(endpoints.grafanaUrl)}/api/health`,
    alertmanager: `${trim(endpoints.alertmanagerUrl)}/-/ready`,
    nodeExporter: `${trim(endpoints.nodeExporterUrl)}${NODE_EXPORTER_PROBE_PATH}`,
    app: endpoints.appHealthUrl,
  };
}
