import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { HealthProbes, HttpProbe, MetricOutcomes } from "../../../core/gate/checks";
import { QueryOutcome } from "../../../core/gate/prometheusResponse";
import { bakeMeasurementOf, scopedValue } from "../../../core/rollout/bakeMeasurement";
import { buckets, byVariant, scalar, SETTINGS } from "../gate/fixtures";

const ok200 = (body = ""): HttpProbe => ({ kind: "response", status: 200, body });
const HEALTHY: HealthProbes = {
  prometheus: ok200("Prometheus Server is Healthy.\n"),
  grafana: ok200('{"database":"ok","version":"11.3.0","commit":"x"}'),
  alertmanager: ok200("OK"),
  nodeExporter: ok200('node_exporter_build_info{version="1.5.0"} 1\n'),
  app: ok200('{"status":"ok"}'),
};

const EMPTY: QueryOutcome = { kind: "empty" };

describe("scopedValue", () => {
  const cases: { name: string; outcome: QueryOutcome; percentage: number; expected?: number }[] = [
    {
      name: "the canary's sample when there is one",
      outcome: byVariant({ stable: 0.1, canary: 0.3 }),
      percentage: 25,
      expected: 0.3,
    },
    { name: "the one label-less sample", outcome: scalar(0.02), percentage: 25, expected: 0.02 },
    {
      name: "nothing from several samples without a canary",
      outcome: byVariant({ stable: 0.1, other: 0.2 }),
      percentage: 0,
    },
    {
      name: "nothing when variants exist but the canary has none above 0 %",
      outcome: byVariant({ stable: 0.1 }),
      percentage: 25,
    },
    { name: "nothing for NaN", outcome: byVariant({ canary: Number.NaN }), percentage: 25 },
    { name: "nothing for an empty answer", outcome: EMPTY, percentage: 25 },
    { name: "nothing for an error", outcome: { kind: "error", reason: "down" }, percentage: 25 },
  ];
  for (const c of cases) {
    it(c.name, () => strictEqual(scopedValue(c.outcome, c.percentage), c.expected));
  }
});

describe("bakeMeasurementOf", () => {
  const metrics: MetricOutcomes = {
    requests: byVariant({ stable: 900, canary: 300 }),
    errorRatio: byVariant({ stable: 0.001, canary: 0.002 }),
    latencyP95Seconds: byVariant({ stable: 0.1, canary: 0.12 }),
    latencyBuckets: buckets({
      stable: { "0.25": 900, "0.5": 900, "+Inf": 900 },
      canary: { "0.25": 298, "0.5": 300, "+Inf": 300 },
    }),
    statusLabelSeries: byVariant({ stable: 2, canary: 2 }),
    up: scalar(1),
    scrapeAgeSeconds: scalar(2),
    scrapesInWindow: scalar(20),
    failedScrapesInWindow: scalar(0),
    lastFailedScrapeSeconds: EMPTY,
    alertsFiredInWindow: EMPTY,
  };
  const answers = {
    health: HEALTHY,
    metrics,
    shortErrors: byVariant({ canary: 0.004 }),
    shortLatency: byVariant({ canary: 0.2 }),
    activeAlerts: { kind: "alerts", alerts: [] } as const,
  };

  it("splits the gate's checks into health and window, and converts the canary's figures", () => {
    const m = bakeMeasurementOf(SETTINGS, 25, 400_000, answers);
    deepStrictEqual(
      m.health.map((c) => `${c.name}: ${c.verdict}`),
      [
        "prometheus health: pass",
        "grafana health: pass",
        "alertmanager health: pass",
        "node-exporter health: pass",
        "app health: pass",
      ],
    );
    deepStrictEqual(
      m.window.map((c) => c.name),
      [
        "data freshness",
        "scrapes in window",
        "alerts",
        "request count",
        "error rate",
        "p95 latency",
        "canary vs stable",
      ],
    );
    deepStrictEqual(
      {
        atMs: m.atMs,
        errorRatePercent: m.errorRatePercent,
        latencyP95Ms: m.latencyP95Ms,
        shortErrorRatio: m.shortErrorRatio,
        shortLatencyP95Seconds: m.shortLatencyP95Seconds,
        lastScrapeMs: m.lastScrapeMs,
      },
      {
        atMs: 400_000,
        errorRatePercent: 0.2,
        latencyP95Ms: 120,
        shortErrorRatio: 0.004,
        shortLatencyP95Seconds: 0.2,
        lastScrapeMs: 398_000,
      },
    );
  });

  it("at 100 % leaves out canary vs stable (no stable traffic is left by design)", () => {
    const m = bakeMeasurementOf(SETTINGS, 100, 400_000, answers);
    deepStrictEqual(
      m.window.map((c) => c.name),
      [
        "data freshness",
        "scrapes in window",
        "alerts",
        "request count",
        "error rate",
        "p95 latency",
      ],
    );
  });

  it("omits every figure it cannot know", () => {
    const m = bakeMeasurementOf(SETTINGS, 25, 400_000, {
      health: HEALTHY,
      metrics: { ...metrics, errorRatio: EMPTY, latencyP95Seconds: EMPTY, scrapeAgeSeconds: EMPTY },
      shortErrors: EMPTY,
      shortLatency: { kind: "error", reason: "down" },
      activeAlerts: { kind: "alerts", alerts: [] },
    });
    deepStrictEqual(Object.keys(m).sort(), ["atMs", "health", "window"]);
  });
});
