/**
 * `genesis replay` against a real Prometheus (Debian's 2.42) holding a week of history that
 * this test writes as real TSDB blocks (promtool): one sample a minute of a service with a
 * scrape gap, two promotions (5% -> 10% -> 25%), a bad hour (a 5xx burst on the canary), a
 * slow hour, a moderate half hour just before the second promotion, and errors at the end.
 * The replay must find each at the right instants; and the live gate's metric checks at an
 * instant must equal the replay of that instant, value and reason.
 */
import * as assert from "node:assert/strict";
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collectMetrics } from "../../io/gateProbe";
import { evaluateGate, evaluateHealth } from "../../core/gate/checks";
import { QueryOutcome } from "../../core/gate/prometheusResponse";
import { GATE_MEASURE_GROUPS } from "../../core/gate/measureGroups";
import { gateSettingsFromConfig } from "../../core/gate/gateSettings";
import { GateSettings, GateState } from "../../core/gate/types";
import { NO_ALERTMANAGER_HISTORY, UP_HISTORY_SUFFIX } from "../../core/replay/replayTimeline";
import { gateOutputsOf } from "../../core/rollout/rolloutStack";
import { runReplay } from "../../cli/commands/replay";
import { loadStackConfig } from "../../cli/loadStack";
import {
  AUTOMATION_ENVIRONMENT,
  RolloutEnvironment,
  useRolloutEnvironment,
} from "../../cli/commands/rollout";
import { runGenesis } from "../support/genesisCli";
import { Service } from "../support/processes";
import { HistorySeries, startPrometheusOnData, writeTsdbBlocks } from "../support/tsdbHistory";

const MIN = 60_000;
const DAY_MIN = 1440;
const JOB = "genesis-app";
const INSTANCE = "genesis-app:8080";
const LE = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
/** Share of requests at or below each edge: normal and slow. */
const NORMAL_LATENCY = [0.6, 0.9, 0.98, 0.995, 1, 1, 1];
const SLOW_LATENCY = [0.1, 0.2, 0.5, 0.7, 1, 1, 1];
const REQUESTS_PER_MINUTE = 600;

/** Minutes after the replay's first instant R. */
const AT = {
  gap: DAY_MIN + 360,
  gapMinutes: 30,
  promotion1: 2 * DAY_MIN + 720,
  bad: 3 * DAY_MIN + 600,
  slow: 4 * DAY_MIN + 840,
  promotion2: 5 * DAY_MIN + 720,
  moderate: 5 * DAY_MIN + 690,
  /** The errors at the end of the data, where the live instant lies. */
  end: 7 * DAY_MIN - 30,
};

interface Minute {
  readonly stage: number;
  readonly gap: boolean;
  readonly canaryErrors: number;
  readonly stableErrors: number;
  readonly canaryLatency: readonly number[];
}

/** What minute `m` (after R) was like. */
function minuteAt(m: number): Minute {
  const stage = m < AT.promotion1 ? 5 : m < AT.promotion2 ? 10 : 25;
  const gap = m >= AT.gap && m < AT.gap + AT.gapMinutes;
  let canaryErrors = 0.001;
  let stableErrors = 0.001;
  if (m >= AT.bad && m < AT.bad + 60) canaryErrors = 0.2;
  if (m >= AT.moderate && m < AT.promotion2) [canaryErrors, stableErrors] = [0.007, 0.005];
  if (m >= AT.end) canaryErrors = 0.03;
  const slow = m >= AT.slow && m < AT.slow + 60;
  return {
    stage,
    gap,
    canaryErrors,
    stableErrors,
    canaryLatency: slow ? SLOW_LATENCY : NORMAL_LATENCY,
  };
}

/** The week's series, one sample a minute from R - 60 min to `lastMinute` after R. */
function history(
  rMs: number,
  lastMinute: number,
): { series: HistorySeries[]; startS: number; endS: number } {
  const first = -60;
  const n = lastMinute - first + 1;
  const cumulative = (inc: (m: Minute) => number) => {
    const out = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      total += inc(minuteAt(first + k));
      out[k] = Math.round(total * 1000) / 1000;
    }
    return out;
  };
  const at =
    (values: Float64Array, appSeries = true) =>
    (t: number) => {
      const k = Math.round((t * 1000 - rMs) / MIN) - first;
      if (k < 0 || k >= n) return undefined;
      if (appSeries && minuteAt(first + k).gap) return undefined;
      return values[k];
    };
  const app = { job: JOB, instance: INSTANCE };
  const series: HistorySeries[] = [];
  for (const variant of ["stable", "canary"] as const) {
    const share = (m: Minute) => (variant === "canary" ? m.stage / 100 : 1 - m.stage / 100);
    const errors = (m: Minute) => (variant === "canary" ? m.canaryErrors : m.stableErrors);
    const requests = (m: Minute) => REQUESTS_PER_MINUTE * share(m);
    series.push(
      {
        name: "http_requests_total",
        labels: { ...app, code: "200", variant },
        value: at(cumulative((m) => requests(m) * (1 - errors(m)))),
      },
      {
        name: "http_requests_total",
        labels: { ...app, code: "500", variant },
        value: at(cumulative((m) => requests(m) * errors(m))),
      },
    );
    LE.forEach((le, i) => {
      const below = (m: Minute) => (variant === "canary" ? m.canaryLatency[i] : NORMAL_LATENCY[i]);
      series.push({
        name: "http_request_duration_seconds_bucket",
        labels: { ...app, le, variant },
        value: at(cumulative((m) => requests(m) * below(m))),
      });
    });
  }
  const ones = new Float64Array(n).fill(1);
  series.push({ name: "up", labels: app, value: at(ones) });
  for (const job of ["prometheus", "grafana", "alertmanager", "node-exporter"]) {
    series.push({ name: "up", labels: { job, instance: `${job}:1` }, value: at(ones, false) });
  }
  for (const step of [5, 10, 25]) {
    const values = new Float64Array(n).fill(step);
    const value = at(values);
    series.push({
      name: "genesis:rollout_stage_percent",
      labels: { step: String(step) },
      value: (t) => {
        const k = Math.round((t * 1000 - rMs) / MIN);
        return minuteAt(k).stage === step ? value(t) : undefined;
      },
    });
  }
  return { series, startS: rMs / 1000 + first * 60, endS: rMs / 1000 + lastMinute * 60 };
}

const NO_STACK_STATE: RolloutEnvironment = {
  ...AUTOMATION_ENVIRONMENT,
  openStack: () => Promise.reject(new Error("no stack state in this test")),
};

interface JsonPoint {
  readonly at: string;
  readonly verdict: string;
  readonly blockedBy: readonly string[];
  readonly stage: number | null;
}

describe("genesis replay against a week of real TSDB history", function () {
  this.timeout(300_000);
  let prometheus: Service;
  let dataDir: string;
  let projectDir: string;
  let outDir: string;
  let rMs: number;
  let toMs: number;
  let settings: GateSettings;
  let restore: RolloutEnvironment;

  const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
  const atMinute = (m: number) => iso(rMs + m * MIN).replace(".000Z", "Z");

  before(async () => {
    const nowMinute = Math.floor(Date.now() / MIN) * MIN;
    toMs = nowMinute - MIN;
    rMs = toMs - 7 * DAY_MIN * MIN;
    const { series, startS, endS } = history(rMs, 7 * DAY_MIN + 15);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "genesis-replay-data-"));
    await writeTsdbBlocks(series, startS, endS, 60, dataDir);
    prometheus = await startPrometheusOnData(dataDir);
    projectDir = mkdtempSync(path.join(os.tmpdir(), "genesis-replay-project-"));
    outDir = path.join(projectDir, "out");
    const root = path.resolve(__dirname, "..", "..");
    copyFileSync(path.join(root, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
    const staging = readFileSync(path.join(root, "Pulumi.staging.yaml"), "utf8")
      .replace(/scrapeIntervalSeconds: \d+/, "scrapeIntervalSeconds: 60")
      .replace(/validationWindowSeconds: \d+/, "validationWindowSeconds: 600");
    writeFileSync(path.join(projectDir, "Pulumi.replay.yaml"), staging);
    const cfg = loadStackConfig("replay", projectDir, { assumeSecrets: true });
    settings = gateSettingsFromConfig(cfg, { prometheusUrl: prometheus.url });
    restore = useRolloutEnvironment(NO_STACK_STATE);
  });

  after(async () => {
    useRolloutEnvironment(restore);
    await prometheus?.stop();
    for (const d of [dataDir, projectDir])
      if (d !== undefined) rmSync(d, { recursive: true, force: true });
  });

  it("replays the live gate's instant: same verdicts, same values, same reasons", async () => {
    // The gate's measures sent as one query, so that every one is evaluated at one instant
    // (the gate's two grouped queries each run at their own server time, milliseconds apart).
    const metrics = await collectMetrics(settings, [GATE_MEASURE_GROUPS.flat()]);
    const stamps = Object.values(metrics).flatMap((o: QueryOutcome) =>
      o.kind === "samples" ? o.samples.map((s) => s.timestampSeconds) : [],
    );
    assert.ok(stamps.length > 0, "the live queries answered samples");
    const liveMs = Math.round(stamps[0] * 1000);
    assert.ok(stamps.every((s) => Math.round(s * 1000) === liveMs));
    const healthNames = evaluateHealth({
      prometheus: { kind: "failure", reason: "-" },
      grafana: { kind: "failure", reason: "-" },
      alertmanager: { kind: "failure", reason: "-" },
      nodeExporter: { kind: "failure", reason: "-" },
      app: { kind: "failure", reason: "-" },
    }).map((c) => c.name);
    // A replay of one instant sees the stage a window back only: live for at least a window.
    const liveSinceMs = liveMs - settings.validationWindowSeconds * 1000;
    const live = evaluateGate({
      settings,
      fromPercentage: 25,
      liveSinceMs,
      nowMs: liveMs,
      health: {
        prometheus: { kind: "failure", reason: "-" },
        grafana: { kind: "failure", reason: "-" },
        alertmanager: { kind: "failure", reason: "-" },
        nodeExporter: { kind: "failure", reason: "-" },
        app: { kind: "failure", reason: "-" },
      },
      metrics,
      activeAlerts: NO_ALERTMANAGER_HISTORY,
    }).filter((c) => !healthNames.includes(c.name));
    const replayed = await runReplay(
      "replay",
      settings,
      { fromMs: liveMs, toMs: liveMs, stepSeconds: 60, whatIf: {}, format: "json" },
      100,
    );
    assert.equal(replayed.report.points.length, 1);
    const point = replayed.report.points[0];
    assert.equal(point.atMs, liveMs);
    assert.equal(point.stage, 25);
    const replayedChecks = point.decision.checks.filter((c) => !c.name.endsWith(UP_HISTORY_SUFFIX));
    assert.deepEqual(replayedChecks, live);
    const errorRate = live.find((c) => c.name === "error rate");
    assert.equal(errorRate?.verdict, "fail", JSON.stringify(live, null, 1));
    assert.deepEqual(
      live.filter((c) => c.verdict !== "pass").map((c) => c.name),
      ["error rate", "canary vs stable"],
    );
  });

  it("finds the scrape gap, the bad hour, the slow hour and both promotions at the right instants", async () => {
    const run = await runGenesis([
      "replay",
      "--stack",
      "replay",
      "--project-dir",
      projectDir,
      "--prometheus-url",
      prometheus.url,
      "--from",
      iso(rMs),
      "--to",
      iso(toMs),
      "--every",
      "1m",
      "--format",
      "json",
      "--out",
      outDir,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const file = readdirSync(outDir).find((f) => f.endsWith(".json"));
    assert.ok(file !== undefined);
    const doc = JSON.parse(readFileSync(path.join(outDir, file), "utf8")) as {
      points: JsonPoint[];
      stageSource: string;
      stageChanges: { at: string; from: number; to: number }[];
      promotions: {
        change: { atMs: number; from: number; to: number };
        verdict: string;
        judgedAtMs: number;
        earliestPassMs: number;
      }[];
      notes: string[];
    };
    rmSync(outDir, { recursive: true, force: true });
    assert.equal(doc.points.length, 7 * DAY_MIN + 1);
    assert.equal(doc.stageSource, "rules record");
    const point = (m: number) => doc.points[m];
    const blocked = (m: number, check: string) => point(m).blockedBy.includes(check);
    for (let m = 0; m <= 7 * DAY_MIN; m++) assert.equal(point(m).at, atMinute(m));

    // Quiet days pass.
    for (const m of [60, DAY_MIN, 2 * DAY_MIN, 3 * DAY_MIN, 6 * DAY_MIN]) {
      assert.equal(point(m).verdict, "pass", JSON.stringify(point(m)));
    }
    // The scrape gap: inconclusive on data freshness, never skipped.
    for (let m = AT.gap + 2; m < AT.gap + AT.gapMinutes; m++) {
      assert.equal(point(m).verdict, "inconclusive", JSON.stringify(point(m)));
      assert.ok(blocked(m, "data freshness"), JSON.stringify(point(m)));
    }
    assert.equal(point(AT.gap - 1).verdict, "pass");
    // The bad hour: error rate fails from its first minute to the window after its last.
    for (let m = AT.bad; m < AT.bad + 60; m++) {
      assert.equal(point(m).verdict, "fail");
      assert.ok(blocked(m, "error rate"), JSON.stringify(point(m)));
    }
    assert.ok(!blocked(AT.bad - 1, "error rate"));
    assert.ok(!blocked(AT.bad + 60 + 10, "error rate"));
    // The slow hour: P95 fails once the window is inside it.
    for (let m = AT.slow + 9; m < AT.slow + 60; m++) {
      assert.ok(blocked(m, "p95 latency"), JSON.stringify(point(m)));
    }
    assert.ok(!blocked(AT.slow - 1, "p95 latency"));
    assert.ok(!blocked(AT.slow + 60 + 10, "p95 latency"));
    for (let m = AT.slow; m < AT.slow + 70; m++) assert.ok(!blocked(m, "error rate"));
    // The stages and promotions, from the rules record.
    assert.deepEqual(
      doc.stageChanges.map((c) => [c.at, c.from, c.to]),
      [
        [iso(rMs + AT.promotion1 * MIN), 5, 10],
        [iso(rMs + AT.promotion2 * MIN), 10, 25],
      ],
    );
    assert.deepEqual(
      doc.promotions.map((p) => [
        p.change.from,
        p.change.to,
        p.verdict,
        iso(p.judgedAtMs),
        iso(p.earliestPassMs),
      ]),
      [
        [5, 10, "pass", iso(rMs + (AT.promotion1 - 1) * MIN), iso(rMs)],
        // The stage live check: 10% went live at the first promotion, so a window later.
        [
          10,
          25,
          "pass",
          iso(rMs + (AT.promotion2 - 1) * MIN),
          iso(rMs + (AT.promotion1 + 10) * MIN),
        ],
      ],
    );
  });

  it("with what-if thresholds names the promotion they would have blocked", async () => {
    const run = await runGenesis([
      "replay",
      "--stack",
      "replay",
      "--project-dir",
      projectDir,
      "--prometheus-url",
      prometheus.url,
      "--from",
      iso(rMs + 5 * DAY_MIN * MIN),
      "--to",
      iso(rMs + 6 * DAY_MIN * MIN),
      "--error-rate-threshold",
      "0.5",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `blocked 1 promotion the real thresholds let through: 10% -> 25% at ${atMinute(AT.promotion2).replace(/[.]/g, "\\.")} \\(error rate\\)`,
      ),
    );
    assert.match(run.stdout, /Live health probes cannot be replayed/);
  });

  it("draws an HTML page with inline SVG only", async () => {
    const run = await runGenesis([
      "replay",
      "--stack",
      "replay",
      "--project-dir",
      projectDir,
      "--prometheus-url",
      prometheus.url,
      "--from",
      iso(rMs + 3 * DAY_MIN * MIN),
      "--to",
      iso(rMs + 4 * DAY_MIN * MIN),
      "--format",
      "html",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^<!DOCTYPE html>/);
    assert.equal((run.stdout.match(/<svg /g) ?? []).length, 3);
    assert.doesNotMatch(run.stdout, /(src|href)="http/);
  });

  it("reads the stages from the gate's decision records when the stack's state is at hand", async () => {
    const state: GateState = {
      percentage: 25,
      liveSinceMs: rMs + AT.promotion2 * MIN,
      lastVerdicts: [],
      records: [
        {
          time: iso(rMs - DAY_MIN * MIN),
          from: 0,
          to: 5,
          decision: "initial",
          reason: "",
          checks: [],
        },
        {
          time: iso(rMs + (AT.promotion1 + 3) * MIN),
          from: 5,
          to: 10,
          decision: "promotion",
          reason: "",
          checks: [],
        },
        {
          time: iso(rMs + (AT.promotion2 + 3) * MIN),
          from: 10,
          to: 25,
          decision: "promotion",
          reason: "",
          checks: [],
        },
      ],
    };
    const env: RolloutEnvironment = {
      ...AUTOMATION_ENVIRONMENT,
      openStack: () =>
        Promise.resolve({
          outputs: () => Promise.resolve(gateOutputsOf(state)),
        } as unknown as Awaited<ReturnType<RolloutEnvironment["openStack"]>>),
    };
    const old = useRolloutEnvironment(env);
    try {
      const run = await runGenesis([
        "replay",
        "--stack",
        "replay",
        "--project-dir",
        projectDir,
        "--prometheus-url",
        prometheus.url,
        "--from",
        iso(rMs + 2 * DAY_MIN * MIN),
        "--to",
        iso(rMs + 3 * DAY_MIN * MIN),
        "--format",
        "json",
      ]);
      assert.equal(run.code, 0, run.stderr);
      const doc = JSON.parse(run.stdout) as {
        stageSource: string;
        stageChanges: { at: string; from: number; to: number }[];
      };
      assert.equal(doc.stageSource, "decision records");
      assert.deepEqual(
        doc.stageChanges.map((c) => [c.at, c.from, c.to]),
        [[iso(rMs + (AT.promotion1 + 3) * MIN), 5, 10]],
      );
    } finally {
      useRolloutEnvironment(old);
    }
  });

  it("exits 64 naming the flag, the value and the limit", async () => {
    const run = await runGenesis([
      "replay",
      "--stack",
      "replay",
      "--project-dir",
      projectDir,
      "--from",
      iso(toMs),
      "--to",
      iso(rMs),
      "--every",
      "30s",
    ]);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /--to must not be before --from/);
    assert.match(
      run.stderr,
      /--every must be at least the scrape interval \(genesis:scrapeIntervalSeconds 60 s\)/,
    );
  });
});
