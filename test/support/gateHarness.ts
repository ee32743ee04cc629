/**
 * The gate as the data integration tests drive it: settings for one application job on a
 * loopback world of real tools, and one promotion 5 % -> 10 % through Pulumi's
 * dynamic-provider host, with the decision it saved.
 */
import { CheckResult, DecisionRecord, GateSettings } from "../../core/gate/types";
import { ProviderHost } from "./providerHost";
import { Service } from "./processes";

/** The tools a loopback gate reaches, and the application's target. */
export interface GateWorld {
  readonly prometheus: Service;
  readonly grafana: Service;
  readonly alertmanager: Service;
  readonly nodeExporter: Service;
  /** host:port of the application (its /health and its scrape target). */
  readonly instance: string;
  /** The validation window, in seconds (1 s scrapes). */
  readonly windowSeconds: number;
}

/** The gate's settings for job `job` of `world`: the stack defaults, 20 requests at least. */
export function gateSettingsFor(world: GateWorld, job: string): GateSettings {
  return {
    steps: [0, 5, 10, 25, 50, 75, 100],
    allowStepSkip: false,
    cooldownSeconds: 60,
    overrideReason: "",
    errorRateThresholdPercent: 1,
    latencyP95ThresholdMs: 500,
    validationWindowSeconds: world.windowSeconds,
    minRequestCount: 20,
    canaryErrorMarginPercent: 0.5,
    scrapeIntervalSeconds: 1,
    appInstance: world.instance,
    appJob: job,
    statusLabel: "code",
    endpoints: {
      prometheusUrl: world.prometheus.url,
      grafanaUrl: world.grafana.url,
      alertmanagerUrl: world.alertmanager.url,
      nodeExporterUrl: world.nodeExporter.url,
      appHealthUrl: `http://${world.instance}/health`,
    },
    requestTimeoutMs: 2000,
    decisionTimeoutMs: 10_000,
    retries: 1,
  };
}

/**
 * One promotion 5 % -> 10 % of a stage live for longer than its window, through the host
 * running `provider`; resolves to the live percentage, the decision saved and its checks.
 */
export async function promoteThroughHost(
  host: ProviderHost,
  provider: string,
  settings: GateSettings,
): Promise<{
  percentage: unknown;
  record: DecisionRecord;
  byName: Record<string, CheckResult>;
}> {
  const state = {
    percentage: 5,
    liveSinceMs: Date.now() - (settings.validationWindowSeconds + 10) * 1000,
    lastVerdicts: [],
    records: [],
  };
  const outs = await host.update(
    "rollout-gate",
    { __provider: provider, targetPercentage: 5, settings, percentage: 5, state },
    { __provider: provider, targetPercentage: 10, settings },
  );
  const record = outs.lastDecision as unknown as DecisionRecord;
  const byName = Object.fromEntries(record.checks.map((c) => [c.name, c]));
  return { percentage: outs.percentage, record, byName };
}
