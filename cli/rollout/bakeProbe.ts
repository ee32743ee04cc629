/**
 * One bake tick's I/O: the gate's own probes and queries plus the SLO rules' short-window
 * measures (core/slo/sloRules.ts), fetched concurrently; core/rollout/bakeMeasurement.ts
 * judges them.
 */
import { GateSettings } from "../../core/gate/types";
import { BakeMeasurement } from "../../core/rollout/bakeLoop";
import { bakeMeasurementOf } from "../../core/rollout/bakeMeasurement";
import { BakeRules } from "../../core/rollout/bakeRules";
import { sloRule } from "../../core/slo/sloRules";
import { collectHealth, collectMetrics, queryPrometheus } from "../../components/gates/gateProbe";

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
  return bakeMeasurementOf(settings, percentage, nowMs, {
    health,
    metrics,
    shortErrors,
    shortLatency,
  });
}
