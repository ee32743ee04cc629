/**
 * Turns one bake tick's fetched answers into a {@link BakeMeasurement}: the gate's own
 * health and window checks, and the figures the display, the bake rules and the reports
 * read. Pure: the answers and the clock come in.
 */
import {
  chooseScope,
  evaluateGate,
  evaluateHealth,
  HealthProbes,
  MetricOutcomes,
} from "../gate/checks";
import { checkSpec } from "../gate/checkCatalogue";
import { ActiveAlertsOutcome } from "../gate/gateAlerts";
import { QueryOutcome } from "../gate/prometheusResponse";
import { GateSettings } from "../gate/types";
import { BakeMeasurement } from "./bakeLoop";

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
 * The judged traffic's error rate (percent) and P95 latency (ms) over the validation window,
 * from the gate's measures; a figure that could not be read is absent, never zero.
 */
export function windowFigures(
  metrics: MetricOutcomes,
  percentage: number,
): { readonly errorRatePercent?: number; readonly latencyP95Ms?: number } {
  const errorRatio = scopedValue(metrics.errorRatio, percentage);
  const p95Seconds = scopedValue(metrics.latencyP95Seconds, percentage);
  return {
    ...(errorRatio !== undefined ? { errorRatePercent: errorRatio * 100 } : {}),
    ...(p95Seconds !== undefined ? { latencyP95Ms: p95Seconds * 1000 } : {}),
  };
}

/** What one bake tick fetched. */
export interface BakeAnswers {
  /** The five health probes. */
  readonly health: HealthProbes;
  /** The gate's queries over the validation window. */
  readonly metrics: MetricOutcomes;
  /** The SLO rules' short-window error ratio query. */
  readonly shortErrors: QueryOutcome;
  /** The SLO rules' short-window P95 query. */
  readonly shortLatency: QueryOutcome;
  /** Alertmanager's active alerts (the gate's "alerts" check reads them). */
  readonly activeAlerts: ActiveAlertsOutcome;
}

/** The measurement of `percentage` at `nowMs` from what was fetched. */
export function bakeMeasurementOf(
  settings: GateSettings,
  percentage: number,
  nowMs: number,
  answers: BakeAnswers,
): BakeMeasurement {
  const { health, metrics } = answers;
  const all = evaluateGate({
    settings,
    fromPercentage: percentage,
    liveSinceMs: nowMs - settings.validationWindowSeconds * 1000,
    nowMs,
    health,
    metrics,
    activeAlerts: answers.activeAlerts,
  });
  const healthChecks = evaluateHealth(health);
  // At 100 % no traffic is left on stable by design: there is nothing to compare with.
  const window = all.filter((c) => {
    const spec = checkSpec(c.name);
    return spec !== undefined && spec.inBakeWindow && !(percentage === 100 && spec.needsStable);
  });
  const shortErrorRatio = scopedValue(answers.shortErrors, percentage);
  const shortLatencyP95Seconds = scopedValue(answers.shortLatency, percentage);
  const age =
    metrics.scrapeAgeSeconds.kind === "samples" ? metrics.scrapeAgeSeconds.samples[0].value : NaN;
  return {
    atMs: nowMs,
    health: healthChecks,
    window,
    ...windowFigures(metrics, percentage),
    ...(shortErrorRatio !== undefined ? { shortErrorRatio } : {}),
    ...(shortLatencyP95Seconds !== undefined ? { shortLatencyP95Seconds } : {}),
    ...(Number.isFinite(age) ? { lastScrapeMs: Math.round(nowMs - age * 1000) } : {}),
  };
}
