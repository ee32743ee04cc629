/**
 * One bake tick's measurement, fetched with the gate's own probes and judged with the
 * gate's own checks (the five health probes, the gate's queries over the validation window),
 * plus the SLO rules' own short-window measures (core/slo/sloRules.ts), which the alerts use.
 */
import { chooseScope, evaluateGate, evaluateHealth } from "../../core/gate/checks";
import { QueryOutcome } from "../../core/gate/prometheusResponse";
import { GateSettings } from "../../core/gate/types";
import { BakeMeasurement } from "../../core/rollout/bakeLoop";
import { BakeRules } from "../../core/rollout/bakeRules";
import { sloRule } from "../../core/slo/sloRules";
import { collectHealth, collectMetrics, queryPrometheus } from "../../components/gates/gateProbe";

/** The value of `outcome` for the judged traffic (the canary's when it has a series). */
export function scopedValue(outcome: QueryOutcome, percentage: number): number | undefined {
  if (outcome.kind !== "samples") return undefined;
  const scope = chooseScope(outcome, percentage);
  if (typeof scope !== "string") return undefined;
  const s =
    scope === "canary"
      ? outcome.samples.find((x) => x.labels.variant === "canary")
      : outcome.samples.length === 1
        ? outcome.samples[0]
        : undefined;
  return s === undefined || Number.isNaN(s.value) ? undefined : s.value;
}

/**
 * Measures `percentage` at `nowMs`: everything concurrently, so one tick costs about one
 * Prometheus round trip.
 */
export async function measureBake(
  settings: GateSettings,
  rules: BakeRules,
  percentage: number,
  nowMs: number,
): Promise<BakeMeasurement> {
  const run = (query: string) =>
    queryPrometheus(
      settings.endpoints.prometheusUrl,
      query,
      settings.requestTimeoutMs,
      settings.retries,
    );
  const errorRule = sloRule(rules.sloRules, "GenesisErrorRateHigh");
  const latencyRule = sloRule(rules.sloRules, "GenesisLatencyP95High");
  const [health, metrics, shortErrors, shortLatency] = await Promise.all([
    collectHealth(settings.endpoints, settings.requestTimeoutMs, settings.retries),
    collectMetrics(settings),
    run(errorRule.measure.expr),
    run(latencyRule.measure.expr),
  ]);
  const all = evaluateGate({
    settings,
    fromPercentage: percentage,
    liveSinceMs: nowMs - settings.validationWindowSeconds * 1000,
    nowMs,
    health,
    metrics,
  });
  const healthChecks = evaluateHealth(health);
  const healthNames = new Set(healthChecks.map((c) => c.name));
  // At 100 % no traffic is left on stable by design: there is nothing to compare with.
  const window = all.filter(
    (c) =>
      !healthNames.has(c.name) &&
      c.name !== "stage live" &&
      !(percentage === 100 && c.name === "canary vs stable"),
  );
  const errorRatio = scopedValue(metrics.errorRatio, percentage);
  const p95Seconds = scopedValue(metrics.latencyP95Seconds, percentage);
  const shortErrorRatio = scopedValue(shortErrors, percentage);
  const shortLatencyP95Seconds = scopedValue(shortLatency, percentage);
  const age =
    metrics.scrapeAgeSeconds.kind === "samples" ? metrics.scrapeAgeSeconds.samples[0].value : NaN;
  return {
    atMs: nowMs,
    health: healthChecks,
    window,
    ...(errorRatio !== undefined ? { errorRatePercent: errorRatio * 100 } : {}),
    ...(p95Seconds !== undefined ? { latencyP95Ms: p95Seconds * 1000 } : {}),
    ...(shortErrorRatio !== undefined ? { shortErrorRatio } : {}),
    ...(shortLatencyP95Seconds !== undefined ? { shortLatencyP95Seconds } : {}),
    ...(Number.isFinite(age) ? { lastScrapeMs: Math.round(nowMs - age * 1000) } : {}),
  };
}
