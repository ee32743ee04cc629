/**
 * The instants of a replay and the answers of its range queries laid out by instant, so that
 * slicing "what an instant query at t would have answered" is an index, not a search. A
 * range query evaluates its expression at start, start + step, ... exactly as an instant
 * query at each of those times would; a series with no value at a step has no point there,
 * just as the instant query would not return it. Pure.
 */
import { QueryOutcome, Sample } from "../gate/prometheusResponse";
import { MatrixOutcome } from "../report/prometheusMatrix";

/**
 * The most points Prometheus returns per series of one range query (it refuses more with
 * "exceeded maximum resolution of 11,000 points per timeseries").
 */
export const MAX_POINTS_PER_QUERY = 11_000;

/** The instants of a replay: `count` of them from `startMs`, `stepSeconds` apart. */
export interface ReplayGrid {
  /** The first instant, ms since the epoch. */
  readonly startMs: number;
  /** Seconds between instants. */
  readonly stepSeconds: number;
  /** How many instants. */
  readonly count: number;
}

/** The grid from `fromMs` to at most `toMs`, every `stepSeconds`. */
export function replayGrid(fromMs: number, toMs: number, stepSeconds: number): ReplayGrid {
  return {
    startMs: fromMs,
    stepSeconds,
    count: Math.floor((toMs - fromMs) / (stepSeconds * 1000)) + 1,
  };
}

/** The `i`-th instant of `grid`, ms since the epoch. */
export function instantMs(grid: ReplayGrid, i: number): number {
  return grid.startMs + i * grid.stepSeconds * 1000;
}

/** A run of instants one range query covers: indexes `first` to `last`, both included. */
export interface RangeChunk {
  /** The first instant's index. */
  readonly first: number;
  /** The last instant's index. */
  readonly last: number;
}

/**
 * The instants of `span` in as few chunks of at most `maxPoints` instants as cover them, in
 * order, their sizes differing by one at most: chunks sent side by side then end together,
 * where a short last one would leave the others to run on alone.
 */
export function planChunks(span: RangeChunk, maxPoints = MAX_POINTS_PER_QUERY): RangeChunk[] {
  const total = span.last - span.first + 1;
  if (total <= 0) return [];
  const count = Math.ceil(total / Math.max(1, Math.floor(maxPoints)));
  const base = Math.floor(total / count);
  const longer = total % count;
  const chunks: RangeChunk[] = [];
  let first = span.first;
  for (let k = 0; k < count; k++) {
    const size = base + (k < longer ? 1 : 0);
    chunks.push({ first, last: first + size - 1 });
    first += size;
  }
  return chunks;
}

/** What the first range query of a table (the span's last instants) showed about it. */
export interface ChunkSizing {
  /** The instants it covered. */
  readonly points: number;
  /** The series it answered. */
  readonly series: number;
  /** The most samples Prometheus held for it at once (its query stats); undefined: not reported. */
  readonly peakSamples?: number;
}

/** What a chunk is sized to stay under. */
export interface ChunkLimits {
  /** The answer a chunk aims for at most, in bytes (well under the client's cap). */
  readonly answerBytes: number;
  /** A generous size of one point of a matrix answer, in bytes. */
  readonly bytesPerPoint: number;
  /**
   * The samples a chunk may make Prometheus hold at once (under its `--query.max-samples`,
   * which refuses the query only after evaluating up to it).
   */
  readonly peakSamples: number;
}

/**
 * The most instants one chunk may cover, from `sizing`: the answer's size grows with its
 * series times its instants, and Prometheus's peak samples with the instants (a range query
 * holds its inner selectors' samples for every step at once). Peak samples per instant are
 * taken from the sizing query whole, which overstates them slightly (part of its peak does
 * not grow with the instants): the safe side. At most {@link MAX_POINTS_PER_QUERY}, at least 1.
 */
export function chunkPoints(sizing: ChunkSizing, limits: ChunkLimits): number {
  const bySize = Math.floor(
    limits.answerBytes / (Math.max(1, sizing.series) * limits.bytesPerPoint),
  );
  const perPoint =
    sizing.peakSamples !== undefined && sizing.peakSamples > 0
      ? sizing.peakSamples / Math.max(1, sizing.points)
      : 0;
  const bySamples = perPoint > 0 ? Math.floor(limits.peakSamples / perPoint) : MAX_POINTS_PER_QUERY;
  return Math.max(1, Math.min(MAX_POINTS_PER_QUERY, bySize, bySamples));
}

/**
 * Prometheus's `peakSamples` from a query answer's stats (`stats=1`:
 * `data.stats.samples.peakSamples`), or undefined when the answer has none.
 */
export function readPeakSamples(body: unknown): number | undefined {
  const data = (body as { data?: { stats?: { samples?: { peakSamples?: unknown } } } } | null)
    ?.data;
  const peak = data?.stats?.samples?.peakSamples;
  return typeof peak === "number" && Number.isFinite(peak) && peak >= 0 ? peak : undefined;
}

/** `chunk` in two halves, or undefined when it is a single instant. */
export function halveChunk(chunk: RangeChunk): [RangeChunk, RangeChunk] | undefined {
  if (chunk.first === chunk.last) return undefined;
  const mid = Math.floor((chunk.first + chunk.last) / 2);
  return [
    { first: chunk.first, last: mid },
    { first: mid + 1, last: chunk.last },
  ];
}

/** The range query's start, end and step for `chunk`, in seconds as Prometheus takes them. */
export function chunkRange(
  grid: ReplayGrid,
  chunk: RangeChunk,
): { readonly startSeconds: number; readonly endSeconds: number; readonly stepSeconds: number } {
  return {
    startSeconds: instantMs(grid, chunk.first) / 1000,
    endSeconds: instantMs(grid, chunk.last) / 1000,
    stepSeconds: grid.stepSeconds,
  };
}

/** One series of a table: its value at each instant, where it has one. */
interface TableSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: Float64Array;
  readonly present: Uint8Array;
}

/** One query's answers over the whole grid, by instant. */
export interface InstantTable {
  /** The grid. */
  readonly grid: ReplayGrid;
  /** Every series any chunk answered, in the order first seen. */
  readonly series: readonly TableSeries[];
  /** Why an instant has no answer (its chunk's query failed); undefined where it has one. */
  readonly errors: readonly (string | undefined)[];
}

/** One chunk's answer. */
export interface ChunkAnswer {
  /** The instants it covers. */
  readonly chunk: RangeChunk;
  /** What Prometheus answered (or why not). */
  readonly outcome: MatrixOutcome;
}

/** A series' identity: its labels, sorted. */
function seriesKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Lays `answers` out by instant. An instant no answer covers, or whose chunk failed, is an
 * error at that instant (never skipped); a point off the grid or outside its chunk makes its
 * chunk's instants errors (a malformed answer never passes).
 */
export function tabulate(grid: ReplayGrid, answers: readonly ChunkAnswer[]): InstantTable {
  const stepMs = grid.stepSeconds * 1000;
  const errors: (string | undefined)[] = new Array<string | undefined>(grid.count).fill(
    "no range query covered this instant",
  );
  const byKey = new Map<string, TableSeries>();
  const series: TableSeries[] = [];
  for (const { chunk, outcome } of answers) {
    let problem: string | undefined = outcome.kind === "error" ? outcome.reason : undefined;
    const rows: TableSeries[] = [];
    if (outcome.kind === "series") {
      // First every point is checked, then written: nothing of a malformed answer is kept,
      // and no point is held twice on the way.
      for (const s of outcome.series) {
        const key = seriesKey(s.labels);
        let row = byKey.get(key);
        if (row === undefined) {
          row = {
            labels: s.labels,
            values: new Float64Array(grid.count),
            present: new Uint8Array(grid.count),
          };
          byKey.set(key, row);
          series.push(row);
        }
        rows.push(row);
        for (const p of s.points) {
          const offsetMs = p.timeSeconds * 1000 - grid.startMs;
          const i = Math.round(offsetMs / stepMs);
          if (Math.abs(offsetMs - i * stepMs) > 0.5 || i < chunk.first || i > chunk.last) {
            problem = `malformed answer: a point at ${p.timeSeconds} s is not an instant of the range ${instantMs(grid, chunk.first) / 1000} to ${instantMs(grid, chunk.last) / 1000} s every ${grid.stepSeconds} s`;
            break;
          }
        }
        if (problem !== undefined) break;
      }
    }
    for (let i = chunk.first; i <= chunk.last; i++) errors[i] = problem;
    if (problem === undefined && outcome.kind === "series") {
      outcome.series.forEach((s, k) => {
        const row = rows[k];
        for (const p of s.points) {
          const i = Math.round((p.timeSeconds * 1000 - grid.startMs) / stepMs);
          row.values[i] = p.value;
          row.present[i] = 1;
        }
      });
    }
  }
  return { grid, series, errors };
}

/** What an instant query at the `i`-th instant would have answered, from `table`. */
export function sliceAt(table: InstantTable, i: number): QueryOutcome {
  const error = table.errors[i];
  if (error !== undefined) return { kind: "error", reason: error };
  const timestampSeconds = instantMs(table.grid, i) / 1000;
  const samples: Sample[] = [];
  for (const s of table.series) {
    if (s.present[i] === 1)
      samples.push({ labels: s.labels, value: s.values[i], timestampSeconds });
  }
  return samples.length === 0 ? { kind: "empty" } : { kind: "samples", samples };
}
