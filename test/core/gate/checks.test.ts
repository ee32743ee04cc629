import { deepStrictEqual } from "node:assert/strict";
import {
  evaluateCanaryMargin,
  evaluateErrorRate,
  evaluateFreshness,
  evaluateGate,
  evaluateHealth,
  evaluateLatencyP95,
  evaluateRequestCount,
  evaluateStageLive,
  HealthProbes,
  HttpProbe,
  MetricOutcomes,
  summarizeVerdict,
  TrafficScope,
} from "../../../core/gate/checks";
import { QueryOutcome } from "../../../core/gate/prometheusResponse";
import { CheckResult, CheckVerdict } from "../../../core/gate/types";
import { SETTINGS, buckets, byVariant, scalar } from "./fixtures";

const ok200 = (body = ""): HttpProbe => ({ kind: "response", status: 200, body });
const EMPTY: QueryOutcome = { kind: "empty" };
const ERR: QueryOutcome = { kind: "error", reason: "Prometheus error (HTTP 422) execution: boom" };

type Row = {
  name: string;
  got: CheckResult;
  verdict: CheckVerdict;
  reason: string;
  value?: string;
};
function table(rows: Row[]): void {
  for (const r of rows) {
    it(`${r.verdict}: ${r.name}`, () => {
      deepStrictEqual(
        { verdict: r.got.verdict, reason: r.got.reason },
        { verdict: r.verdict, reason: r.reason },
      );
      if (r.value !== undefined) deepStrictEqual(r.got.value, r.value);
    });
  }
}

const HEALTHY: HealthProbes = {
  prometheus: ok200("Prometheus Server is Healthy.\n"),
  grafana: ok200('{"database":"ok","version":"11.3.0","commit":"x"}'),
  alertmanager: ok200("OK"),
  nodeExporter: ok200('# HELP x\nnode_exporter_build_info{version="1.5.0"} 1\n'),
  app: ok200('{"status":"ok"}'),
};

describe("evaluateHealth", () => {
  it("passes 5/5 when every component answers as it should", () => {
    deepStrictEqual(
      evaluateHealth(HEALTHY).map((c) => [c.name, c.verdict, c.reason]),
      [
        ["prometheus health", "pass", "Prometheus /-/healthy answered HTTP 200"],
        ["grafana health", "pass", "Grafana /api/health answered HTTP 200"],
        ["alertmanager health", "pass", "Alertmanager /-/ready answered HTTP 200"],
        ["node-exporter health", "pass", "Node Exporter /metrics?collect[]=time answered HTTP 200"],
        ["app health", "pass", "application health URL answered HTTP 200"],
      ],
    );
  });
  const one = (probes: Partial<HealthProbes>) => evaluateHealth({ ...HEALTHY, ...probes });
  table([
    {
      name: "Prometheus unreachable is an error",
      got: one({ prometheus: { kind: "failure", reason: "connect ECONNREFUSED 127.0.0.1:1" } })[0],
      verdict: "error",
      reason: "Prometheus /-/healthy unreachable: connect ECONNREFUSED 127.0.0.1:1",
      value: "unreachable",
    },
    {
      name: "Grafana database failing (503)",
      got: one({ grafana: { kind: "response", status: 503, body: '{"database":"failing"}' } })[1],
      verdict: "fail",
      reason: 'Grafana /api/health answered HTTP 503 (database "failing")',
    },
    {
      name: "Grafana 200 with a failing database",
      got: one({ grafana: ok200('{"database":"failing"}') })[1],
      verdict: "fail",
      reason: 'Grafana /api/health reports database "failing"; expected "ok"',
    },
    {
      name: "Grafana body not JSON",
      got: one({ grafana: ok200("<html>") })[1],
      verdict: "fail",
      reason:
        'Grafana /api/health answered HTTP 200 with a body that is not JSON; expected {"database":"ok"}',
    },
    {
      name: "Alertmanager not ready",
      got: one({ alertmanager: { kind: "response", status: 503, body: "" } })[2],
      verdict: "fail",
      reason: "Alertmanager /-/ready answered HTTP 503; expected 200",
    },
    {
      name: "Node Exporter without its build info",
      got: one({ nodeExporter: ok200("up 1\n") })[3],
      verdict: "fail",
      reason:
        "Node Exporter /metrics?collect[]=time answered HTTP 200 without node_exporter_build_info in its metrics",
    },
    {
      name: "Node Exporter refusing the collector filter",
      got: one({
        nodeExporter: {
          kind: "response",
          status: 400,
          // Node Exporter's own words, started without the time collector.
          body: "Couldn't create filtered metrics handler: couldn't create collector: missing collector: time\n",
        },
      })[3],
      verdict: "fail",
      reason:
        "Node Exporter /metrics?collect[]=time answered HTTP 400 (\"Couldn't create filtered metrics handler: couldn't create collector: missing collector: time\"): the probe asks for the time collector, which must be enabled",
    },
    {
      name: "app timing out",
      got: one({ app: { kind: "failure", reason: "timeout of 2000ms exceeded" } })[4],
      verdict: "error",
      reason: "application health URL unreachable: timeout of 2000ms exceeded",
    },
  ]);
});

describe("evaluateStageLive", () => {
  table([
    {
      name: "live shorter than the window says how long is left",
      got: evaluateStageLive(5, 0, 120_500, 300),
      verdict: "inconclusive",
      reason: "stage 5% live for 120 s < validation window 300 s; 180 s left",
      value: "120 s",
    },
    {
      name: "exactly the window",
      got: evaluateStageLive(5, 0, 300_000, 300),
      verdict: "pass",
      reason: "stage 5% live for 300 s >= validation window 300 s",
    },
    {
      name: "one millisecond short",
      got: evaluateStageLive(5, 0, 299_999, 300),
      verdict: "inconclusive",
      reason: "stage 5% live for 299 s < validation window 300 s; 1 s left",
    },
  ]);
});

describe("evaluateRequestCount", () => {
  const rc = (o: QueryOutcome, scope: TrafficScope = "all") =>
    evaluateRequestCount(o, scope, 100, 300);
  table([
    {
      name: "at the minimum",
      got: rc(scalar(100)),
      verdict: "pass",
      reason: "requests 100 >= minimum 100 in the last 300 s",
    },
    {
      name: "below the minimum",
      got: rc(scalar(99.4)),
      verdict: "inconclusive",
      reason: "requests 99 < minimum 100 in the last 300 s: too little traffic to judge",
    },
    {
      name: "zero traffic",
      got: rc(scalar(0)),
      verdict: "inconclusive",
      reason: "requests 0 < minimum 100 in the last 300 s: too little traffic to judge",
    },
    {
      name: "no series",
      got: rc(EMPTY),
      verdict: "inconclusive",
      reason: "no request data in the last 300 s: the query returned no series",
    },
    { name: "NaN", got: rc(scalar(NaN)), verdict: "inconclusive", reason: "request count is NaN" },
    {
      name: "query error",
      got: rc(ERR),
      verdict: "error",
      reason: "request count query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "canary's own traffic",
      got: rc(byVariant({ stable: 5000, canary: 40 }), "canary"),
      verdict: "inconclusive",
      reason: "canary requests 40 < minimum 100 in the last 300 s: too little traffic to judge",
    },
    {
      name: "several series for all traffic is ambiguous",
      got: rc(byVariant({ a: 1, b: 2 })),
      verdict: "error",
      reason:
        'request count query failed: expected one series for all traffic; got 2 (variants "a", "b")',
    },
  ]);
});

describe("evaluateErrorRate", () => {
  const er = (o: QueryOutcome, scope: TrafficScope = "all") => evaluateErrorRate(o, scope, 1, 300);
  table([
    {
      name: "below",
      got: er(scalar(0.005)),
      verdict: "pass",
      reason: "error rate 0.50% < threshold 1.00%",
      value: "0.50%",
    },
    {
      name: "exactly at the threshold",
      got: er(scalar(0.01)),
      verdict: "fail",
      reason: "error rate 1.00% >= threshold 1.00%",
    },
    {
      name: "2% 5xx",
      got: er(scalar(0.02)),
      verdict: "fail",
      reason: "error rate 2.00% >= threshold 1.00%",
    },
    {
      name: "no 5xx at all",
      got: er(scalar(0)),
      verdict: "pass",
      reason: "error rate 0.00% < threshold 1.00%",
    },
    {
      name: "NaN (0/0)",
      got: er(scalar(NaN)),
      verdict: "inconclusive",
      reason: "error rate is NaN: no requests in the last 300 s",
    },
    {
      name: "no series",
      got: er(EMPTY),
      verdict: "inconclusive",
      reason: "no error rate in the last 300 s: the query returned no series",
    },
    {
      name: "error envelope",
      got: er(ERR),
      verdict: "error",
      reason: "error rate query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "canary judged on its own",
      got: er(byVariant({ stable: 0, canary: 0.03 }), "canary"),
      verdict: "fail",
      reason: "canary error rate 3.00% >= threshold 1.00%",
    },
    {
      name: "canary missing from a variant answer",
      got: er(byVariant({ stable: 0 }), "canary"),
      verdict: "inconclusive",
      reason: "no canary error rate in the last 300 s: the query returned no series",
    },
  ]);
});

describe("evaluateLatencyP95", () => {
  const p95 = (o: QueryOutcome) => evaluateLatencyP95(o, "all", 500, 300);
  table([
    {
      name: "fast",
      got: p95(scalar(0.1234)),
      verdict: "pass",
      reason: "P95 latency 123.4 ms < threshold 500 ms",
    },
    {
      name: "exactly at the bucket edge",
      got: p95(scalar(0.5)),
      verdict: "fail",
      reason: "P95 latency 500 ms >= threshold 500 ms",
    },
    {
      name: "slow",
      got: p95(scalar(0.95)),
      verdict: "fail",
      reason: "P95 latency 950 ms >= threshold 500 ms",
    },
    {
      name: "in the +Inf bucket",
      got: p95(scalar(Infinity)),
      verdict: "fail",
      reason: "P95 latency +Inf ms >= threshold 500 ms",
    },
    {
      name: "NaN",
      got: p95(scalar(NaN)),
      verdict: "inconclusive",
      reason: "P95 latency is NaN: no requests in the last 300 s",
    },
    {
      name: "no histogram",
      got: p95(EMPTY),
      verdict: "inconclusive",
      reason: "no latency histogram in the last 300 s: the query returned no series",
    },
    {
      name: "error",
      got: p95(ERR),
      verdict: "error",
      reason: "P95 latency query failed: Prometheus error (HTTP 422) execution: boom",
    },
  ]);
});

describe("evaluateFreshness", () => {
  const fr = (up: QueryOutcome, age: QueryOutcome) => evaluateFreshness(up, age, "app:8080", 15);
  table([
    {
      name: "up and fresh",
      got: fr(scalar(1), scalar(3.2)),
      verdict: "pass",
      reason: 'target instance="app:8080" up, last scrape 3.2 s ago <= 2 scrape intervals (30 s)',
    },
    {
      name: "exactly two intervals",
      got: fr(scalar(1), scalar(30)),
      verdict: "pass",
      reason: 'target instance="app:8080" up, last scrape 30.0 s ago <= 2 scrape intervals (30 s)',
    },
    {
      name: "stale",
      got: fr(scalar(1), scalar(30.5)),
      verdict: "inconclusive",
      reason:
        'last scrape of instance="app:8080" 30.5 s ago > 2 scrape intervals (30 s): data is stale',
    },
    {
      name: "down",
      got: fr(scalar(0), scalar(1)),
      verdict: "fail",
      reason: 'scrape target instance="app:8080" is down (up=0)',
    },
    {
      name: "no target",
      got: fr(EMPTY, EMPTY),
      verdict: "inconclusive",
      reason: 'Prometheus has no scrape target instance="app:8080" (up has no series)',
    },
    {
      name: "query error",
      got: fr(scalar(1), ERR),
      verdict: "error",
      reason: "scrape age query failed: Prometheus error (HTTP 422) execution: boom",
    },
  ]);
});

describe("evaluateCanaryMargin", () => {
  const cm = (o: QueryOutcome) => evaluateCanaryMargin(o, 0.5);
  table([
    {
      name: "within the margin",
      got: cm(byVariant({ stable: 0.001, canary: 0.005 })),
      verdict: "pass",
      reason: "canary error rate 0.50% vs stable 0.10%: +0.40 points <= margin 0.50",
    },
    {
      name: "over the margin though under the threshold",
      got: cm(byVariant({ stable: 0.001, canary: 0.009 })),
      verdict: "fail",
      reason: "canary error rate 0.90% vs stable 0.10%: +0.80 points > margin 0.50",
    },
    {
      name: "canary better than stable",
      got: cm(byVariant({ stable: 0.004, canary: 0 })),
      verdict: "pass",
      reason: "canary error rate 0.00% vs stable 0.40%: -0.40 points <= margin 0.50",
    },
    {
      name: "no stable traffic",
      got: cm(byVariant({ stable: NaN, canary: 0 })),
      verdict: "inconclusive",
      reason: "no stable error rate to compare the canary with",
    },
  ]);
});

const METRICS_ALL: MetricOutcomes = {
  requests: scalar(1200),
  errorRatio: scalar(0.002),
  latencyP95Seconds: scalar(0.12),
  latencyBuckets: buckets({ "": { "0.25": 1180, "0.5": 1200, "+Inf": 1200 } }),
  statusLabelSeries: scalar(3),
  up: scalar(1),
  scrapeAgeSeconds: scalar(2),
};

describe("evaluateGate", () => {
  const base = {
    settings: SETTINGS,
    fromPercentage: 5,
    liveSinceMs: 0,
    nowMs: 400_000,
    health: HEALTHY,
  };

  it("judges all traffic when the metrics carry no variant, and passes healthy data", () => {
    const checks = evaluateGate({ ...base, metrics: METRICS_ALL });
    deepStrictEqual(
      checks.map((c) => `${c.name}: ${c.verdict}`),
      [
        "prometheus health: pass",
        "grafana health: pass",
        "alertmanager health: pass",
        "node-exporter health: pass",
        "app health: pass",
        "stage live: pass",
        "data freshness: pass",
        "request count: pass",
        "error rate: pass",
        "p95 latency: pass",
      ],
    );
    deepStrictEqual(summarizeVerdict(checks), "pass");
  });

  it("judges the canary and compares it with stable when a canary variant exists", () => {
    const checks = evaluateGate({
      ...base,
      metrics: {
        ...METRICS_ALL,
        requests: byVariant({ stable: 2000, canary: 150 }),
        errorRatio: byVariant({ stable: 0, canary: 0.008 }),
        latencyP95Seconds: byVariant({ stable: 0.1, canary: 0.2 }),
      },
    });
    deepStrictEqual(
      checks.slice(7).map((c) => [c.name, c.verdict, c.reason]),
      [
        ["request count", "pass", "canary requests 150 >= minimum 100 in the last 300 s"],
        ["error rate", "pass", "canary error rate 0.80% < threshold 1.00%"],
        ["p95 latency", "pass", "canary P95 latency 200 ms < threshold 500 ms"],
        [
          "canary vs stable",
          "fail",
          "canary error rate 0.80% vs stable 0.00%: +0.80 points > margin 0.50",
        ],
      ],
    );
    deepStrictEqual(summarizeVerdict(checks), "fail");
  });

  it("refuses to judge stable traffic as the canary's when the canary series is missing", () => {
    const checks = evaluateGate({
      ...base,
      metrics: { ...METRICS_ALL, requests: byVariant({ stable: 2000 }) },
    });
    deepStrictEqual(checks[7], {
      name: "request count",
      value: "no data",
      threshold: "canary traffic",
      verdict: "inconclusive",
      reason: "metrics carry a variant label but no canary series while 5% is on the canary",
    });
    deepStrictEqual(summarizeVerdict(checks), "inconclusive");
  });

  it("at 0 % judges stable traffic as all traffic", () => {
    const checks = evaluateGate({
      ...base,
      fromPercentage: 0,
      metrics: {
        ...METRICS_ALL,
        requests: byVariant({ stable: 2000 }),
        errorRatio: byVariant({ stable: 0 }),
        latencyP95Seconds: byVariant({ stable: 0.1 }),
      },
    });
    deepStrictEqual(summarizeVerdict(checks), "pass");
  });

  it("is inconclusive, never pass, when Prometheus cannot be reached", () => {
    const down: QueryOutcome = { kind: "error", reason: "connect ECONNREFUSED 127.0.0.1:1" };
    const checks = evaluateGate({
      ...base,
      health: {
        ...HEALTHY,
        prometheus: { kind: "failure", reason: "connect ECONNREFUSED 127.0.0.1:1" },
      },
      metrics: {
        requests: down,
        errorRatio: down,
        latencyP95Seconds: down,
        latencyBuckets: down,
        statusLabelSeries: down,
        up: down,
        scrapeAgeSeconds: down,
      },
    });
    deepStrictEqual(summarizeVerdict(checks), "inconclusive");
    deepStrictEqual(checks.filter((c) => c.verdict === "error").length, 5);
  });
});

describe("summarizeVerdict", () => {
  const c = (verdict: CheckVerdict): CheckResult => ({
    name: "x",
    value: "",
    threshold: "",
    verdict,
    reason: "",
  });
  const rows: [CheckVerdict[], string][] = [
    [["pass", "pass"], "pass"],
    [["pass", "inconclusive"], "inconclusive"],
    [["pass", "error"], "inconclusive"],
    [["inconclusive", "fail"], "fail"],
    [[], "inconclusive"],
  ];
  for (const [verdicts, want] of rows) {
    it(`${verdicts.join(",") || "no checks"} -> ${want}`, () => {
      deepStrictEqual(summarizeVerdict(verdicts.map(c)), want);
    });
  }
});
