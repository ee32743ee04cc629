/**
 * What `genesis report` works out before rendering, pure: the time range of its charts, and
 * the daily update's facts from the config, the gate's state and what was fetched.
 */
import { evaluateHealth, HealthProbes, MetricOutcomes } from "../gate/checks";
import { GateState } from "../gate/types";
import { StackConfig } from "../config/stackConfig";
import { windowFigures } from "../rollout/bakeMeasurement";
import { ChartPoint, DailyFacts } from "./dailyReport";
import { MatrixOutcome } from "./prometheusMatrix";

/** How many points a chart aims at, at most (the step grows with the range). */
export const CHART_POINTS = 300;

/** The charts' range query bounds, in seconds since the epoch, and step in seconds. */
export interface ChartRange {
  readonly startS: number;
  readonly endS: number;
  readonly stepS: number;
}

/**
 * The charts cover the rollout: from the gate's oldest record (or the last 24 hours when
 * there is none) up to now, and at least {@link CHART_POINTS} scrape intervals, so that a
 * young rollout is drawn scrape by scrape rather than as a few points of a fixed hour; the
 * step is the scrape interval or coarser, so that a chart has at most CHART_POINTS points.
 */
export function chartRange(
  gate: GateState | undefined,
  nowMs: number,
  scrapeIntervalSeconds: number,
): ChartRange {
  const oldest = gate?.records[0] !== undefined ? Date.parse(gate.records[0].time) : Number.NaN;
  const firstMs = Number.isFinite(oldest) ? oldest : nowMs - 24 * 3600_000;
  const startS = Math.floor(
    Math.min(firstMs, nowMs - CHART_POINTS * scrapeIntervalSeconds * 1000) / 1000,
  );
  const endS = Math.floor(nowMs / 1000);
  const stepS = Math.max(scrapeIntervalSeconds, Math.ceil((endS - startS) / CHART_POINTS));
  return { startS, endS, stepS };
}

/** The first series of a range answer as chart points, values times `scale`. */
export function chartPoints(o: MatrixOutcome, scale: number): ChartPoint[] {
  if (o.kind !== "series" || o.series.length === 0) return [];
  return o.series[0].points.map((p) => ({ atMs: p.timeSeconds * 1000, value: p.value * scale }));
}

/** What the daily update is made from. */
export interface DailyInputs {
  readonly stack: string;
  readonly config: StackConfig;
  readonly nowMs: number;
  readonly gate?: GateState;
  readonly gateUnavailable?: string;
  readonly probes: HealthProbes;
  readonly metrics: MetricOutcomes;
  /** The error ratio (0..1) across the rollout. */
  readonly errorSeries: MatrixOutcome;
  /** P95 latency in seconds across the rollout. */
  readonly latencySeries: MatrixOutcome;
}

/**
 * The daily update's facts: health as N of 5, the live stage's error rate (percent) and
 * P95 (ms) judged on the canary's traffic when there is one, and the charts in the same
 * units. A figure that could not be read is left out, never shown as zero.
 */
export function dailyFacts(input: DailyInputs): DailyFacts {
  const { config: cfg, gate, gateUnavailable } = input;
  const healthChecks = evaluateHealth(input.probes);
  const live = gate?.percentage ?? cfg.rollout.percentage;
  return {
    stack: input.stack,
    environment: cfg.environment,
    generatedMs: input.nowMs,
    configuredPercentage: cfg.rollout.percentage,
    steps: cfg.rollout.steps,
    ...(gate !== undefined ? { gate } : {}),
    ...(gateUnavailable !== undefined ? { gateUnavailable } : {}),
    health: {
      healthy: healthChecks.filter((c) => c.verdict === "pass").length,
      total: healthChecks.length,
    },
    ...windowFigures(input.metrics, live),
    errorRateThresholdPercent: cfg.slo.errorRateThresholdPercent,
    latencyP95ThresholdMs: cfg.slo.latencyP95ThresholdMs,
    errorRateObjectivePercent: cfg.slo.errorRateObjectivePercent,
    latencyP95ObjectiveMs: cfg.slo.latencyP95ObjectiveMs,
    validationWindowSeconds: cfg.slo.validationWindowSeconds,
    signoffHours: cfg.signoff.requiredHours,
    errorRateSeries: chartPoints(input.errorSeries, 100),
    latencyP95Series: chartPoints(input.latencySeries, 1000),
    roles: { ...cfg.roles },
  };
}
