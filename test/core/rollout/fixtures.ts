/** Shared builders for the rollout core's tests: rules, checks and measurements. */
import { CheckResult, CheckVerdict } from "../../../core/gate/types";
import { BakeMeasurement } from "../../../core/rollout/bakeLoop";
import { BakeRules } from "../../../core/rollout/bakeRules";

/** 60 s window, 15 s scrapes, 1 % / 500 ms, severe at 10 %, 3 health failures. */
export const RULES: BakeRules = {
  windowSeconds: 60,
  scrapeIntervalSeconds: 15,
  errorRateThresholdPercent: 1,
  latencyP95ThresholdMs: 500,
  severeErrorRateThresholdPercent: 10,
  severeWindowSeconds: 60,
  severeForSeconds: 0,
  healthFailureLimit: 3,
};

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
  severeErrorRatePercent: 0.1,
  ...over,
});
