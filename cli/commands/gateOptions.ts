/** The options `genesis health` and `genesis gate` share: the stack and URL overrides. */
import { Command } from "commander";
import { GateEndpoints } from "../../core/gate/types";

/** The parsed shared options. */
export interface GateCommandOptions {
  readonly stack: string;
  readonly projectDir?: string;
  readonly json?: boolean;
  readonly prometheusUrl?: string;
  readonly grafanaUrl?: string;
  readonly alertmanagerUrl?: string;
  readonly nodeExporterUrl?: string;
  readonly appUrl?: string;
  readonly appInstance?: string;
}

/** Adds the shared options to `cmd`. */
export function addGateOptions(cmd: Command): Command {
  return cmd
    .requiredOption("--stack <name>", "the stack whose settings to use (Pulumi.<name>.yaml)")
    .option("--project-dir <dir>", "where Pulumi.yaml lives (default: this project)")
    .option("--json", "print JSON instead of a table")
    .option("--prometheus-url <url>", "Prometheus base URL (overrides genesis:prometheusUrl)")
    .option("--grafana-url <url>", "Grafana base URL (overrides genesis:grafanaUrl)")
    .option("--alertmanager-url <url>", "Alertmanager base URL (overrides genesis:alertmanagerUrl)")
    .option(
      "--node-exporter-url <url>",
      "Node Exporter base URL (overrides genesis:nodeExporterUrl)",
    )
    .option("--app-url <url>", "the application's health URL (overrides genesis:appHealthUrl)")
    .option(
      "--app-instance <host:port>",
      "the application's scrape target as Prometheus labels it (overrides genesis:appMetricsTarget)",
    );
}

/** The endpoint overrides the flags give. */
export function endpointOverrides(o: GateCommandOptions): Partial<GateEndpoints> {
  return {
    prometheusUrl: o.prometheusUrl,
    grafanaUrl: o.grafanaUrl,
    alertmanagerUrl: o.alertmanagerUrl,
    nodeExporterUrl: o.nodeExporterUrl,
    appHealthUrl: o.appUrl,
  };
}
