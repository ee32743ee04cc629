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
import {
  collectHealth,
  collectMetrics,
  fetchActiveAlerts,
  queryPrometheus,
  startDecision,
} from "../../io/gateProbe";

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
  // One deadline for the whole tick, as for a gate decision: a tick always ends in time.
  const decision = startDecision(settings.decisionTimeoutMs);
  const run = (query: string) =>
    queryPrometheus(
      settings.endpoints.prometheusUrl,
      query,
      settings.requestTimeoutMs,
      settings.retries,
      decision,
    );
  const errorRule = sloRule(rules.sloRules, "GenesisErrorRateHigh");
  const latencyRule = sloRule(rules.sloRules, "GenesisLatencyP95High");
  const [health, metrics, shortErrors, shortLatency, activeAlerts] = await Promise.all([
    collectHealth(settings.endpoints, settings.requestTimeoutMs, settings.retries, decision),
    collectMetrics(settings, undefined, decision),
    run(errorRule.measure.expr),
    run(latencyRule.measure.expr),
    fetchActiveAlerts(
      settings.endpoints.alertmanagerUrl,
      settings.requestTimeoutMs,
      settings.retries,
      decision,
    ),
  ]);
  return bakeMeasurementOf(settings, percentage, nowMs, {
    health,
    metrics,
    shortErrors,
    shortLatency,
    activeAlerts,
  });
}
