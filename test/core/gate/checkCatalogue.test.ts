import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  ALL_CHECKS,
  CHECKS,
  checkNames,
  checkSpec,
  isCheck,
  measuresRead,
} from "../../../core/gate/checkCatalogue";
import { evaluateGate, HealthProbes, MetricOutcomes } from "../../../core/gate/checks";
import { ALL_MEASURES } from "../../../core/gate/measureGroups";
import { buildGateQueries } from "../../../core/gate/promql";
import { QueryOutcome } from "../../../core/gate/prometheusResponse";
import { BREACH_CHECKS } from "../../../core/rollout/bakeLoop";
import { SETTINGS, buckets, byVariant, scalar } from "./fixtures";

const EMPTY: QueryOutcome = { kind: "empty" };
const ok = (body: string) => ({ kind: "response" as const, status: 200, body });
const HEALTHY: HealthProbes = {
  prometheus: ok("Prometheus Server is Healthy.\n"),
  grafana: ok('{"database":"ok"}'),
  alertmanager: ok("OK"),
  nodeExporter: ok('node_exporter_build_info{version="1.5.0"} 1\n'),
  app: ok('{"status":"ok"}'),
};
const NO_DATA: MetricOutcomes = {
  requests: EMPTY,
  errorRatio: EMPTY,
  latencyP95Seconds: EMPTY,
  latencyBuckets: EMPTY,
  statusLabelSeries: EMPTY,
  up: EMPTY,
  scrapeAgeSeconds: EMPTY,
  scrapesInWindow: EMPTY,
  failedScrapesInWindow: EMPTY,
  lastFailedScrapeSeconds: EMPTY,
  alertsFiredInWindow: EMPTY,
};
const CANARY: MetricOutcomes = {
  ...NO_DATA,
  requests: byVariant({ stable: 2000, canary: 150 }),
  errorRatio: byVariant({ stable: 0, canary: 0 }),
  latencyP95Seconds: byVariant({ stable: 0.1, canary: 0.1 }),
  latencyBuckets: buckets({
    stable: { "0.5": 2000, "+Inf": 2000 },
    canary: { "0.5": 150, "+Inf": 150 },
  }),
  statusLabelSeries: byVariant({ stable: 3, canary: 3 }),
  up: scalar(1),
  scrapeAgeSeconds: scalar(1),
};
const input = (metrics: MetricOutcomes) => ({
  settings: SETTINGS,
  fromPercentage: 5,
  liveSinceMs: 0,
  nowMs: 400_000,
  health: HEALTHY,
  metrics,
  activeAlerts: { kind: "alerts" as const, alerts: [] },
});

describe("the check catalogue", () => {
  it("names every check the gate produces, in the gate's order, and only those", () => {
    const names = evaluateGate(input(CANARY)).map((c) => c.name);
    deepStrictEqual(
      names,
      ALL_CHECKS.filter((c) => c.group !== "fast path").map((c) => c.name),
    );
    for (const n of names) strictEqual(checkSpec(n)?.name, n);
  });

  it("holds each name once", () => {
    const names = ALL_CHECKS.map((c) => c.name);
    deepStrictEqual(new Set(names).size, names.length);
  });

  it("gives each window check its verdict on no data", () => {
    const checks = evaluateGate(input(NO_DATA));
    const window = checks.filter((c) => checkSpec(c.name)?.group === "window");
    const judged = window.filter((c) => c.value === "no data");
    deepStrictEqual(
      judged.map((c) => c.name),
      ["data freshness", "scrapes in window", "request count", "error rate", "p95 latency"],
    );
    for (const c of judged) strictEqual(c.verdict, checkSpec(c.name)?.noData, c.name);
  });

  it("lists exactly the Prometheus measures the gate queries", () => {
    const queries = Object.keys(buildGateQueries(SETTINGS, 300)).sort();
    deepStrictEqual([...measuresRead()].sort(), queries);
    deepStrictEqual([...ALL_MEASURES].sort(), queries);
  });

  it("makes error rate, P95 latency and canary vs stable the bake's breaches", () => {
    deepStrictEqual(BREACH_CHECKS, ["error rate", "p95 latency", "canary vs stable"]);
  });

  it("answers by name and by group", () => {
    strictEqual(isCheck("stage live", "stageLive"), true);
    strictEqual(isCheck("stage live", "alerts"), false);
    strictEqual(checkSpec("no such check"), undefined);
    deepStrictEqual(checkNames("health"), [
      "prometheus health",
      "grafana health",
      "alertmanager health",
      "node-exporter health",
      "app health",
    ]);
    strictEqual(CHECKS.errorRate.threshold, "errorRateThresholdPercent");
  });
});
