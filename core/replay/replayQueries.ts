/**
 * The PromQL a replay sends as range queries: the gate's own grouped queries (built by
 * `buildGateQueries` and `groupedQueries`, so each step of a range query answers exactly
 * what the gate's instant query would have at that time), the `up` history of the services
 * whose live health probes cannot be replayed, and the stage the rules record. Pure.
 */
import {
  ALL_MEASURES,
  GATE_MEASURE_GROUPS,
  groupedQueries,
  MeasureGroup,
} from "../gate/measureGroups";
import { buildGateQueries, promqlString } from "../gate/promql";
import { GateSettings } from "../gate/types";
import { MONITORING_SERVICES } from "../monitoring/services";
import { ROLLOUT_STAGE_RECORD } from "../render/prometheusRules";
import { appSelector } from "../slo/sloRules";

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

/** Every query of a replay. */
export interface ReplayQueries {
  /** The gate's grouped queries, one per measure group, in the groups' order. */
  readonly gate: readonly string[];
  /** The gate's measure groups the `gate` queries answer. */
  readonly groups: readonly MeasureGroup[];
  /** `min by (job) (up)` of the monitoring jobs and of the application's target. */
  readonly up: string;
  /** The stage the rules record, one series. */
  readonly stage: string;
}

/** The replay's queries for `settings` (its window and the application's series). */
export function buildReplayQueries(
  settings: GateSettings,
  groups: readonly MeasureGroup[] = GATE_MEASURE_GROUPS,
): ReplayQueries {
  const jobs = HEALTH_PROBE_JOBS.join("|");
  return {
    gate: groupedQueries(buildGateQueries(settings, settings.validationWindowSeconds), groups),
    groups,
    up: `min by (job) (up{job=~${promqlString(jobs)}}) or min by (job) (up{${appSelector(settings.appJob, settings.appInstance)}})`,
    stage: `max(${ROLLOUT_STAGE_RECORD})`,
  };
}
