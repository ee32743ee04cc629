/**
 * Which rollout stage was live at each instant of a replay, and when it went live: from the
 * gate's decision records when the stack's state is at hand, otherwise from the stage the
 * rules record (`genesis:rollout_stage_percent`, the rollout step nearest to the canary's
 * share of requests; core/render/prometheusRules.ts). Pure.
 */
import { DecisionRecord } from "../gate/types";
import { InstantTable, instantMs, ReplayGrid } from "./instantTable";

/** Where the stages came from. */
export type StageSource = "decision records" | "rules record";

/** A change of the live percentage. */
export interface StageChange {
  /** When it took effect, ms since the epoch (for the rules record: the first instant it shows). */
  readonly atMs: number;
  /** The index of the first instant of the grid at or after the change. */
  readonly index: number;
  /** The percentage live before. */
  readonly from: number;
  /** The percentage live after. */
  readonly to: number;
  /** `promotion` up, `rollback` down. */
  readonly kind: "promotion" | "rollback";
}

/** The stage at each instant and the changes found. */
export interface StageTimeline {
  /** Where the stages came from. */
  readonly source: StageSource;
  /** The live percentage at each instant; undefined where it is not known. */
  readonly percentage: readonly (number | undefined)[];
  /** When that stage went live, at each instant; undefined where it is not known. */
  readonly liveSinceMs: readonly (number | undefined)[];
  /** The changes inside the grid, oldest first. */
  readonly changes: readonly StageChange[];
  /** What is assumed or unknown, for the report's notes. */
  readonly notes: readonly string[];
}

/** The first grid index at or after `atMs`. */
function indexAtOrAfter(grid: ReplayGrid, atMs: number): number {
  return Math.max(0, Math.ceil((atMs - grid.startMs) / (grid.stepSeconds * 1000)));
}

/**
 * The stages from the rules record. `table` answers `max(genesis:rollout_stage_percent)` on
 * a grid that starts `lead` instants before the replay's `grid` (so a stage already live for
 * a whole window at the first instant is known to be). An instant without a value (no
 * traffic, a scrape gap) keeps the stage last seen; the record follows the canary's share
 * over its own window, so a change shows up to that window after the flag changed.
 */
export function stagesFromRecord(
  table: InstantTable,
  lead: number,
  grid: ReplayGrid,
): StageTimeline {
  const percentage: (number | undefined)[] = [];
  const liveSinceMs: (number | undefined)[] = [];
  const changes: StageChange[] = [];
  const notes: string[] = [];
  let current: number | undefined;
  let since: number | undefined;
  const total = table.grid.count;
  const recordAt = (j: number): number | undefined => {
    if (table.errors[j] !== undefined) return undefined;
    for (const s of table.series) {
      if (s.present[j] === 1 && Number.isFinite(s.values[j])) return s.values[j];
    }
    return undefined;
  };
  for (let j = 0; j < total; j++) {
    const seen = recordAt(j);
    const i = j - lead;
    if (seen !== undefined && seen !== current) {
      if (current !== undefined && i >= 0) {
        changes.push({
          atMs: instantMs(grid, i),
          index: i,
          from: current,
          to: seen,
          kind: seen > current ? "promotion" : "rollback",
        });
      }
      // A stage first seen at the start of the lead went live then or earlier: the lead is
      // at least a window, so it counts as live for the whole window at the first instant.
      since = instantMs(table.grid, j);
      if (current === undefined && j > 0) {
        notes.push(
          `no stage recorded before ${new Date(instantMs(table.grid, j)).toISOString()}: the stage is unknown until then`,
        );
      }
      current = seen;
    }
    if (i >= 0) {
      percentage.push(current);
      liveSinceMs.push(current === undefined ? undefined : since);
    }
  }
  if (current === undefined) {
    notes.push(
      "the rules record genesis:rollout_stage_percent has no value in the span: the stage, and how long it was live, are unknown",
    );
  }
  return { source: "rules record", percentage, liveSinceMs, changes, notes };
}

/**
 * The stages from the gate's decision records (`initial`, `promotion` and `rollback` change
 * the live percentage). Before the first record in the span, the stage is the first record's
 * `from`, live since an unknown time (taken as live for the whole window).
 */
export function stagesFromRecords(
  records: readonly DecisionRecord[],
  grid: ReplayGrid,
  windowSeconds: number,
): StageTimeline {
  const applied = records
    .filter(
      (r) => r.decision === "initial" || r.decision === "promotion" || r.decision === "rollback",
    )
    .map((r) => ({ atMs: Date.parse(r.time), from: r.from, to: r.to, decision: r.decision }))
    .filter((r) => Number.isFinite(r.atMs))
    .sort((a, b) => a.atMs - b.atMs);
  const endMs = instantMs(grid, grid.count - 1);
  const notes: string[] = [];
  const before = applied.filter((r) => r.atMs <= grid.startMs);
  let current: number | undefined;
  let since: number | undefined;
  if (before.length > 0) {
    current = before[before.length - 1].to;
    since = before[before.length - 1].atMs;
  } else {
    const first = applied.find((r) => r.atMs > grid.startMs);
    if (first !== undefined) {
      current = first.decision === "initial" ? undefined : first.from;
      since = grid.startMs - windowSeconds * 1000;
      if (current !== undefined) {
        notes.push(
          `the decision records kept start at ${new Date(first.atMs).toISOString()}: the stage ${current}% before it is taken as live for at least the window`,
        );
      }
    } else {
      notes.push("the gate's decision records hold no stage: the stage is unknown");
    }
  }
  const changes: StageChange[] = [];
  for (const r of applied) {
    if (r.atMs <= grid.startMs || r.atMs > endMs) continue;
    if (current !== undefined && r.to !== current) {
      changes.push({
        atMs: r.atMs,
        index: indexAtOrAfter(grid, r.atMs),
        from: current,
        to: r.to,
        kind: r.to > current ? "promotion" : "rollback",
      });
    }
    current = r.to;
  }
  const percentage: (number | undefined)[] = [];
  const liveSinceMs: (number | undefined)[] = [];
  let k = 0;
  let stage = before.length > 0 ? before[before.length - 1].to : undefined;
  if (stage === undefined) {
    const first = applied.find((r) => r.atMs > grid.startMs);
    stage = first !== undefined && first.decision !== "initial" ? first.from : undefined;
  }
  const inSpan = applied.filter((r) => r.atMs > grid.startMs);
  for (let i = 0; i < grid.count; i++) {
    const t = instantMs(grid, i);
    while (k < inSpan.length && inSpan[k].atMs <= t) {
      stage = inSpan[k].to;
      since = inSpan[k].atMs;
      k++;
    }
    percentage.push(stage);
    liveSinceMs.push(stage === undefined ? undefined : since);
  }
  return { source: "decision records", percentage, liveSinceMs, changes, notes };
}
