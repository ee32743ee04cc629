/**
 * `npm run bench:replay [-- SIZES]`: `genesis replay` over a week at one-minute steps (10,080
 * instants) against a real Prometheus holding a week of history for the application, written
 * as real TSDB blocks (test/support/tsdbHistory.ts), at 100 and 10,000 series (or the sizes
 * given, comma-separated). For each size and each grouping of the gate's measures prints:
 *
 * - the replay's time (range queries, slicing and 10,080 gate evaluations; median of 3
 *   after one warm-up run), and the part spent waiting for the range queries;
 * - replay / the slowest single range query it issues, each re-sent alone after the replay
 *   (target <= 2x). The replay cuts a query's span into chunks where Prometheus's sample
 *   limit or a query's cost calls for it, so this denominator is a chunk, never more than
 *   the replay itself asked for;
 * - for reference, each measure group as one whole-span query, sent alone once: what one
 *   query per group over the whole span costs (or that Prometheus refuses it), and replay /
 *   the slowest of them;
 * - the CPU time of a replay (Prometheus's, from its `process_cpu_seconds_total`, and this
 *   process's) against the slowest query's alone: on a machine whose cores are busy with other
 *   work, the time ratio tends to this CPU ratio, as the replay's queries no longer run side
 *   by side for free;
 * - replay / 10,080 instant-query gate evaluations (the gate's grouped instant queries plus
 *   `evaluateGate`, as `genesis gate` runs them, at instants spread over the week): a sample
 *   of instant evaluations is timed and its median multiplied by 10,080, which the output
 *   says (expect << 1).
 *
 * Prometheus runs with `--query.max-samples` raised (MAX_SAMPLES) so that the whole-week
 * references are answered at 10,000 series too; the replay's own queries do not depend on it.
 *
 * Series are counted as in bench:gate: per path, 2 codes x 2 variants of the request
 * counter, and per variant 12 histogram buckets, the sum and the count (32 series).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { queryPrometheusAt, queryPrometheusRange } from "../io/gateProbe";
import { evaluateGate } from "../core/gate/checks";
import {
  GATE_MEASURE_GROUPS,
  groupedQueries,
  MeasureGroup,
  splitGroupedOutcomes,
} from "../core/gate/measureGroups";
import { buildGateQueries } from "../core/gate/promql";
import { GateSettings } from "../core/gate/types";
import {
  buildReplayQueries,
  REPLAY_MEASURE_GROUPS,
  SEPARATE_MEASURE_GROUPS,
} from "../core/replay/replayQueries";
import { NO_ALERTMANAGER_HISTORY } from "../core/replay/replayTimeline";
import { REPLAY_QUERY_TIMEOUT_MS, runReplay } from "../cli/commands/replay";
import {
  HistorySeries,
  ownMetric,
  startPrometheusOnData,
  waitForCompaction,
  writeTsdbBlocks,
} from "../test/support/tsdbHistory";
import { LE, SERIES_PER_PATH } from "./syntheticExporter";

const MIN = 60_000;
const WEEK_MIN = 7 * 1440;
const JOB = "genesis-app";
const INSTANCE = "genesis-app:8080";
const RUNS = 3;
const INSTANT_SAMPLE = 50;
/** The replay's grouping (the one it uses), beside the gate's two groups and each measure alone. */
const VARIANTS: readonly [string, readonly MeasureGroup[]][] = [
  ["replay's groups", REPLAY_MEASURE_GROUPS],
  ["gate's groups", GATE_MEASURE_GROUPS],
  ["each measure alone", SEPARATE_MEASURE_GROUPS],
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** This process's CPU time so far, in seconds. */
function ownCpuSeconds(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
}

/** CPU seconds spent by Prometheus and by this process (the replay's client) while `f` ran. */
async function cpuOf<T>(
  url: string,
  f: () => Promise<T>,
): Promise<{ value: T; prometheusS: number; genesisS: number; ms: number }> {
  const p0 = await ownMetric(url, "process_cpu_seconds_total");
  const g0 = ownCpuSeconds();
  const t0 = performance.now();
  const value = await f();
  const ms = performance.now() - t0;
  const genesisS = ownCpuSeconds() - g0;
  return {
    value,
    prometheusS: (await ownMetric(url, "process_cpu_seconds_total")) - p0,
    genesisS,
    ms,
  };
}

/** The week's series for `paths` paths, one sample a minute from `startS` (closed forms). */
function history(paths: number, startS: number): HistorySeries[] {
  const app = { job: JOB, instance: INSTANCE };
  const minutes = (t: number) => (t - startS) / 60;
  const series: HistorySeries[] = [];
  for (let p = 0; p < paths; p++) {
    for (const variant of ["stable", "canary"]) {
      const perMinute = variant === "canary" ? 30 : 570;
      const labels = { ...app, path: `/p${p}`, variant };
      series.push(
        {
          name: "http_requests_total",
          labels: { ...labels, code: "200" },
          value: (t) => perMinute * 0.999 * minutes(t),
        },
        {
          name: "http_requests_total",
          labels: { ...labels, code: "500" },
          value: (t) => perMinute * 0.001 * minutes(t),
        },
      );
      LE.forEach((le, i) => {
        const share = le === "+Inf" ? 1 : Math.min(1, (i + 1) / 7);
        series.push({
          name: "http_request_duration_seconds_bucket",
          labels: { ...labels, le },
          value: (t) => perMinute * share * minutes(t),
        });
      });
      series.push(
        {
          name: "http_request_duration_seconds_sum",
          labels,
          value: (t) => perMinute * 0.05 * minutes(t),
        },
        {
          name: "http_request_duration_seconds_count",
          labels,
          value: (t) => perMinute * minutes(t),
        },
      );
    }
  }
  series.push({ name: "up", labels: app, value: () => 1 });
  for (const job of ["prometheus", "grafana", "alertmanager", "node-exporter"]) {
    series.push({ name: "up", labels: { job, instance: `${job}:1` }, value: () => 1 });
  }
  series.push({ name: "genesis:rollout_stage_percent", labels: { step: "5" }, value: () => 5 });
  return series;
}

/**
 * Prometheus's `--query.max-samples` here: 200 million, four times its default, so that the
 * whole-week reference queries are answered (the latency group over a week at 10,000 series
 * holds about 76 million samples at once). The replay's own queries are the same as against
 * the default: it sizes its chunks under 40 million samples whatever the server allows.
 */
const MAX_SAMPLES = 200_000_000;

function settingsFor(prometheusUrl: string): GateSettings {
  return {
    steps: [0, 5, 10, 25, 50, 75, 100],
    allowStepSkip: false,
    cooldownSeconds: 0,
    overrideReason: "",
    errorRateThresholdPercent: 1,
    latencyP95ThresholdMs: 500,
    validationWindowSeconds: 600,
    minRequestCount: 100,
    canaryErrorMarginPercent: 0.5,
    scrapeIntervalSeconds: 60,
    appInstance: INSTANCE,
    appJob: JOB,
    statusLabel: "code",
    endpoints: {
      prometheusUrl,
      grafanaUrl: "http://127.0.0.1:1",
      alertmanagerUrl: "http://127.0.0.1:1",
      nodeExporterUrl: "http://127.0.0.1:1",
      appHealthUrl: "http://127.0.0.1:1/health",
    },
    requestTimeoutMs: REPLAY_QUERY_TIMEOUT_MS,
    decisionTimeoutMs: REPLAY_QUERY_TIMEOUT_MS,
    retries: 0,
  };
}

const HEALTH_NOT_PROBED = {
  prometheus: { kind: "failure", reason: "-" },
  grafana: { kind: "failure", reason: "-" },
  alertmanager: { kind: "failure", reason: "-" },
  nodeExporter: { kind: "failure", reason: "-" },
  app: { kind: "failure", reason: "-" },
} as const;

async function benchSize(targetSeries: number): Promise<string> {
  const paths = Math.max(1, Math.round(targetSeries / SERIES_PER_PATH));
  const toMs = Math.floor(Date.now() / MIN) * MIN - MIN;
  const fromMs = toMs - (WEEK_MIN - 1) * MIN;
  const startS = fromMs / 1000 - 3600;
  const series = history(paths, startS);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "genesis-replay-bench-"));
  const t0 = performance.now();
  process.stderr.write(`${targetSeries} series: writing a week of history as TSDB blocks...\n`);
  await writeTsdbBlocks(series, startS, toMs / 1000, 60, dataDir);
  const writeS = (performance.now() - t0) / 1000;
  const prometheus = await startPrometheusOnData(dataDir, [`--query.max-samples=${MAX_SAMPLES}`]);
  try {
    // Measured on the blocks a week of running would have left, not while they are merged.
    process.stderr.write(`${targetSeries} series: waiting for Prometheus to compact them...\n`);
    await waitForCompaction(prometheus);
    process.stderr.write(`${targetSeries} series: measuring...\n`);
    // The machine may be shared: its load when measuring starts, next to the figures.
    const loadAtStart = os.loadavg()[0];
    const settings = settingsFor(prometheus.url);
    const request = { fromMs, toMs, stepSeconds: 60, whatIf: {}, format: "json" as const };
    const lines = [
      `series ${paths * SERIES_PER_PATH} (${paths} paths; ${series.length} series written incl. up and the stage record), history written in ${writeS.toFixed(0)} s, ${readdirSync(dataDir).filter((f) => /^[0-9A-Z]{26}$/.test(f)).length} blocks after compaction, load average ${loadAtStart.toFixed(1)} on ${os.cpus().length} cores when measuring started`,
    ];
    // Instant-query gate evaluations: a sample, each the gate's grouped instant queries (sent
    // side by side, as collectMetrics sends them) and evaluateGate, one after the other, at
    // instants spread over the week: the data ends minutes before measuring starts, so at
    // "now" the window would hold nothing and the queries would have nothing to read.
    const instantQueries = groupedQueries(
      buildGateQueries(settings, settings.validationWindowSeconds),
      GATE_MEASURE_GROUPS,
    );
    const instant: number[] = [];
    for (let i = 0; i < INSTANT_SAMPLE + 5; i++) {
      const atMs =
        fromMs + Math.floor(((i % INSTANT_SAMPLE) * (WEEK_MIN - 1)) / INSTANT_SAMPLE) * MIN;
      const s = performance.now();
      const answers = await Promise.all(
        instantQueries.map((q) =>
          queryPrometheusAt(
            prometheus.url,
            q,
            atMs / 1000,
            settings.requestTimeoutMs,
            settings.retries,
          ),
        ),
      );
      evaluateGate({
        settings,
        fromPercentage: 5,
        liveSinceMs: 0,
        nowMs: atMs,
        health: HEALTH_NOT_PROBED,
        metrics: splitGroupedOutcomes(answers, GATE_MEASURE_GROUPS),
        activeAlerts: NO_ALERTMANAGER_HISTORY,
      });
      if (i >= 5) instant.push(performance.now() - s);
    }
    const instantEach = median(instant);
    for (const [name, groups] of VARIANTS) {
      await runReplay("bench", settings, request, 5, undefined, groups); // warm-up
      const runs = [];
      const cpu: { prometheusS: number; genesisS: number }[] = [];
      for (let i = 0; i < RUNS; i++) {
        const measured = await cpuOf(prometheus.url, () =>
          runReplay("bench", settings, request, 5, undefined, groups),
        );
        runs.push(measured.value);
        cpu.push(measured);
      }
      const cpuProm = median(cpu.map((c) => c.prometheusS));
      const cpuGenesis = median(cpu.map((c) => c.genesisS));
      const replayMs = median(runs.map((r) => r.totalMs));
      const queryMs = median(runs.map((r) => r.queryMs));
      const run = runs[0];
      const verdicts = run.report.points.reduce<Record<string, number>>((acc, p) => {
        acc[p.decision.verdict] = (acc[p.decision.verdict] ?? 0) + 1;
        return acc;
      }, {});
      // Each range query of the replay, re-sent alone (twice; the faster counts).
      let slowest = { ms: 0, cpuS: 0, what: "" };
      for (const q of run.sent.filter((x) => x.answered)) {
        let best = { ms: Number.POSITIVE_INFINITY, cpuS: 0 };
        for (let k = 0; k < 2; k++) {
          const measured = await cpuOf(prometheus.url, () =>
            queryPrometheusRange(
              prometheus.url,
              q.query,
              q.startSeconds,
              q.endSeconds,
              q.stepSeconds,
              REPLAY_QUERY_TIMEOUT_MS,
              0,
            ),
          );
          const outcome = measured.value;
          if (outcome.kind === "error") throw new Error(`range query failed: ${outcome.reason}`);
          if (measured.ms < best.ms) {
            best = { ms: measured.ms, cpuS: measured.prometheusS + measured.genesisS };
          }
        }
        if (best.ms > slowest.ms) {
          slowest = { ...best, what: `${q.points} points of ${q.query.slice(0, 60)}...` };
        }
      }
      // Each measure group as one query over the whole span, alone: the reference a chunked
      // replay is fairly compared with too (Prometheus may refuse it: too many samples).
      let whole = { ms: 0, what: "" };
      const wholeNotes: string[] = [];
      for (const [k, query] of buildReplayQueries(settings, 60, groups).gate.entries()) {
        const s = performance.now();
        const outcome = await queryPrometheusRange(
          prometheus.url,
          query,
          fromMs / 1000,
          toMs / 1000,
          60,
          REPLAY_QUERY_TIMEOUT_MS,
          0,
        );
        const ms = performance.now() - s;
        const names = groups[k].join("+");
        if (outcome.kind === "error") {
          wholeNotes.push(`${names} refused after ${(ms / 1000).toFixed(1)} s: ${outcome.reason}`);
        } else {
          wholeNotes.push(`${names} ${ms.toFixed(0)} ms`);
          if (ms > whole.ms) whole = { ms, what: names };
        }
      }
      const instantAll = instantEach * run.report.grid.count;
      lines.push(
        `  [${name}] instants ${run.report.grid.count}, range queries ${run.sent.length} (points ${run.sent.map((q) => `${q.points}${q.answered ? "" : " refused"}`).join(", ")}), verdicts ${JSON.stringify(verdicts)}`,
        `  [${name}] replay ${replayMs.toFixed(0)} ms (median of ${RUNS}; waiting for range queries ${queryMs.toFixed(0)} ms, slicing and evaluating ${(replayMs - queryMs).toFixed(0)} ms)`,
        `  [${name}] slowest single range query the replay issued, alone: ${slowest.ms.toFixed(0)} ms (${slowest.what})`,
        `  [${name}] replay / slowest range query it issued: ${(replayMs / slowest.ms).toFixed(2)}x (target <= 2x)`,
        `  [${name}] CPU per replay (median): Prometheus ${cpuProm.toFixed(2)} s + replay client ${cpuGenesis.toFixed(2)} s = ${(cpuProm + cpuGenesis).toFixed(2)} s; the slowest query alone ${slowest.cpuS.toFixed(2)} s (both); CPU ratio ${((cpuProm + cpuGenesis) / slowest.cpuS).toFixed(2)}x (the time ratio tends to it when the cores are busy with other work)`,
        `  [${name}] for reference, each group as one whole-week query alone: ${wholeNotes.join("; ")}`,
        `  [${name}] replay / slowest whole-week group query answered: ${whole.ms > 0 ? `${(replayMs / whole.ms).toFixed(2)}x (${whole.what})` : "none answered"}`,
        `  [${name}] replay / ${run.report.grid.count} instant evaluations: ${(replayMs / instantAll).toFixed(4)} (expect << 1)`,
      );
    }
    lines.push(
      `  instant evaluation: ${instantEach.toFixed(1)} ms median of ${INSTANT_SAMPLE}, extrapolated x 10,080 = ${((instantEach * 10_080) / 1000).toFixed(1)} s`,
    );
    return lines.join("\n");
  } finally {
    await prometheus.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? "100,10000").split(",").map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(
      `bench:replay: sizes must be whole numbers such as 100,10000; got ${process.argv[2]}`,
    );
    process.exit(64);
  }
  console.log(
    `genesis replay: a week at 1-minute steps, Prometheus 2.42 on real TSDB blocks (--query.max-samples ${MAX_SAMPLES}), ${os.cpus().length} cores`,
  );
  for (const size of sizes) console.log(await benchSize(size));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
