import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { HealthProbes, HttpProbe, MetricOutcomes } from "../../../core/gate/checks";
import { GateState } from "../../../core/gate/types";
import { chartPoints, chartRange, dailyFacts } from "../../../core/report/dailyFacts";
import { MatrixOutcome } from "../../../core/report/prometheusMatrix";
import { buckets, byVariant, scalar } from "../gate/fixtures";
import { CONFIG } from "../rollout/fixtures";

const NOW = Date.parse("2026-03-02T12:00:00Z");
const HOUR = 3600_000;
const gateFrom = (firstRecordMs: number | string, percentage = 25): GateState => ({
  percentage,
  liveSinceMs: NOW - HOUR,
  lastVerdicts: [],
  records: [
    {
      time: typeof firstRecordMs === "string" ? firstRecordMs : new Date(firstRecordMs).toISOString(),
      from: 0,
      to: 5,
      decision: "promotion",
      reason: "promoted",
      checks: [],
    },
  ],
});

describe("chartRange", () => {
  const s = (ms: number) => Math.floor(ms / 1000);
  const rows: [string, GateState | undefined, number, [number, number, number]][] = [
    ["no gate state: the last 24 hours", undefined, 15, [s(NOW - 24 * HOUR), s(NOW), 288]],
    ["a rollout 10 hours old: from its first record", gateFrom(NOW - 10 * HOUR), 15, [s(NOW - 10 * HOUR), s(NOW), 120]],
    ["a rollout 10 minutes old: at least 300 scrapes (75 minutes at 15 s)", gateFrom(NOW - 10 * 60_000), 15, [s(NOW - 75 * 60_000), s(NOW), 15]],
    ["a rollout 30 s old at 1 s scrapes: the last 5 minutes, scrape by scrape", gateFrom(NOW - 30_000), 1, [s(NOW - 5 * 60_000), s(NOW), 1]],
    ["a short range never steps below the scrape interval", gateFrom(NOW - HOUR), 60, [s(NOW - 5 * HOUR), s(NOW), 60]],
    ["an unreadable record time: the last 24 hours", gateFrom("yesterday"), 15, [s(NOW - 24 * HOUR), s(NOW), 288]],
  ];
  for (const [title, gate, scrape, [startS, endS, stepS]] of rows) {
    it(title, () => {
      deepStrictEqual(chartRange(gate, NOW, scrape), { startS, endS, stepS });
    });
  }
  it("keeps a chart at 300 points at most", () => {
    const r = chartRange(gateFrom(NOW - 7 * 24 * HOUR), NOW, 15);
    strictEqual(Math.floor((r.endS - r.startS) / r.stepS) <= 300, true);
  });
});

describe("chartPoints", () => {
  it("takes the first series, scaled, with times in milliseconds", () => {
    const o: MatrixOutcome = {
      kind: "series",
      series: [
        { labels: {}, points: [{ timeSeconds: 100, value: 0.012 }, { timeSeconds: 115, value: 0.5 }] },
      ],
    };
    deepStrictEqual(chartPoints(o, 100), [
      { atMs: 100_000, value: 1.2 },
      { atMs: 115_000, value: 50 },
    ]);
  });
  it("an error or an empty answer is no points, never zeros", () => {
    deepStrictEqual(chartPoints({ kind: "error", reason: "down" }, 100), []);
    deepStrictEqual(chartPoints({ kind: "series", series: [] }, 100), []);
  });
});

describe("dailyFacts", () => {
  const ok = (body = ""): HttpProbe => ({ kind: "response", status: 200, body });
  const probes = (down: Partial<HealthProbes> = {}): HealthProbes => ({
    prometheus: ok("Prometheus Server is Healthy.\n"),
    grafana: ok('{"database":"ok"}'),
    alertmanager: ok("OK"),
    nodeExporter: ok('node_exporter_build_info{version="1.8.2"} 1\n'),
    app: ok(),
    ...down,
  });
  const metrics = (over: Partial<MetricOutcomes> = {}): MetricOutcomes => ({
    requests: byVariant({ canary: 200, stable: 800 }),
    errorRatio: byVariant({ canary: 0.004, stable: 0.001 }),
    latencyP95Seconds: byVariant({ canary: 0.2, stable: 0.1 }),
    latencyBuckets: buckets({
      canary: { "0.25": 196, "0.5": 200, "+Inf": 200 },
      stable: { "0.25": 800, "0.5": 800, "+Inf": 800 },
    }),
    statusLabelSeries: byVariant({ canary: 2, stable: 2 }),
    up: scalar(1),
    scrapeAgeSeconds: scalar(3),
    scrapesInWindow: scalar(20),
    failedScrapesInWindow: scalar(0),
    lastFailedScrapeSeconds: { kind: "empty" },
    alertsFiredInWindow: { kind: "empty" },
    ...over,
  });
  const noSeries: MatrixOutcome = { kind: "series", series: [] };
  const base = {
    stack: "staging",
    config: CONFIG,
    nowMs: NOW,
    errorSeries: noSeries,
    latencySeries: noSeries,
  };

  it("judges the live stage on the canary's traffic, in percent and milliseconds", () => {
    const f = dailyFacts({ ...base, gate: gateFrom(NOW - HOUR), probes: probes(), metrics: metrics() });
    deepStrictEqual(
      [f.health, f.errorRatePercent, f.latencyP95Ms, f.configuredPercentage, f.gateUnavailable],
      [{ healthy: 5, total: 5 }, 0.4, 200, CONFIG.rollout.percentage, undefined],
    );
    deepStrictEqual(
      [f.errorRateThresholdPercent, f.latencyP95ThresholdMs, f.validationWindowSeconds],
      [1, 500, 60],
    );
  });

  it("a figure that could not be read is left out, and a failing probe counts against health", () => {
    const f = dailyFacts({
      ...base,
      gateUnavailable: "no stack outputs",
      probes: probes({ grafana: { kind: "failure", reason: "refused" } }),
      metrics: metrics({ errorRatio: { kind: "error", reason: "down" }, latencyP95Seconds: { kind: "empty" } }),
    });
    deepStrictEqual([f.health, f.gateUnavailable, f.gate], [{ healthy: 4, total: 5 }, "no stack outputs", undefined]);
    strictEqual("errorRatePercent" in f, false);
    strictEqual("latencyP95Ms" in f, false);
  });
});
