/**
 * The gate's decision at every instant of a replay, made by the gate's own code: the range
 * answers are sliced at each instant into the answers the gate's instant queries would have
 * had (`sliceAt`), split into measures as the gate splits them (`splitGroupedOutcomes`), and
 * judged by `evaluateGate` and `summarizeVerdict`. There is no second evaluator: the only
 * checks judged here are the ones a replay must replace, the five live health probes, which
 * cannot be sent to the past; each is judged instead from its service's `up` history and
 * says so in its name and reason. Pure.
 */
import {
  chooseScope,
  evaluateGate,
  HealthProbes,
  HttpProbe,
  MetricOutcomes,
  summarizeVerdict,
} from "../gate/checks";
import { checkNames, isCheck } from "../gate/checkCatalogue";
import { ActiveAlertsOutcome } from "../gate/gateAlerts";
import {
  GateMeasure,
  MEASURE_LABEL,
  MeasureGroup,
  splitGroupedOutcomes,
} from "../gate/measureGroups";
import { QueryOutcome, Sample } from "../gate/prometheusResponse";
import { CheckResult, GateSettings, GateVerdict } from "../gate/types";
import { InstantTable, instantMs, ReplayGrid, sliceAt } from "./instantTable";
import { StageTimeline } from "./stageTimeline";

/** What an instant query answers when no series has a point then. */
const EMPTY: QueryOutcome = { kind: "empty" };

/** What a health probe is in a replay: not sent (the past cannot be probed). */
const NOT_REPLAYED: HttpProbe = {
  kind: "failure",
  reason: "a live health probe cannot be replayed",
};

const NOT_REPLAYED_PROBES: HealthProbes = {
  prometheus: NOT_REPLAYED,
  grafana: NOT_REPLAYED,
  alertmanager: NOT_REPLAYED,
  nodeExporter: NOT_REPLAYED,
  app: NOT_REPLAYED,
};

/**
 * What Alertmanager held at a past instant cannot be asked for; the alerts check then reads
 * Prometheus's `ALERTS` history alone (an alert firing at the instant fired in its window),
 * without the silences and inhibitions Alertmanager would have applied.
 */
export const NO_ALERTMANAGER_HISTORY: ActiveAlertsOutcome = { kind: "alerts", alerts: [] };

/** The gate's health check names, in `evaluateHealth`'s order (the check catalogue's). */
const HEALTH_CHECK_NAMES: readonly string[] = checkNames("health");

/** The suffix every replayed health check's name carries. */
export const UP_HISTORY_SUFFIX = "(up history)";

/**
 * One health check replayed from `up`: the job's `min(up)` at the instant is 1 (pass), 0
 * (fail) or absent (inconclusive), and the reason says that the live probe was not sent.
 */
export function evaluateUpHistory(
  healthCheckName: string,
  job: string,
  up: QueryOutcome,
): CheckResult {
  const name = `${healthCheckName} ${UP_HISTORY_SUFFIX}`;
  const threshold = "up=1";
  const note = "(from the up history; the live probe cannot be replayed)";
  const target = `job=${JSON.stringify(job)}`;
  if (up.kind === "error") {
    return {
      name,
      value: "error",
      threshold,
      verdict: "error",
      reason: `up query failed: ${up.reason}`,
    };
  }
  const found = up.kind === "samples" ? up.samples.filter((s) => s.labels.job === job) : [];
  if (found.length !== 1) {
    return {
      name,
      value: "no data",
      threshold,
      verdict: "inconclusive",
      reason: `no up series for ${target} at this instant ${note}`,
    };
  }
  const v = found[0].value;
  if (v === 1) {
    return { name, value: "up=1", threshold, verdict: "pass", reason: `${target} up=1 ${note}` };
  }
  if (v === 0) {
    return {
      name,
      value: "up=0",
      threshold,
      verdict: "fail",
      reason: `${target} down (up=0) ${note}`,
    };
  }
  return {
    name,
    value: `up=${v}`,
    threshold,
    verdict: "error",
    reason: `Prometheus answered up=${v} for ${target}: not 0 or 1 ${note}`,
  };
}

/** The replayed health checks at one instant, in the gate's order. */
function replayHealth(jobs: readonly string[], up: QueryOutcome): CheckResult[] {
  return HEALTH_CHECK_NAMES.map((name, i) => evaluateUpHistory(name, jobs[i], up));
}

/** One evaluation at an instant: the verdict and every check. */
export interface InstantDecision {
  /** The overall verdict, by `summarizeVerdict`. */
  readonly verdict: GateVerdict;
  /** Every check, in the gate's order (health replaced by the up history). */
  readonly checks: readonly CheckResult[];
}

/** One instant of the timeline. */
export interface ReplayPoint {
  /** The instant, ms since the epoch. */
  readonly atMs: number;
  /** The stage live then; undefined when unknown. */
  readonly stage?: number;
  /** The decision with the stack's thresholds. */
  readonly decision: InstantDecision;
  /** The decision with the what-if thresholds, when any were given. */
  readonly whatIf?: InstantDecision;
  /** The error rate of the judged traffic in percent; undefined: no usable value. */
  readonly errorRatePercent?: number;
  /** The P95 latency of the judged traffic in ms; undefined: no usable value. */
  readonly latencyP95Ms?: number;
  /** The requests of the judged traffic in the window; undefined: no usable value. */
  readonly requests?: number;
}

/** Everything a timeline is computed from. */
export interface TimelineInput {
  /** The instants. */
  readonly grid: ReplayGrid;
  /** The stack's gate settings (with the replay's window). */
  readonly settings: GateSettings;
  /** The settings with the what-if thresholds, when any were given. */
  readonly whatIf?: GateSettings;
  /** The gate's measure groups, in the order of `gateTables`. */
  readonly groups: readonly MeasureGroup[];
  /** One table per measure group: the grouped query's range answers. */
  readonly gateTables: readonly InstantTable[];
  /** The up history, by job. */
  readonly upTable: InstantTable;
  /** The jobs standing in for the five health probes, in `evaluateHealth`'s order. */
  readonly healthJobs: readonly string[];
  /** The stage at each instant. */
  readonly stages: StageTimeline;
  /** The stage assumed where the stages are unknown (the stack's configured percentage). */
  readonly fallbackPercentage: number;
}

/** The usable value of the judged traffic in `outcome`, or undefined. */
function judgedValue(outcome: QueryOutcome, scope: "canary" | "all"): number | undefined {
  if (outcome.kind !== "samples") return undefined;
  const found =
    scope === "canary"
      ? outcome.samples.filter((s) => s.labels.variant === "canary")
      : outcome.samples;
  return found.length === 1 && Number.isFinite(found[0].value) ? found[0].value : undefined;
}

/** The gate's checks for `metrics` at `atMs`, health replaced by `health`. */
export function decideAt(
  settings: GateSettings,
  metrics: MetricOutcomes,
  health: readonly CheckResult[],
  fromPercentage: number,
  liveSinceMs: number | undefined,
  atMs: number,
): InstantDecision {
  const gate = evaluateGate({
    settings,
    fromPercentage,
    liveSinceMs: liveSinceMs ?? atMs,
    nowMs: atMs,
    health: NOT_REPLAYED_PROBES,
    metrics,
    activeAlerts: NO_ALERTMANAGER_HISTORY,
  });
  const checks = [
    ...health,
    ...gate
      .filter((c) => !HEALTH_CHECK_NAMES.includes(c.name))
      .map((c) =>
        isCheck(c.name, "stageLive") && liveSinceMs === undefined
          ? {
              ...c,
              value: "unknown",
              verdict: "inconclusive" as const,
              reason: "when the stage went live is unknown at this instant",
            }
          : c,
      ),
  ];
  return { verdict: summarizeVerdict(checks), checks };
}

/** A grouped table's series, each with its measure and its labels less the tag, found once. */
interface SplitTable {
  readonly table: InstantTable;
  readonly group: MeasureGroup;
  /** Per series of `table`: its measure and labels; undefined when its tag is not the group's. */
  readonly rows: readonly ({ measure: GateMeasure; labels: Sample["labels"] } | undefined)[];
}

/**
 * The gate's measures at each instant, as its instant queries would have answered them: what
 * `splitGroupedOutcomes` makes of each table's slice at the instant (an error or nothing
 * answered applies to the whole group, each sample goes to its tagged measure without the
 * tag, a measure without samples is empty). Each series' tag is read once for the whole span
 * rather than at every instant (a third of the timeline's time over a week at one minute);
 * an instant where a series carries a tag not of its group is split by `splitGroupedOutcomes`
 * itself, which words the error.
 */
export function measuresByInstant(
  groups: readonly MeasureGroup[],
  gateTables: readonly InstantTable[],
): (i: number) => MetricOutcomes {
  // Refuses groups that are not a partition of the measures, or tables that do not match them.
  splitGroupedOutcomes(
    gateTables.map(() => EMPTY),
    groups,
  );
  const split: SplitTable[] = gateTables.map((table, k) => ({
    table,
    group: groups[k],
    rows: table.series.map((s) => {
      const { [MEASURE_LABEL]: tag, ...labels } = s.labels;
      const measure = groups[k].find((m) => m === tag);
      return measure === undefined ? undefined : { measure, labels };
    }),
  }));
  return (i) => {
    const out: Partial<Record<GateMeasure, QueryOutcome>> = {};
    for (const { table, group, rows } of split) {
      const error = table.errors[i];
      if (error !== undefined) {
        const outcome: QueryOutcome = { kind: "error", reason: error };
        for (const m of group) out[m] = outcome;
        continue;
      }
      const timestampSeconds = instantMs(table.grid, i) / 1000;
      const byMeasure = new Map<GateMeasure, Sample[]>(group.map((m) => [m, []]));
      let untagged = false;
      table.series.forEach((s, k) => {
        if (untagged || s.present[i] !== 1) return;
        const row = rows[k];
        if (row === undefined) {
          untagged = true;
          return;
        }
        byMeasure
          .get(row.measure)
          ?.push({ labels: row.labels, value: s.values[i], timestampSeconds });
      });
      if (untagged) {
        return splitGroupedOutcomes(
          gateTables.map((t) => sliceAt(t, i)),
          groups,
        ) as MetricOutcomes;
      }
      for (const [m, samples] of byMeasure) {
        out[m] = samples.length === 0 ? EMPTY : { kind: "samples", samples };
      }
    }
    return out as MetricOutcomes;
  };
}

/** The decision at every instant of `input.grid`, oldest first. */
export function replayTimeline(input: TimelineInput): ReplayPoint[] {
  const points: ReplayPoint[] = [];
  const metricsAtInstant = measuresByInstant(input.groups, input.gateTables);
  for (let i = 0; i < input.grid.count; i++) {
    const atMs = instantMs(input.grid, i);
    const metrics = metricsAtInstant(i);
    const health = replayHealth(input.healthJobs, sliceAt(input.upTable, i));
    const stage = input.stages.percentage[i];
    const from = stage ?? input.fallbackPercentage;
    const since = input.stages.liveSinceMs[i];
    const decision = decideAt(input.settings, metrics, health, from, since, atMs);
    const whatIf =
      input.whatIf === undefined
        ? undefined
        : decideAt(input.whatIf, metrics, health, from, since, atMs);
    const scope = chooseScope(metrics.requests, from);
    const judged = typeof scope === "string" ? scope : undefined;
    const ratio = judged === undefined ? undefined : judgedValue(metrics.errorRatio, judged);
    const p95 = judged === undefined ? undefined : judgedValue(metrics.latencyP95Seconds, judged);
    const requests = judged === undefined ? undefined : judgedValue(metrics.requests, judged);
    points.push({
      atMs,
      ...(stage !== undefined ? { stage } : {}),
      decision,
      ...(whatIf !== undefined ? { whatIf } : {}),
      ...(ratio !== undefined ? { errorRatePercent: ratio * 100 } : {}),
      ...(p95 !== undefined ? { latencyP95Ms: p95 * 1000 } : {}),
      ...(requests !== undefined ? { requests } : {}),
    });
  }
  return points;
}
