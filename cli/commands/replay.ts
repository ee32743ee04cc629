/**
 * `genesis replay --stack S --from T1 --to T2 [--every 1m] [--window D]
 * [--error-rate-threshold P] [--latency-p95-threshold MS] [--min-requests N]
 * [--format md|html|json] [--out DIR]`: what the gate would have decided at every instant of
 * a past span, with the stack's thresholds and, when given, what-if ones. The gate's own
 * queries go as range queries (one or a few per measure group over the span, step = --every);
 * the decision at each instant is the gate's own code (core/replay/replayTimeline.ts).
 * Exit 0 written, 2 Prometheus answered none of the gate's queries, 64 usage.
 */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { gateSettingsFromConfig } from "../../core/gate/gateSettings";
import { GateSettings, GateState, MAX_DECISION_RECORDS } from "../../core/gate/types";
import {
  ChunkAnswer,
  ChunkLimits,
  chunkPoints,
  chunkRange,
  halveChunk,
  InstantTable,
  MAX_POINTS_PER_QUERY,
  planChunks,
  RangeChunk,
  ReplayGrid,
  replayGrid,
  tabulate,
} from "../../core/replay/instantTable";
import { parseReplayFlags, ReplayFlags, ReplayRequest } from "../../core/replay/replayArguments";
import {
  buildReplayQueries,
  HEALTH_PROBE_JOBS,
  REPLAY_MEASURE_GROUPS,
} from "../../core/replay/replayQueries";
import { MeasureGroup } from "../../core/gate/measureGroups";
import {
  buildReplayReport,
  ReplayReport,
  renderReplayHtml,
  renderReplayJson,
  renderReplayMarkdown,
} from "../../core/replay/replayReport";
import { replayTimeline } from "../../core/replay/replayTimeline";
import {
  StageTimeline,
  stagesFromRecord,
  stagesFromRecords,
} from "../../core/replay/stageTimeline";
import {
  PROMETHEUS_RANGE_ANSWER_CAP_BYTES,
  queryPrometheusRange,
  RangeOutcome,
} from "../../io/gateProbe";
import { redactUrl } from "../../core/redact";
import { loadStackConfig, PROJECT_DIR, UsageError } from "../loadStack";
import type { CommandRegistrar } from "../main";
import { rolloutEnvironment } from "./rollout";
import { readStackGateState } from "../stackGateState";

interface ReplayOptions extends ReplayFlags {
  readonly stack: string;
  readonly json?: boolean;
  readonly projectDir?: string;
  readonly prometheusUrl?: string;
  readonly appInstance?: string;
  readonly out?: string;
}

/**
 * One range query's deadline in milliseconds: Prometheus's own default query timeout (2 min).
 * A week at one-minute steps over thousands of series takes seconds, far more than a gate
 * decision's instant queries, so the gate's request deadline does not apply here.
 */
export const REPLAY_QUERY_TIMEOUT_MS = 120_000;

/** Range queries in flight at once. */
export const REPLAY_QUERY_CONCURRENCY = 4;

/**
 * What a chunk is sized to stay under. Its answer: half the client's range cap
 * (PROMETHEUS_RANGE_ANSWER_CAP_BYTES, 32 MiB), leaving room for longer values than the
 * sizing query saw, at a generous 40 bytes a point (`[1767225600,"0.0123456789012345"],`):
 * a week at one minute of up to 41 series goes as one query (the latency group has 26).
 * Prometheus's samples: 40 million, 80 % of its default `--query.max-samples` (50 million),
 * which refuses a query only once it has evaluated that far (about 10 s for a week of the
 * latency group at 10,000 series); this also bounds what one chunk costs Prometheus.
 */
const CHUNK_LIMITS: ChunkLimits = {
  answerBytes: PROMETHEUS_RANGE_ANSWER_CAP_BYTES / 2,
  bytesPerPoint: 40,
  peakSamples: 40_000_000,
};

/**
 * The instants the first range query of each table covers, at the end of the span: its
 * series and Prometheus's peak samples size the chunks of the rest, and its answer is kept.
 * An hour at one-minute steps: enough that the part of the peak that does not grow with the
 * instants is small beside the part that does.
 */
const SIZING_POINTS = 60;

/** Errors that a smaller time range avoids: the answer cap, Prometheus's sample limits. */
const TOO_LARGE = /larger than .* cap|too many samples|exceeded maximum resolution/;

/**
 * Runs at most `n` of the queued tasks at once. A slot that frees goes to the waiting task
 * of the highest `priority` (the first queued among equals): the replay gives a chunk its
 * instants, so the longest queries, which set the replay's time, never wait behind short ones
 * queued before them.
 */
export function limiter(n: number) {
  let active = 0;
  const waiting: { readonly priority: number; readonly start: () => void }[] = [];
  const release = (): void => {
    if (waiting.length === 0) {
      active--;
      return;
    }
    let next = 0;
    for (let k = 1; k < waiting.length; k++) {
      if (waiting[k].priority > waiting[next].priority) next = k;
    }
    // The slot passes straight to the next task: no other can take it in between.
    waiting.splice(next, 1)[0].start();
  };
  return async <T>(task: () => Promise<T>, priority = 0): Promise<T> => {
    if (active < n) active++;
    else await new Promise<void>((start) => waiting.push({ priority, start }));
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/** What the range fetcher needs. */
export interface RangeClient {
  readonly prometheusUrl: string;
  readonly retries: number;
  readonly limit: ReturnType<typeof limiter>;
  /** Every range query sent: the query, its range and step, its points and its time in ms. */
  readonly sent: {
    readonly query: string;
    readonly startSeconds: number;
    readonly endSeconds: number;
    readonly stepSeconds: number;
    readonly points: number;
    readonly ms: number;
    /** Whether Prometheus answered it (a chunk refused as too large is halved and resent). */
    readonly answered: boolean;
  }[];
}

/**
 * `query` over every instant of `grid`. The span's last {@link SIZING_POINTS} instants go
 * first, with Prometheus's query stats; from the series they answer and the samples
 * Prometheus held, the rest is cut into as few equal chunks as keep each under
 * {@link CHUNK_LIMITS} and at most `maxPoints` instants, sent concurrently. A chunk still
 * too large for the cap or Prometheus's sample limit is halved and sent again. A chunk that
 * fails otherwise is an error at its instants, never skipped.
 */
export async function fetchTable(
  client: RangeClient,
  query: string,
  grid: ReplayGrid,
  maxPoints: number = MAX_POINTS_PER_QUERY,
): Promise<InstantTable> {
  const send = async (chunk: RangeChunk, stats = false): Promise<RangeOutcome> => {
    const { startSeconds, endSeconds, stepSeconds } = chunkRange(grid, chunk);
    return client.limit(
      async () => {
        const t0 = performance.now();
        const outcome = await queryPrometheusRange(
          client.prometheusUrl,
          query,
          startSeconds,
          endSeconds,
          stepSeconds,
          REPLAY_QUERY_TIMEOUT_MS,
          client.retries,
          undefined,
          { stats },
        );
        client.sent.push({
          query,
          startSeconds,
          endSeconds,
          stepSeconds,
          points: chunk.last - chunk.first + 1,
          ms: performance.now() - t0,
          answered: outcome.kind === "series",
        });
        return outcome;
      },
      chunk.last - chunk.first + 1,
    );
  };
  const answers: ChunkAnswer[] = [];
  const run = async (chunk: RangeChunk): Promise<void> => {
    const outcome = await send(chunk);
    const halves =
      outcome.kind === "error" && TOO_LARGE.test(outcome.reason) ? halveChunk(chunk) : undefined;
    if (halves !== undefined) {
      await Promise.all(halves.map(run));
      return;
    }
    answers.push({ chunk, outcome });
  };
  const last: RangeChunk = { first: Math.max(0, grid.count - SIZING_POINTS), last: grid.count - 1 };
  const lastPoints = last.last - last.first + 1;
  const sizing = await send(last, true);
  let rest: RangeChunk = { first: 0, last: last.first - 1 };
  let chunkMax = maxPoints;
  if (sizing.kind === "series") {
    answers.push({ chunk: last, outcome: sizing });
    chunkMax = Math.min(
      maxPoints,
      chunkPoints(
        { points: lastPoints, series: sizing.series.length, peakSamples: sizing.peakSamples },
        CHUNK_LIMITS,
      ),
    );
  } else if (TOO_LARGE.test(sizing.reason) && lastPoints > 1) {
    // Even the span's end was too large: smaller chunks for all of it, halved as needed.
    rest = { first: 0, last: last.last };
    chunkMax = Math.min(maxPoints, Math.floor(lastPoints / 2));
  } else {
    answers.push({ chunk: last, outcome: sizing });
  }
  await Promise.all(planChunks(rest, chunkMax).map(run));
  return tabulate(grid, answers);
}

/** The gate's state from the stack outputs, or undefined (with why on stderr). */
async function readGateState(stack: string, projectDir: string): Promise<GateState | undefined> {
  const read = await readStackGateState(stack, projectDir);
  if (read.kind === "unreadable") {
    const e = read.error;
    process.stderr.write(
      `gate state unavailable (stages from the rules record instead): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`,
    );
  }
  return read.kind === "state" ? read.gate : undefined;
}

/** Whether `state`'s records cover the span from `startMs`: none dropped, or one before it. */
function recordsCover(state: GateState | undefined, startMs: number): state is GateState {
  if (state === undefined || state.records.length === 0) return false;
  return (
    state.records.length < MAX_DECISION_RECORDS || Date.parse(state.records[0].time) <= startMs
  );
}

/** Everything a replay computes, for the command and the tests. */
export interface ReplayRun {
  /** The document's facts. */
  readonly report: ReplayReport;
  /** Every range query sent, with its time. */
  readonly sent: RangeClient["sent"];
  /** How long the whole replay took, in ms. */
  readonly totalMs: number;
  /** How long its range queries took together (all in flight), in ms. */
  readonly queryMs: number;
}

/**
 * Replays `request` against Prometheus with the stack's `settings` (window already applied).
 * `gate`, when given and covering the span, supplies the stages; otherwise the rules record.
 */
export async function runReplay(
  stack: string,
  settings: GateSettings,
  request: ReplayRequest,
  fallbackPercentage: number,
  gate?: GateState,
  groups: readonly MeasureGroup[] = REPLAY_MEASURE_GROUPS,
): Promise<ReplayRun> {
  const t0 = performance.now();
  const grid = replayGrid(request.fromMs, request.toMs, request.stepSeconds);
  const queries = buildReplayQueries(settings, request.stepSeconds, groups);
  const client: RangeClient = {
    prometheusUrl: settings.endpoints.prometheusUrl,
    retries: settings.retries,
    limit: limiter(REPLAY_QUERY_CONCURRENCY),
    sent: [],
  };
  const useRecords = recordsCover(gate, grid.startMs);
  // The stage query starts a window early, so a stage already live for a whole window at
  // the first instant is known to be.
  const lead = Math.ceil(settings.validationWindowSeconds / grid.stepSeconds);
  const stageGrid: ReplayGrid = {
    startMs: grid.startMs - lead * grid.stepSeconds * 1000,
    stepSeconds: grid.stepSeconds,
    count: grid.count + lead,
  };
  const [gateTables, upTable, stageTable] = await Promise.all([
    Promise.all(queries.gate.map((q, k) => fetchTable(client, q, grid, queries.gateMaxPoints[k]))),
    fetchTable(client, queries.up, grid),
    useRecords ? Promise.resolve(undefined) : fetchTable(client, queries.stage, stageGrid),
  ]);
  const queryMs = performance.now() - t0;
  const stages: StageTimeline = useRecords
    ? stagesFromRecords(gate.records, grid, settings.validationWindowSeconds)
    : stagesFromRecord(stageTable as InstantTable, lead, grid);
  const whatIf = request.whatIf;
  const whatIfSettings = Object.keys(whatIf).length === 0 ? undefined : { ...settings, ...whatIf };
  const healthJobs = [...HEALTH_PROBE_JOBS, settings.appJob];
  const points = replayTimeline({
    grid,
    settings,
    ...(whatIfSettings !== undefined ? { whatIf: whatIfSettings } : {}),
    groups: queries.groups,
    gateTables,
    upTable,
    healthJobs,
    stages,
    fallbackPercentage,
  });
  const failedEverywhere = gateTables.every((t) => t.errors.every((e) => e !== undefined));
  const notes = [
    ...stages.notes,
    ...(failedEverywhere
      ? [
          `Prometheus at ${redactUrl(settings.endpoints.prometheusUrl)} answered none of the gate's queries: ${gateTables[0].errors[0] ?? ""}`,
        ]
      : []),
    ...(stages.percentage.some((p) => p === undefined)
      ? [
          `where the stage is unknown, the stack's genesis:rolloutPercentage ${fallbackPercentage}% is judged from`,
        ]
      : []),
  ];
  const report = buildReplayReport({
    stack,
    grid,
    windowSeconds: settings.validationWindowSeconds,
    thresholds: {
      errorRateThresholdPercent: settings.errorRateThresholdPercent,
      latencyP95ThresholdMs: settings.latencyP95ThresholdMs,
      minRequestCount: settings.minRequestCount,
    },
    whatIf,
    healthJobs,
    points,
    stages,
    rangeQueries: client.sent.length,
    notes,
  });
  return { report, sent: client.sent, totalMs: performance.now() - t0, queryMs };
}

/** Registers `genesis replay`. */
export const registerReplay: CommandRegistrar = (program, setExitCode) => {
  program
    .command("replay")
    .description(
      "what the gate would have decided at every instant of a past span, with the stack's thresholds or what-if ones",
    )
    .requiredOption("--stack <name>", "the stack whose settings to use (Pulumi.<name>.yaml)")
    .option("--project-dir <dir>", "where Pulumi.yaml lives (default: this project)")
    .option(
      "--from <time>",
      "the first instant: ISO 8601 with a time zone, such as 2026-01-01T00:00:00Z",
    )
    .option("--to <time>", "the last instant: ISO 8601 with a time zone, not in the future")
    .option(
      "--every <duration>",
      "the step between instants, at least the scrape interval (default 1m)",
    )
    .option(
      "--window <duration>",
      "the validation window judged at each instant (default: genesis:validationWindowSeconds)",
    )
    .option("--error-rate-threshold <percent>", "what-if error-rate threshold in percent")
    .option("--latency-p95-threshold <ms>", "what-if P95 latency threshold in milliseconds")
    .option("--min-requests <n>", "what-if minimum request count in the window")
    .option("--format <format>", "md, html or json (default md)")
    .option("--json", "the same as --format json")
    .option("--out <dir>", "write the document into this directory (default: print it)")
    .option("--prometheus-url <url>", "Prometheus base URL (overrides genesis:prometheusUrl)")
    .option(
      "--app-instance <host:port>",
      "the application's scrape target as Prometheus labels it (overrides genesis:appMetricsTarget)",
    )
    .action(async (opts: ReplayOptions) => {
      const projectDir = opts.projectDir ?? PROJECT_DIR;
      const cfg = loadStackConfig(opts.stack, projectDir, { assumeSecrets: true });
      const nowMs = rolloutEnvironment().clock.nowMs();
      if (opts.json === true && opts.format !== undefined && opts.format !== "json") {
        throw new UsageError(
          `--json is --format json; it cannot go with --format ${JSON.stringify(opts.format)}`,
        );
      }
      const flags: ReplayFlags = opts.json === true ? { ...opts, format: "json" } : opts;
      const parsed = parseReplayFlags(flags, {
        nowMs,
        scrapeIntervalSeconds: cfg.monitoring.scrapeIntervalSeconds,
        retentionDays: cfg.monitoring.retentionDays,
      });
      if ("problems" in parsed) throw new UsageError(parsed.problems.join("\n"));
      const request = parsed.request;
      const settings: GateSettings = {
        ...gateSettingsFromConfig(cfg, {
          prometheusUrl: opts.prometheusUrl,
          validationWindowSeconds: request.windowSeconds,
        }),
        ...(opts.appInstance !== undefined ? { appInstance: opts.appInstance } : {}),
      };
      const gate = await readGateState(opts.stack, projectDir);
      const run = await runReplay(opts.stack, settings, request, cfg.rollout.percentage, gate);
      const text =
        request.format === "html"
          ? renderReplayHtml(run.report)
          : request.format === "json"
            ? renderReplayJson(run.report)
            : renderReplayMarkdown(run.report);
      if (opts.out !== undefined) {
        const stamp = new Date(request.fromMs).toISOString().replace(/[:.]/g, "-");
        const file = path.join(opts.out, `replay-${opts.stack}-${stamp}.${request.format}`);
        await mkdir(opts.out, { recursive: true });
        await writeFile(file, text, "utf8");
        process.stdout.write(`replay of ${run.report.grid.count} instants written to ${file}\n`);
      } else {
        process.stdout.write(text);
      }
      const answered = run.report.points.some((p) =>
        p.decision.checks.some((c) => c.verdict !== "error"),
      );
      setExitCode(answered ? 0 : 2);
    });
};
