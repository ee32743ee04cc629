/**
 * How a gate sends its five Prometheus measures: as a few grouped queries rather than five.
 * Each group is one PromQL expression, the union (`or`) of its measures' queries, each
 * tagged with a `genesis_measure` label, so one round trip answers several measures at one
 * evaluation instant. Splitting the answer back into per-measure outcomes is pure and lives
 * here too.
 *
 * Why grouped: each query costs Prometheus and the gate's client a fixed amount however
 * small its data, and on a small host those fixed costs, not the data, made most of a
 * decision's time. The latency histogram reads every bucket series (about twelve times the
 * counters' series) and dominates as series grow, so it runs as its own query, concurrently
 * with the group of the cheap counter and scrape measures.
 */
import { QueryOutcome, Sample } from "./prometheusResponse";
import { GateQueries } from "./promql";

/** The label each grouped query puts on its measures' samples. */
export const MEASURE_LABEL = "genesis_measure";

/** One of the gate's measures, by the name {@link GateQueries} gives it. */
export type GateMeasure = keyof GateQueries;

/** A group of measures sent as one query. */
export type MeasureGroup = readonly GateMeasure[];

/**
 * The gate's groups: the latency histogram's two measures (they read every bucket series),
 * and the counters, scrape and alert measures together (each reads one or a few series).
 */
export const GATE_MEASURE_GROUPS: readonly MeasureGroup[] = Object.freeze([
  Object.freeze(["latencyP95Seconds", "latencyBuckets"] as const),
  Object.freeze([
    "requests",
    "errorRatio",
    "statusLabelSeries",
    "up",
    "scrapeAgeSeconds",
    "scrapesInWindow",
    "failedScrapesInWindow",
    "lastFailedScrapeSeconds",
    "alertsFiredInWindow",
  ] as const),
]);

/** Every measure of {@link GateQueries}, in a fixed order. */
export const ALL_MEASURES: readonly GateMeasure[] = Object.freeze([
  "requests",
  "errorRatio",
  "latencyP95Seconds",
  "latencyBuckets",
  "statusLabelSeries",
  "up",
  "scrapeAgeSeconds",
  "scrapesInWindow",
  "failedScrapesInWindow",
  "lastFailedScrapeSeconds",
  "alertsFiredInWindow",
]);

/** Throws unless `groups` names every measure exactly once. */
function assertPartition(groups: readonly MeasureGroup[]): void {
  const named = groups.flat();
  const missing = ALL_MEASURES.filter((m) => !named.includes(m));
  const repeated = named.filter((m, i) => named.indexOf(m) !== i);
  if (missing.length > 0 || repeated.length > 0 || groups.some((g) => g.length === 0)) {
    throw new Error(
      `measure groups must name each of ${ALL_MEASURES.join(", ")} exactly once, in non-empty groups; got ${JSON.stringify(groups)}`,
    );
  }
}

/** One PromQL expression per group: its measures' queries, each tagged, joined by `or`. */
export function groupedQueries(
  queries: GateQueries,
  groups: readonly MeasureGroup[] = GATE_MEASURE_GROUPS,
): string[] {
  assertPartition(groups);
  return groups.map((group) =>
    group
      .map((m) => `label_replace(${queries[m]}, "${MEASURE_LABEL}", "${m}", "", "")`)
      .join(" or "),
  );
}

/** Splits one group's answer into its measures' outcomes (the tag label removed). */
function splitGroup(group: MeasureGroup, outcome: QueryOutcome): Map<GateMeasure, QueryOutcome> {
  const out = new Map<GateMeasure, QueryOutcome>();
  if (outcome.kind !== "samples") {
    for (const m of group) out.set(m, outcome);
    return out;
  }
  const byMeasure = new Map<GateMeasure, Sample[]>(group.map((m) => [m, []]));
  for (const sample of outcome.samples) {
    const { [MEASURE_LABEL]: tag, ...labels } = sample.labels;
    const samples = byMeasure.get(tag as GateMeasure);
    if (tag === undefined || samples === undefined) {
      const reason = `malformed answer: a sample tagged ${MEASURE_LABEL}=${JSON.stringify(tag ?? null)}, expected one of ${group.join(", ")} (labels ${JSON.stringify(sample.labels)})`;
      for (const m of group) out.set(m, { kind: "error", reason });
      return out;
    }
    samples.push({ ...sample, labels });
  }
  for (const [m, samples] of byMeasure) {
    out.set(m, samples.length === 0 ? { kind: "empty" } : { kind: "samples", samples });
  }
  return out;
}

/**
 * The per-measure outcomes of the grouped queries' answers, `outcomes[i]` answering
 * `groups[i]`. An error or an empty answer applies to every measure of its group; a sample
 * without a known tag makes its whole group an error (a malformed answer never passes).
 */
export function splitGroupedOutcomes(
  outcomes: readonly QueryOutcome[],
  groups: readonly MeasureGroup[] = GATE_MEASURE_GROUPS,
): Record<GateMeasure, QueryOutcome> {
  assertPartition(groups);
  if (outcomes.length !== groups.length) {
    throw new Error(
      `expected ${groups.length} answers, one per measure group; got ${outcomes.length}`,
    );
  }
  const merged = new Map<GateMeasure, QueryOutcome>();
  groups.forEach((group, i) => {
    for (const [m, o] of splitGroup(group, outcomes[i])) merged.set(m, o);
  });
  const result = {} as Record<GateMeasure, QueryOutcome>;
  for (const m of ALL_MEASURES) result[m] = merged.get(m) as QueryOutcome;
  return result;
}
