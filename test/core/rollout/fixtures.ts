/** Shared builders for the rollout core's tests: rules, checks and measurements. */
import { CheckResult, CheckVerdict } from "../../../core/gate/types";
import { BakeMeasurement } from "../../../core/rollout/bakeLoop";
import { parseStackConfig, StackConfig } from "../../../core/config/stackConfig";
import { bakeRulesFromConfig, BakeRules } from "../../../core/rollout/bakeRules";

/** A staging stack: 60 s window, 15 s scrapes, 1 % / 500 ms, 3 health failures. */
export const CONFIG: StackConfig = parseStackConfig({
  values: {
    environment: "staging",
    validationWindowSeconds: 60,
    scrapeIntervalSeconds: 15,
    healthFailureLimit: 3,
    appMetricsTarget: "app:8080",
  },
  secrets: { grafanaAdminPassword: "encrypted" },
});

/**
 * Its bake rules, with the project's SLO rules: error rate > 1 % and P95 > 500 ms over a
 * 30 s short window held for 60 s, the severe fast path at >= 10 % held for 30 s.
 */
export const RULES: BakeRules = bakeRulesFromConfig(CONFIG);

/** A check with `verdict`. */
export const check = (name: string, verdict: CheckVerdict = "pass", value = "v"): CheckResult => ({
  name,
  value,
  threshold: "t",
  verdict,
  reason: `${name} ${verdict}`,
});

/** Five health checks; `down` names the ones that fail. */
export const health = (...down: string[]): CheckResult[] =>
  [
    "prometheus health",
    "grafana health",
    "alertmanager health",
    "node-exporter health",
    "app health",
  ].map((n) => check(n, down.includes(n) ? "error" : "pass"));

/** The window checks, all passing unless overridden by name. */
export const windowChecks = (over: Record<string, CheckVerdict> = {}): CheckResult[] =>
  ["data freshness", "request count", "error rate", "p95 latency"].map((n) =>
    check(n, over[n] ?? "pass"),
  );

/** A healthy measurement at `atMs`, with overrides. */
export const measurement = (
  atMs: number,
  over: Partial<BakeMeasurement> = {},
): BakeMeasurement => ({
  atMs,
  health: health(),
  window: windowChecks(),
  errorRatePercent: 0.1,
  latencyP95Ms: 120,
  shortErrorRatio: 0.001,
  shortLatencyP95Seconds: 0.12,
  ...over,
});
