/**
 * The PromQL a replay sends as range queries: the gate's own grouped queries (built by
 * `buildGateQueries` and `groupedQueries`, so each step of a range query answers exactly
 * what the gate's instant query would have at that time), the `up` history of the services
 * whose live health probes cannot be replayed, and the stage the rules record. Pure.
 */
import {
  ALL_MEASURES,
  GATE_MEASURE_GROUPS,
  GateMeasure,
  groupedQueries,
  MeasureGroup,
} from "../gate/measureGroups";
import { buildGateQueries, promqlString } from "../gate/promql";
import { GateSettings } from "../gate/types";
import { MONITORING_SERVICES } from "../monitoring/services";
import { ROLLOUT_STAGE_RECORD } from "../render/prometheusRules";
import { appSelector } from "../slo/sloRules";
import { MAX_POINTS_PER_QUERY } from "./instantTable";

/**
 * The Prometheus job whose `up` stands in for each of the gate's five health probes, in the
 * order `evaluateHealth` returns them: Prometheus, Grafana, Alertmanager, Node Exporter and
 * the application (its own target).
 */
export const HEALTH_PROBE_JOBS: readonly string[] = Object.freeze([
  MONITORING_SERVICES.prometheus.job,
  MONITORING_SERVICES.grafana.job,
  MONITORING_SERVICES.alertmanager.job,
  MONITORING_SERVICES.nodeExporter.job,
]);

/**
 * Each of the gate's measures as its own range query. Over a week, the histogram group's two
 * measures (P95 and its buckets) each read every bucket series at every step; as one query
 * Prometheus evaluates them one after the other, as two queries side by side.
 */
export const SEPARATE_MEASURE_GROUPS: readonly MeasureGroup[] = Object.freeze(
  ALL_MEASURES.map((m) => Object.freeze([m])),
);

/**
 * The measures that take `timestamp()` of a selector (the scrape's age, the last failed
 * scrape). Prometheus 2.42, which the tests run, evaluates that in a range query by opening
 * the series afresh at every step and reading it from the start of the query's range, so such
 * a query costs the square of its span: on bench:replay's week at one minute, 2.3-3.0 s of
 * Prometheus's evaluation as one query, 0.3 s a day at a time, 0.14 s six hours at a time
 * (`up` alone: 5 ms for the week). Later releases read the series once; there six hours at a
 * time costs only more round trips (28 for a week), which go side by side with the rest.
 */
export const SEEKING_MEASURES: readonly GateMeasure[] = Object.freeze([
  "scrapeAgeSeconds",
  "lastFailedScrapeSeconds",
]);

/** The longest span one range query of {@link SEEKING_MEASURES} covers, in seconds: 6 hours. */
export const SEEKING_MAX_SPAN_SECONDS = 6 * 3600;

/**
 * How a replay groups the gate's measures into range queries: as the gate does, but with
 * {@link SEEKING_MEASURES} apart, so that they can go six hours at a time while the others go
 * over the whole span. Each measure alone was slower (bench:replay: more queries, each
 * re-reading the same series).
 */
export const REPLAY_MEASURE_GROUPS: readonly MeasureGroup[] = Object.freeze([
  ...GATE_MEASURE_GROUPS.map((g) =>
    Object.freeze(g.filter((m) => !SEEKING_MEASURES.includes(m))),
  ).filter((g) => g.length > 0),
  SEEKING_MEASURES,
]);

/** Every query of a replay. */
export interface ReplayQueries {
  /** The gate's grouped queries, one per measure group, in the groups' order. */
  readonly gate: readonly string[];
  /** The gate's measure groups the `gate` queries answer. */
  readonly groups: readonly MeasureGroup[];
  /**
   * The most instants one range query of each `gate` query covers: six hours' for a group
   * with one of {@link SEEKING_MEASURES}, otherwise Prometheus's limit
   * ({@link MAX_POINTS_PER_QUERY}).
   */
  readonly gateMaxPoints: readonly number[];
  /** `min by (job) (up)` of the monitoring jobs and of the application's target. */
  readonly up: string;
  /** The stage the rules record, one series. */
  readonly stage: string;
}

/** The replay's queries for `settings` (its window, the application's series) at `stepSeconds`. */
export function buildReplayQueries(
  settings: GateSettings,
  stepSeconds: number,
  groups: readonly MeasureGroup[] = REPLAY_MEASURE_GROUPS,
): ReplayQueries {
  const jobs = HEALTH_PROBE_JOBS.join("|");
  const seekingPoints = Math.max(1, Math.floor(SEEKING_MAX_SPAN_SECONDS / stepSeconds));
  return {
    gate: groupedQueries(buildGateQueries(settings, settings.validationWindowSeconds), groups),
    groups,
    gateMaxPoints: groups.map((g) =>
      g.some((m) => SEEKING_MEASURES.includes(m)) ? seekingPoints : MAX_POINTS_PER_QUERY,
    ),
    up: `min by (job) (up{job=~${promqlString(jobs)}}) or min by (job) (up{${appSelector(settings.appJob, settings.appInstance)}})`,
    stage: `max(${ROLLOUT_STAGE_RECORD})`,
  };
}
