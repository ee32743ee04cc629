import { deepStrictEqual } from "node:assert/strict";
import {
  chooseScope,
  evaluateAlerts,
  evaluateCanaryMargin,
  evaluateErrorRate,
  evaluateFreshness,
  evaluateGate,
  evaluateHealth,
  evaluateLatencyP95,
  evaluateRequestCount,
  evaluateScrapesInWindow,
  evaluateStageLive,
  ErrorRateEvidence,
  HealthProbes,
  HttpProbe,
  MetricOutcomes,
  summarizeVerdict,
  TrafficScope,
} from "../../../core/gate/checks";
import { ActiveAlertsOutcome } from "../../../core/gate/gateAlerts";
import { QueryOutcome } from "../../../core/gate/prometheusResponse";
import { CheckResult, CheckVerdict } from "../../../core/gate/types";
import { SETTINGS, buckets, byVariant, scalar } from "./fixtures";

const ok200 = (body = ""): HttpProbe => ({ kind: "response", status: 200, body });
const EMPTY: QueryOutcome = { kind: "empty" };
const ERR: QueryOutcome = { kind: "error", reason: "Prometheus error (HTTP 422) execution: boom" };

/**
 * One row of a check's table. `got` evaluates inside the test, not when the table is
 * declared: a check evaluated at load time would be outside any test for Stryker, which
 * could then neither kill its mutants with this row nor test them without a restart.
 */
type Row = {
  name: string;
  got: () => CheckResult;
  verdict: CheckVerdict;
  reason: string;
  value?: string;
};
function table(rows: Row[]): void {
  for (const r of rows) {
    it(`${r.verdict}: ${r.name}`, () => {
      const got = r.got();
      deepStrictEqual(
        { verdict: got.verdict, reason: got.reason },
        { verdict: r.verdict, reason: r.reason },
      );
      if (r.value !== undefined) deepStrictEqual(got.value, r.value);
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
      got: () =>
        one({ prometheus: { kind: "failure", reason: "connect ECONNREFUSED 127.0.0.1:1" } })[0],
      verdict: "error",
      reason: "Prometheus /-/healthy unreachable: connect ECONNREFUSED 127.0.0.1:1",
      value: "unreachable",
    },
    {
      name: "Grafana database failing (503)",
      got: () =>
        one({ grafana: { kind: "response", status: 503, body: '{"database":"failing"}' } })[1],
      verdict: "fail",
      reason: 'Grafana /api/health answered HTTP 503 (database "failing")',
    },
    {
      name: "Grafana 200 with a failing database",
      got: () => one({ grafana: ok200('{"database":"failing"}') })[1],
      verdict: "fail",
      reason: 'Grafana /api/health reports database "failing"; expected "ok"',
    },
    {
      name: "Grafana body not JSON",
      got: () => one({ grafana: ok200("<html>") })[1],
      verdict: "fail",
      reason:
        'Grafana /api/health answered HTTP 200 with a body that is not JSON; expected {"database":"ok"}',
    },
    {
      name: "Alertmanager not ready",
      got: () => one({ alertmanager: { kind: "response", status: 503, body: "" } })[2],
      verdict: "fail",
      reason: "Alertmanager /-/ready answered HTTP 503; expected 200",
    },
    {
      name: "Node Exporter without its build info",
      got: () => one({ nodeExporter: ok200("up 1\n") })[3],
      verdict: "fail",
      reason:
        "Node Exporter /metrics?collect[]=time answered HTTP 200 without node_exporter_build_info in its metrics",
    },
    {
      name: "Node Exporter refusing the collector filter",
      got: () =>
        one({
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
      name: "Prometheus answering 200 with an HTML page (a proxy's login page)",
      got: () =>
        one({
          prometheus: ok200(
            '<!DOCTYPE html>\n<html lang="en"><head><title>Sign in</title></head><body><form action="/login" method="post">',
          ),
        })[0],
      verdict: "fail",
      reason:
        'Prometheus /-/healthy answered HTTP 200 without "Healthy" in its body: "<!DOCTYPE html> <html lang=\\"en\\"><head><title>Sign in</title></head><body><form a..."',
    },
    {
      name: "Prometheus 200 with an empty body",
      got: () => one({ prometheus: ok200("") })[0],
      verdict: "fail",
      reason:
        'Prometheus /-/healthy answered HTTP 200 without "Healthy" in its body: an empty body',
    },
    {
      name: "Prometheus not yet healthy",
      got: () =>
        one({ prometheus: { kind: "response", status: 503, body: "Service Unavailable" } })[0],
      verdict: "fail",
      reason: "Prometheus /-/healthy answered HTTP 503; expected 200",
    },
    {
      name: "Alertmanager 200 with an HTML page",
      got: () => one({ alertmanager: ok200("<html><body>It works!</body></html>") })[2],
      verdict: "fail",
      reason:
        'Alertmanager /-/ready answered HTTP 200 without "OK" at the start of its body: "<html><body>It works!</body></html>"',
    },
    {
      name: "Alertmanager OK with a trailing newline",
      got: () => one({ alertmanager: ok200("OK\n") })[2],
      verdict: "pass",
      reason: "Alertmanager /-/ready answered HTTP 200",
    },
    {
      name: "Grafana 200 with JSON null",
      got: () => one({ grafana: ok200("null") })[1],
      verdict: "fail",
      reason: 'Grafana /api/health reports no database field; expected "ok"',
    },
    {
      name: "app 204 without a body",
      got: () => one({ app: { kind: "response", status: 204, body: "" } })[4],
      verdict: "pass",
      reason: "application health URL answered HTTP 204",
    },
    {
      name: "app 200 with a plain-text body",
      got: () => one({ app: ok200("alive") })[4],
      verdict: "pass",
      reason: "application health URL answered HTTP 200",
    },
    {
      name: "app Spring Boot UP",
      got: () => one({ app: ok200('{"status":"UP","components":{}}') })[4],
      verdict: "pass",
      reason: "application health URL answered HTTP 200",
    },
    {
      name: "app health+json warn is not a failure",
      got: () => one({ app: ok200('{"status":"warn"}') })[4],
      verdict: "pass",
      reason: "application health URL answered HTTP 200",
    },
    {
      name: "app Spring Boot DOWN with 200",
      got: () => one({ app: ok200('{"status":"DOWN"}') })[4],
      verdict: "fail",
      reason:
        'application health URL answered HTTP 200 with status "DOWN": the application reports itself unhealthy',
    },
    {
      name: "app OUT_OF_SERVICE in any case",
      got: () => one({ app: ok200('{"status":"Out_Of_Service"}') })[4],
      verdict: "fail",
      reason:
        'application health URL answered HTTP 200 with status "Out_Of_Service": the application reports itself unhealthy',
    },
    {
      name: "app health+json fail",
      got: () => one({ app: ok200('{"status":"fail","output":"db down"}') })[4],
      verdict: "fail",
      reason:
        'application health URL answered HTTP 200 with status "fail": the application reports itself unhealthy',
    },
    ...["unhealthy", "failing", "error"].map((status): Row => ({
      name: `app status ${status}`,
      got: () => one({ app: ok200(JSON.stringify({ status })) })[4],
      verdict: "fail",
      reason: `application health URL answered HTTP 200 with status "${status}": the application reports itself unhealthy`,
    })),
    {
      name: "app 503",
      got: () => one({ app: { kind: "response", status: 503, body: '{"status":"UP"}' } })[4],
      verdict: "fail",
      reason: "application health URL answered HTTP 503; expected 2xx",
    },
    {
      name: "app redirect",
      got: () => one({ app: { kind: "response", status: 302, body: "" } })[4],
      verdict: "fail",
      reason: "application health URL answered HTTP 302; expected 2xx",
    },
    {
      name: "app timing out",
      got: () => one({ app: { kind: "failure", reason: "timeout of 2000ms exceeded" } })[4],
      verdict: "error",
      reason: "application health URL unreachable: timeout of 2000ms exceeded",
    },
    {
      name: "app HTTP 299 is still 2xx",
      got: () => one({ app: { kind: "response", status: 299, body: "" } })[4],
      verdict: "pass",
      reason: "application health URL answered HTTP 299",
    },
    {
      name: "app HTTP 101 is not 2xx",
      got: () => one({ app: { kind: "response", status: 101, body: "" } })[4],
      verdict: "fail",
      reason: "application health URL answered HTTP 101; expected 2xx",
    },
    {
      name: "Alertmanager OK at the start after blank lines, followed by more",
      got: () => one({ alertmanager: ok200("\n OK ready") })[2],
      verdict: "pass",
      reason: "Alertmanager /-/ready answered HTTP 200",
    },
    {
      name: "an unexpected body is quoted trimmed, its runs of white space as one space",
      got: () => one({ alertmanager: ok200("  <html>\n\n  <body>It   works</body>  ") })[2],
      verdict: "fail",
      reason:
        'Alertmanager /-/ready answered HTTP 200 without "OK" at the start of its body: "<html> <body>It works</body>"',
    },
    {
      name: "an unexpected body of 80 characters is quoted whole",
      got: () => one({ alertmanager: ok200("x".repeat(80)) })[2],
      verdict: "fail",
      reason: `Alertmanager /-/ready answered HTTP 200 without "OK" at the start of its body: "${"x".repeat(80)}"`,
    },
    {
      name: "an unexpected body of 81 characters is cut at 80",
      got: () => one({ alertmanager: ok200("y".repeat(81)) })[2],
      verdict: "fail",
      reason: `Alertmanager /-/ready answered HTTP 200 without "OK" at the start of its body: "${"y".repeat(80)}..."`,
    },
    {
      name: "Node Exporter 400 quotes the first line of its answer, trimmed",
      got: () =>
        one({
          nodeExporter: {
            kind: "response",
            status: 400,
            body: '  collector "time" not found  \nsecond line',
          },
        })[3],
      verdict: "fail",
      reason:
        'Node Exporter /metrics?collect[]=time answered HTTP 400 ("collector \\"time\\" not found"): the probe asks for the time collector, which must be enabled',
    },
    {
      name: "Node Exporter 400 quotes at most 200 characters",
      got: () => one({ nodeExporter: { kind: "response", status: 400, body: "z".repeat(250) } })[3],
      verdict: "fail",
      reason: `Node Exporter /metrics?collect[]=time answered HTTP 400 ("${"z".repeat(200)}"): the probe asks for the time collector, which must be enabled`,
    },
    {
      name: "Node Exporter answering 503 with its metrics",
      got: () =>
        one({
          nodeExporter: {
            kind: "response",
            status: 503,
            body: 'node_exporter_build_info{version="1.5.0"} 1\n',
          },
        })[3],
      verdict: "fail",
      reason: "Node Exporter /metrics?collect[]=time answered HTTP 503; expected 200",
    },
    {
      name: "Node Exporter's build info must start a line: another exporter's does not count",
      got: () => one({ nodeExporter: ok200('my_node_exporter_build_info{version="1"} 1\n') })[3],
      verdict: "fail",
      reason:
        "Node Exporter /metrics?collect[]=time answered HTTP 200 without node_exporter_build_info in its metrics",
    },
  ]);
});

describe("evaluateStageLive", () => {
  table([
    {
      name: "live shorter than the window says how long is left",
      got: () => evaluateStageLive(5, 0, 120_500, 300),
      verdict: "inconclusive",
      reason: "stage 5% live for 120 s < validation window 300 s; 180 s left",
      value: "120 s",
    },
    {
      name: "live time counts from when the stage went live",
      got: () => evaluateStageLive(5, 1_000_000, 1_120_500, 300),
      verdict: "inconclusive",
      reason: "stage 5% live for 120 s < validation window 300 s; 180 s left",
    },
    {
      name: "exactly the window",
      got: () => evaluateStageLive(5, 0, 300_000, 300),
      verdict: "pass",
      reason: "stage 5% live for 300 s >= validation window 300 s",
    },
    {
      name: "one millisecond short",
      got: () => evaluateStageLive(5, 0, 299_999, 300),
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
      got: () => rc(scalar(100)),
      verdict: "pass",
      reason: "requests 100 >= minimum 100 in the last 300 s",
    },
    {
      name: "below the minimum",
      got: () => rc(scalar(99.4)),
      verdict: "inconclusive",
      reason: "requests 99 < minimum 100 in the last 300 s: too little traffic to judge",
    },
    {
      name: "zero traffic",
      got: () => rc(scalar(0)),
      verdict: "inconclusive",
      reason: "requests 0 < minimum 100 in the last 300 s: too little traffic to judge",
    },
    {
      name: "no series",
      got: () => rc(EMPTY),
      verdict: "inconclusive",
      reason: "no request data in the last 300 s: the query returned no series",
    },
    {
      name: "just below the minimum shows the decimals that make it below",
      got: () => rc(scalar(99.6)),
      verdict: "inconclusive",
      reason: "requests 99.6 < minimum 100 in the last 300 s: too little traffic to judge",
      value: "99.6",
    },
    {
      name: "a hair below the minimum is rounded down at the cap",
      got: () => rc(scalar(99.9999)),
      verdict: "inconclusive",
      reason: "requests 99.99 < minimum 100 in the last 300 s: too little traffic to judge",
    },
    {
      name: "a fraction above the minimum",
      got: () => rc(scalar(100.4)),
      verdict: "pass",
      reason: "requests 100.4 >= minimum 100 in the last 300 s",
    },
    {
      name: "NaN",
      got: () => rc(scalar(NaN)),
      verdict: "error",
      reason:
        "Prometheus answered a request count of NaN: not a count (a finite number, 0 or more)",
    },
    {
      name: "+Inf",
      got: () => rc(scalar(Infinity)),
      verdict: "error",
      reason:
        "Prometheus answered a request count of +Inf: not a count (a finite number, 0 or more)",
    },
    {
      name: "negative",
      got: () => rc(byVariant({ stable: 10, canary: -150 }), "canary"),
      verdict: "error",
      reason:
        "Prometheus answered a canary request count of -150: not a count (a finite number, 0 or more)",
    },
    {
      name: "two canary series",
      got: () =>
        rc(
          {
            kind: "samples",
            samples: [
              { labels: { variant: "canary" }, value: 500, timestampSeconds: 1 },
              { labels: { variant: "stable" }, value: 1, timestampSeconds: 1 },
              { labels: { variant: "canary" }, value: 400, timestampSeconds: 1 },
            ],
          },
          "canary",
        ),
      verdict: "error",
      reason: "request count query failed: expected one canary series; got 2 (values 500, 400)",
    },
    {
      name: "query error",
      got: () => rc(ERR),
      verdict: "error",
      reason: "request count query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "canary's own traffic",
      got: () => rc(byVariant({ stable: 5000, canary: 40 }), "canary"),
      verdict: "inconclusive",
      reason: "canary requests 40 < minimum 100 in the last 300 s: too little traffic to judge",
    },
    {
      name: "several series for all traffic is ambiguous",
      got: () => rc(byVariant({ a: 1, b: 2 })),
      verdict: "error",
      reason:
        'request count query failed: expected one series for all traffic; got 2 (variants "a", "b")',
    },
    {
      name: 'several series for all traffic, one without a variant label (shown as "")',
      got: () => rc(byVariant({ "": 5, stable: 7 })),
      verdict: "error",
      reason:
        'request count query failed: expected one series for all traffic; got 2 (variants "", "stable")',
    },
  ]);
});

describe("chooseScope", () => {
  it("judges the canary when there is a canary series, else all traffic, unless variants without a canary hide it", () => {
    deepStrictEqual(
      [
        chooseScope(byVariant({ stable: 9, canary: 1 }), 5),
        chooseScope(scalar(10), 5),
        chooseScope({ kind: "empty" }, 5),
        chooseScope(byVariant({ stable: 10 }), 0),
        chooseScope(byVariant({ "": 1, stable: 2 }), 5),
      ],
      [
        "canary",
        "all",
        "all",
        "all",
        {
          reason: "metrics carry a variant label but no canary series while 5% is on the canary",
        },
      ],
    );
  });
});

describe("evaluateErrorRate", () => {
  const SEEN: Record<TrafficScope, ErrorRateEvidence> = {
    all: { requests: scalar(1200), statusLabelSeries: scalar(3), statusLabel: "code" },
    canary: {
      requests: byVariant({ stable: 5000, canary: 150 }),
      statusLabelSeries: byVariant({ stable: 3, canary: 2 }),
      statusLabel: "code",
    },
  };
  const er = (
    o: QueryOutcome,
    scope: TrafficScope = "all",
    evidence: Partial<ErrorRateEvidence> = {},
    thresholdPercent = 1,
  ) => evaluateErrorRate(o, scope, thresholdPercent, 300, { ...SEEN[scope], ...evidence });
  table([
    {
      name: "below",
      got: () => er(scalar(0.005)),
      verdict: "pass",
      reason: "error rate 0.50% < threshold 1.00%",
      value: "0.50%",
    },
    {
      name: "exactly at the threshold",
      got: () => er(scalar(0.01)),
      verdict: "fail",
      reason: "error rate 1.00% >= threshold 1.00%",
    },
    {
      name: "2% 5xx",
      got: () => er(scalar(0.02)),
      verdict: "fail",
      reason: "error rate 2.00% >= threshold 1.00%",
    },
    {
      name: "no 5xx at all",
      got: () => er(scalar(0)),
      verdict: "pass",
      reason: "error rate 0.00% < threshold 1.00%",
    },
    {
      name: "NaN (0/0) with no requests counted",
      got: () => er(scalar(NaN), "all", { requests: scalar(0) }),
      verdict: "inconclusive",
      reason: "error rate is NaN: no requests in the last 300 s",
    },
    {
      name: "NaN with no request series",
      got: () => er(scalar(NaN), "all", { requests: EMPTY }),
      verdict: "inconclusive",
      reason: "error rate is NaN: no requests in the last 300 s",
    },
    {
      name: "NaN although requests were counted",
      got: () => er(scalar(NaN)),
      verdict: "error",
      reason: "error rate is NaN although 1200 requests were counted in the last 300 s",
      value: "NaN",
    },
    {
      name: "canary NaN although canary requests were counted",
      got: () => er(byVariant({ stable: 0, canary: NaN }), "canary"),
      verdict: "error",
      reason:
        "canary error rate is NaN although 150 canary requests were counted in the last 300 s",
    },
    {
      name: "a negative ratio",
      got: () => er(scalar(-0.4)),
      verdict: "error",
      reason: "Prometheus answered an error ratio of -0.4: not a ratio (0 to 1)",
      value: "-0.4",
    },
    {
      name: "a ratio above 1",
      got: () => er(scalar(1.5)),
      verdict: "error",
      reason: "Prometheus answered an error ratio of 1.5: not a ratio (0 to 1)",
    },
    {
      name: "+Inf",
      got: () => er(scalar(Infinity)),
      verdict: "error",
      reason: "Prometheus answered an error ratio of +Inf: not a ratio (0 to 1)",
    },
    {
      name: "-Inf on the canary",
      got: () => er(byVariant({ stable: 0, canary: -Infinity }), "canary"),
      verdict: "error",
      reason: "Prometheus answered a canary error ratio of -Inf: not a ratio (0 to 1)",
    },
    {
      name: "every request an error",
      got: () => er(scalar(1)),
      verdict: "fail",
      reason: "error rate 100.00% >= threshold 1.00%",
    },
    {
      name: "a hair below the threshold reads below it",
      got: () => er(scalar(0.0099999)),
      verdict: "pass",
      reason: "error rate 0.9999% < threshold 1.00%",
      value: "0.9999%",
    },
    {
      name: "just below the threshold gets a third decimal",
      got: () => er(scalar(0.00999)),
      verdict: "pass",
      reason: "error rate 0.999% < threshold 1.00%",
    },
    {
      name: "a hair above the threshold reads above it",
      got: () => er(scalar(0.0100001)),
      verdict: "fail",
      reason: "error rate 1.0001% >= threshold 1.00%",
    },
    {
      name: "float noise at the threshold is the threshold (7% of 0.07)",
      got: () => er(scalar(0.07), "all", {}, 7),
      verdict: "fail",
      reason: "error rate 7.00% >= threshold 7.00%",
    },
    {
      name: "a threshold with three decimals is shown exactly",
      got: () => er(scalar(0.0012), "all", {}, 0.125),
      verdict: "pass",
      reason: "error rate 0.12% < threshold 0.125%",
    },
    {
      name: "requests counted but no series carries the status label: blind",
      got: () => er(scalar(0), "all", { statusLabelSeries: EMPTY }),
      verdict: "inconclusive",
      reason:
        'error rate cannot be judged: 1200 requests were counted but none of their series carries the status label "code", so 5xx answers are invisible; set genesis:appStatusLabel to the label that holds the HTTP status code',
      value: "blind",
    },
    {
      name: "requests counted and none of their series has the status label (a count of 0): blind",
      got: () => er(scalar(0), "all", { statusLabelSeries: scalar(0) }),
      verdict: "inconclusive",
      reason:
        'error rate cannot be judged: 1200 requests were counted but none of their series carries the status label "code", so 5xx answers are invisible; set genesis:appStatusLabel to the label that holds the HTTP status code',
    },
    {
      name: "the canary's series lack the status label (stable's have it)",
      got: () =>
        er(byVariant({ stable: 0, canary: 0 }), "canary", {
          statusLabelSeries: byVariant({ stable: 3 }),
          statusLabel: "status",
        }),
      verdict: "inconclusive",
      reason:
        'canary error rate cannot be judged: 150 canary requests were counted but none of their series carries the status label "status", so 5xx answers are invisible; set genesis:appStatusLabel to the label that holds the HTTP status code',
    },
    {
      name: "no status label and no requests: nothing to be blind to",
      got: () => er(scalar(NaN), "all", { requests: scalar(0), statusLabelSeries: EMPTY }),
      verdict: "inconclusive",
      reason: "error rate is NaN: no requests in the last 300 s",
    },
    {
      name: "status label count not finite",
      got: () => er(scalar(0), "all", { statusLabelSeries: scalar(NaN) }),
      verdict: "error",
      reason:
        "Prometheus answered a status-label series count of NaN: not a count (a finite number, 0 or more)",
    },
    {
      name: "status label query failed",
      got: () => er(scalar(0), "all", { statusLabelSeries: ERR }),
      verdict: "error",
      reason: "status label query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "no series",
      got: () => er(EMPTY),
      verdict: "inconclusive",
      reason: "no error rate in the last 300 s: the query returned no series",
    },
    {
      name: "error envelope",
      got: () => er(ERR),
      verdict: "error",
      reason: "error rate query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "canary judged on its own",
      got: () => er(byVariant({ stable: 0, canary: 0.03 }), "canary"),
      verdict: "fail",
      reason: "canary error rate 3.00% >= threshold 1.00%",
    },
    {
      name: "canary missing from a variant answer",
      got: () => er(byVariant({ stable: 0 }), "canary"),
      verdict: "inconclusive",
      reason: "no canary error rate in the last 300 s: the query returned no series",
    },
  ]);
});

const HIST_EDGES = { "0.25": 1150, "0.5": 1190, "+Inf": 1200 };

describe("evaluateLatencyP95", () => {
  // 1200 requests, 10 slower than 500 ms: 0.83 %.
  const HIST = buckets({ "": { "0.1": 900, "0.25": 1150, "0.5": 1190, "1": 1200, "+Inf": 1200 } });
  const p95 = (o: QueryOutcome, b: QueryOutcome = HIST, scope: TrafficScope = "all") =>
    evaluateLatencyP95(o, b, scope, 500, 300);
  table([
    {
      name: "fast",
      got: () => p95(scalar(0.1234)),
      verdict: "pass",
      reason:
        "P95 latency 123.4 ms < threshold 500 ms; 0.83% of requests slower than 500 ms (bucket le=0.5) <= 5%",
      value: "123.4 ms; 0.83% slower",
    },
    {
      name: "the issue's example",
      got: () => p95(scalar(0.48), buckets({ "": { "0.25": 500, "0.5": 969, "+Inf": 1000 } })),
      verdict: "pass",
      reason:
        "P95 latency 480 ms < threshold 500 ms; 3.10% of requests slower than 500 ms (bucket le=0.5) <= 5%",
    },
    {
      name: "a hair below the threshold reads below it",
      got: () => p95(scalar(0.49999)),
      verdict: "pass",
      reason:
        "P95 latency 499.99 ms < threshold 500 ms; 0.83% of requests slower than 500 ms (bucket le=0.5) <= 5%",
    },
    {
      name: "exactly at the bucket edge",
      got: () => p95(scalar(0.5)),
      verdict: "fail",
      reason:
        "P95 latency 500 ms >= threshold 500 ms; 0.83% of requests slower than 500 ms (bucket le=0.5) <= 5%",
    },
    {
      name: "slow",
      got: () => p95(scalar(0.95), buckets({ "": { "0.5": 600, "1": 1200, "+Inf": 1200 } })),
      verdict: "fail",
      reason:
        "P95 latency 950 ms >= threshold 500 ms; 50.00% of requests slower than 500 ms (bucket le=0.5) > 5%",
    },
    {
      name: "P95 below the threshold but more than 5% slower than it (the buckets disagree)",
      got: () => p95(scalar(0.48), buckets({ "": { "0.5": 1130, "+Inf": 1200 } })),
      verdict: "fail",
      reason:
        "P95 latency 480 ms < threshold 500 ms; 5.83% of requests slower than 500 ms (bucket le=0.5) > 5%",
    },
    {
      name: "exactly 5% slower is not more than 5% (float noise snapped)",
      got: () => p95(scalar(0.45), buckets({ "": { "0.5": 950, "+Inf": 1000 } })),
      verdict: "pass",
      reason:
        "P95 latency 450 ms < threshold 500 ms; 5.00% of requests slower than 500 ms (bucket le=0.5) <= 5%",
    },
    {
      name: "a hair more than 5% slower reads above 5%",
      got: () => p95(scalar(0.45), buckets({ "": { "0.5": 949999, "+Inf": 1000000 } })),
      verdict: "fail",
      reason:
        "P95 latency 450 ms < threshold 500 ms; 5.0001% of requests slower than 500 ms (bucket le=0.5) > 5%",
    },
    {
      name: "no edge at the threshold: the share above the edge below it, conservatively",
      got: () => p95(scalar(0.3), buckets({ "": { "0.25": 1150, "1": 1200, "+Inf": 1200 } })),
      verdict: "pass",
      reason:
        "P95 latency 300 ms < threshold 500 ms; 4.17% of requests slower than 250 ms (bucket le=0.25) <= 5%",
    },
    {
      name: "every request takes 2 s but the histogram stops at 0.25 s",
      got: () =>
        p95(scalar(0.25), buckets({ "": { "0.05": 0, "0.1": 0, "0.25": 0, "+Inf": 1200 } })),
      verdict: "inconclusive",
      reason:
        "the latency histogram cannot resolve 500 ms: its finite bucket edges are 0.05, 0.1, 0.25 s; export a bucket edge at 0.5 s",
      value: "unresolvable",
    },
    {
      name: "only the +Inf bucket",
      got: () => p95(scalar(0), buckets({ "": { "+Inf": 1200 } })),
      verdict: "inconclusive",
      reason:
        "the latency histogram cannot resolve 500 ms: it has no finite bucket edge; export a bucket edge at 0.5 s",
    },
    {
      name: "every finite edge above the threshold",
      got: () => p95(scalar(0.9), buckets({ "": { "1": 1150, "2.5": 1200, "+Inf": 1200 } })),
      verdict: "inconclusive",
      reason:
        "the latency histogram cannot resolve 500 ms: its finite bucket edges are 1, 2.5 s, none at or below 0.5 s; export a bucket edge at 0.5 s",
    },
    {
      name: "in the +Inf bucket",
      got: () => p95(scalar(Infinity)),
      verdict: "error",
      reason:
        "Prometheus answered a P95 latency of +Inf s: not a latency (a finite number of seconds, 0 or more)",
    },
    {
      name: "negative",
      got: () => p95(scalar(-0.2)),
      verdict: "error",
      reason:
        "Prometheus answered a P95 latency of -0.2 s: not a latency (a finite number of seconds, 0 or more)",
    },
    {
      name: "NaN over an empty histogram",
      got: () => p95(scalar(NaN), buckets({ "": { "0.5": 0, "+Inf": 0 } })),
      verdict: "inconclusive",
      reason: "P95 latency is NaN: no requests in the last 300 s",
      value: "NaN",
    },
    {
      name: "NaN although the histogram counted requests",
      got: () => p95(scalar(NaN)),
      verdict: "error",
      reason: "P95 latency is NaN although the histogram counted 1200 requests in the last 300 s",
      value: "NaN",
    },
    {
      name: "no histogram",
      got: () => p95(EMPTY),
      verdict: "inconclusive",
      reason: "no latency histogram in the last 300 s: the query returned no series",
    },
    {
      name: "no buckets",
      got: () => p95(scalar(0.1), EMPTY),
      verdict: "inconclusive",
      reason: "no latency buckets in the last 300 s: the query returned no series",
    },
    {
      name: "error",
      got: () => p95(ERR),
      verdict: "error",
      reason: "P95 latency query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "bucket query error",
      got: () => p95(scalar(0.1), ERR),
      verdict: "error",
      reason: "latency buckets query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "a negative bucket count",
      got: () => p95(scalar(0.1), buckets({ "": { "0.5": -1, "+Inf": 1200 } })),
      verdict: "error",
      reason:
        'Prometheus answered a bucket count of -1 for le="0.5": not a count (a finite number, 0 or more)',
    },
    {
      name: "a NaN bucket count",
      got: () => p95(scalar(0.1), buckets({ "": { "0.5": 1100, "+Inf": NaN } })),
      verdict: "error",
      reason:
        'Prometheus answered a bucket count of NaN for le="+Inf": not a count (a finite number, 0 or more)',
    },
    {
      name: "buckets that are not cumulative",
      got: () => p95(scalar(0.1), buckets({ "": { "0.25": 1200, "0.5": 1100, "+Inf": 1200 } })),
      verdict: "error",
      reason:
        'Prometheus answered 1200 requests at or below le="0.25" but 1100 at or below le="0.5": bucket counts must not fall as le rises',
    },
    {
      name: "no +Inf bucket",
      got: () => p95(scalar(0.1), buckets({ "": { "0.25": 1100, "0.5": 1200 } })),
      verdict: "error",
      reason:
        'the latency histogram has no le="+Inf" bucket (edges 0.25, 0.5 s): Prometheus answered an incomplete histogram',
    },
    {
      name: "one edge twice",
      got: () => p95(scalar(0.1), buckets({ "": { "0.5": 1100, "0.50": 1150, "+Inf": 1200 } })),
      verdict: "error",
      reason:
        'Prometheus answered two latency buckets at le="0.5" and le="0.50" (1100 and 1150 requests): one series per edge expected',
    },
    {
      name: "an le that is not a number",
      got: () => p95(scalar(0.1), buckets({ "": { fast: 1100, "+Inf": 1200 } })),
      verdict: "error",
      reason:
        'Prometheus answered a latency bucket with le="fast": not a bucket edge (a number or "+Inf")',
    },
    {
      name: "le in any decimal notation: exponent, leading dot, plus sign, several digits",
      got: () =>
        p95(
          scalar(0.1),
          buckets({ "": { "5e-2": 100, ".25": 1150, "+0.5": 1190, "10": 1200, "+Inf": 1200 } }),
        ),
      verdict: "pass",
      reason:
        "P95 latency 100 ms < threshold 500 ms; 0.83% of requests slower than 500 ms (bucket le=+0.5) <= 5%",
    },
    {
      name: "le with an unsigned or two-digit exponent",
      got: () =>
        p95(
          scalar(0.1),
          buckets({ "": { "2.5e-01": 1100, "5e-01": 1190, "1e0": 1200, "+Inf": 1200 } }),
        ),
      verdict: "pass",
      reason:
        "P95 latency 100 ms < threshold 500 ms; 0.83% of requests slower than 500 ms (bucket le=5e-01) <= 5%",
    },
    {
      name: "le=Inf is the +Inf bucket",
      got: () => p95(scalar(0.1), buckets({ "": { "0.25": 1150, "0.5": 1190, Inf: 1200 } })),
      verdict: "pass",
      reason:
        "P95 latency 100 ms < threshold 500 ms; 0.83% of requests slower than 500 ms (bucket le=0.5) <= 5%",
    },
    {
      name: "an le in hexadecimal is not a bucket edge",
      got: () => p95(scalar(0.1), buckets({ "": { "0.25": 1100, "0x10": 1150, "+Inf": 1200 } })),
      verdict: "error",
      reason:
        'Prometheus answered a latency bucket with le="0x10": not a bucket edge (a number or "+Inf")',
    },
    {
      name: "a P95 over a histogram that counted nothing",
      got: () => p95(scalar(0.1), buckets({ "": { "0.25": 0, "0.5": 0, "+Inf": 0 } })),
      verdict: "inconclusive",
      reason: "the latency histogram counted no requests in the last 300 s although P95 is 0.1 s",
      value: "no data",
    },
    {
      name: "a bucket without le",
      got: () =>
        p95(scalar(0.1), {
          kind: "samples",
          samples: [{ labels: {}, value: 1200, timestampSeconds: 1 }],
        }),
      verdict: "error",
      reason:
        'Prometheus answered a latency bucket with le=null: not a bucket edge (a number or "+Inf")',
    },
    {
      name: "the canary judged on its own buckets (stable's are broken and ignored)",
      got: () =>
        p95(
          byVariant({ stable: 0.1, canary: 0.2 }),
          buckets({
            canary: { "0.25": 140, "0.5": 150, "+Inf": 150 },
            stable: { "0.25": 900, "0.5": 800 },
          }),
          "canary",
        ),
      verdict: "pass",
      reason:
        "canary P95 latency 200 ms < threshold 500 ms; 0.00% of canary requests slower than 500 ms (bucket le=0.5) <= 5%",
    },
    {
      name: "the canary's buckets that cannot resolve the threshold",
      got: () =>
        p95(
          byVariant({ canary: 0.25 }),
          buckets({ canary: { "0.1": 0, "0.25": 0, "+Inf": 150 }, stable: HIST_EDGES }),
          "canary",
        ),
      verdict: "inconclusive",
      reason:
        "the canary latency histogram cannot resolve 500 ms: its finite bucket edges are 0.1, 0.25 s; export a bucket edge at 0.5 s",
    },
    {
      name: "no canary buckets",
      got: () => p95(byVariant({ canary: 0.1 }), buckets({ stable: HIST_EDGES }), "canary"),
      verdict: "inconclusive",
      reason: "no canary latency buckets in the last 300 s: the query returned no series",
    },
  ]);
});

describe("evaluateFreshness", () => {
  const fr = (up: QueryOutcome, age: QueryOutcome) => evaluateFreshness(up, age, "app:8080", 15);
  table([
    {
      name: "up and fresh",
      got: () => fr(scalar(1), scalar(3.2)),
      verdict: "pass",
      reason: 'target instance="app:8080" up, last scrape 3.2 s ago <= 2 scrape intervals (30 s)',
    },
    {
      name: "scraped this instant",
      got: () => fr(scalar(1), scalar(0)),
      verdict: "pass",
      reason: 'target instance="app:8080" up, last scrape 0.0 s ago <= 2 scrape intervals (30 s)',
    },
    {
      name: "exactly two intervals",
      got: () => fr(scalar(1), scalar(30)),
      verdict: "pass",
      reason: 'target instance="app:8080" up, last scrape 30.0 s ago <= 2 scrape intervals (30 s)',
    },
    {
      name: "stale",
      got: () => fr(scalar(1), scalar(30.5)),
      verdict: "inconclusive",
      reason:
        'last scrape of instance="app:8080" 30.5 s ago > 2 scrape intervals (30 s): data is stale',
    },
    {
      name: "down",
      got: () => fr(scalar(0), scalar(1)),
      verdict: "fail",
      reason: 'scrape target instance="app:8080" is down (up=0)',
    },
    {
      name: "no target",
      got: () => fr(EMPTY, EMPTY),
      verdict: "inconclusive",
      reason: 'Prometheus has no scrape target instance="app:8080" (up has no series)',
    },
    {
      name: "stale by a hair reads stale",
      got: () => fr(scalar(1), scalar(30.04)),
      verdict: "inconclusive",
      reason:
        'last scrape of instance="app:8080" 30.04 s ago > 2 scrape intervals (30 s): data is stale',
    },
    {
      name: "up neither 0 nor 1",
      got: () => fr(scalar(0.5), scalar(1)),
      verdict: "error",
      reason: 'Prometheus answered up=0.5 for instance="app:8080": not 0 or 1',
    },
    {
      name: "up NaN",
      got: () => fr(scalar(NaN), scalar(1)),
      verdict: "error",
      reason: 'Prometheus answered up=NaN for instance="app:8080": not 0 or 1',
    },
    {
      name: "two up series",
      got: () => fr(byVariant({ a: 1, b: 0 }), scalar(1)),
      verdict: "error",
      reason: "up query answered 2 series; expected one",
    },
    {
      name: "a scrape from the future",
      got: () => fr(scalar(1), scalar(-3)),
      verdict: "error",
      reason:
        'Prometheus answered a scrape age of -3 s for instance="app:8080": not an age (a finite number of seconds, 0 or more)',
    },
    {
      name: "an infinite scrape age",
      got: () => fr(scalar(1), scalar(Infinity)),
      verdict: "error",
      reason:
        'Prometheus answered a scrape age of +Inf s for instance="app:8080": not an age (a finite number of seconds, 0 or more)',
    },
    {
      name: "no scrape age",
      got: () => fr(scalar(1), EMPTY),
      verdict: "inconclusive",
      reason: 'Prometheus has no scrape target instance="app:8080" (scrape age has no series)',
    },
    {
      name: "query error",
      got: () => fr(scalar(1), ERR),
      verdict: "error",
      reason: "scrape age query failed: Prometheus error (HTTP 422) execution: boom",
    },
  ]);
});

describe("evaluateCanaryMargin", () => {
  const cm = (o: QueryOutcome, requests = byVariant({ stable: 5000, canary: 150 })) =>
    evaluateCanaryMargin(o, requests, 0.5);
  table([
    {
      name: "within the margin",
      got: () => cm(byVariant({ stable: 0.001, canary: 0.005 })),
      verdict: "pass",
      reason: "canary error rate 0.50% vs stable 0.10%: +0.40 points <= margin 0.50",
    },
    {
      name: "over the margin though under the threshold",
      got: () => cm(byVariant({ stable: 0.001, canary: 0.009 })),
      verdict: "fail",
      reason: "canary error rate 0.90% vs stable 0.10%: +0.80 points > margin 0.50",
    },
    {
      name: "canary better than stable",
      got: () => cm(byVariant({ stable: 0.004, canary: 0 })),
      verdict: "pass",
      reason: "canary error rate 0.00% vs stable 0.40%: -0.40 points <= margin 0.50",
    },
    {
      name: "exactly the margin (float noise snapped)",
      got: () => cm(byVariant({ stable: 0.001, canary: 0.006 })),
      verdict: "pass",
      reason: "canary error rate 0.60% vs stable 0.10%: +0.50 points <= margin 0.50",
    },
    {
      name: "a hair over the margin reads over it",
      got: () => cm(byVariant({ stable: 0.001, canary: 0.0060001 })),
      verdict: "fail",
      reason: "canary error rate 0.60% vs stable 0.10%: +0.5001 points > margin 0.50",
    },
    {
      name: "a negative stable ratio",
      got: () => cm(byVariant({ stable: -0.1, canary: 0 })),
      verdict: "error",
      reason: "Prometheus answered a stable error ratio of -0.1: not a ratio (0 to 1)",
    },
    {
      name: "a canary ratio above 1",
      got: () => cm(byVariant({ stable: 0, canary: 2 })),
      verdict: "error",
      reason: "Prometheus answered a canary error ratio of 2: not a ratio (0 to 1)",
    },
    {
      name: "an infinite stable ratio",
      got: () => cm(byVariant({ stable: Infinity, canary: 0 })),
      verdict: "error",
      reason: "Prometheus answered a stable error ratio of +Inf: not a ratio (0 to 1)",
    },
    {
      name: "stable NaN although stable requests were counted",
      got: () => cm(byVariant({ stable: NaN, canary: 0 })),
      verdict: "error",
      reason: "stable error rate is NaN although 5000 stable requests were counted",
      value: "error",
    },
    {
      name: "no stable traffic",
      got: () => cm(byVariant({ stable: NaN, canary: 0 }), byVariant({ stable: 0, canary: 150 })),
      verdict: "inconclusive",
      reason: "no stable error rate to compare the canary with",
      value: "no data",
    },
    {
      name: "no canary error rate",
      got: () => cm(byVariant({ stable: 0.001 }), byVariant({ stable: 5000 })),
      verdict: "inconclusive",
      reason: "no canary error rate to compare",
      value: "no data",
    },
    {
      name: "the same error rate on both: +0 points",
      got: () => cm(byVariant({ stable: 0.002, canary: 0.002 })),
      verdict: "pass",
      reason: "canary error rate 0.20% vs stable 0.20%: +0.00 points <= margin 0.50",
      value: "+0.00 points",
    },
    {
      name: "error rate query failed",
      got: () => cm(ERR),
      verdict: "error",
      reason: "error rate query failed: Prometheus error (HTTP 422) execution: boom",
    },
  ]);
});

/** A label-less answer per alert name: rule evaluations it fired at. */
function firedAlerts(byName: Record<string, number>): QueryOutcome {
  return {
    kind: "samples",
    samples: Object.entries(byName).map(([alertname, value]) => ({
      labels: { alertname },
      value,
      timestampSeconds: 1000,
    })),
  };
}
const NO_ALERTS: ActiveAlertsOutcome = { kind: "alerts", alerts: [] };

describe("evaluateScrapesInWindow", () => {
  // The decision at 2026-11-28T12:00:00Z; the window is 300 s.
  const nowMs = Date.parse("2026-11-28T12:00:00Z");
  const sw = (scrapes: QueryOutcome, failed: QueryOutcome, last: QueryOutcome = EMPTY) =>
    evaluateScrapesInWindow(scrapes, failed, last, "app:8080", 300, nowMs);
  const at = (iso: string) => scalar(Date.parse(iso) / 1000);
  table([
    {
      name: "every scrape answered",
      got: () => sw(scalar(21), scalar(0)),
      verdict: "pass",
      value: "0 of 21 failed",
      reason: 'target instance="app:8080" answered all 21 scrapes in the last 300 s',
    },
    {
      name: "a failure before the window, seen by the subquery's look-back, is not cited",
      got: () => sw(scalar(21), scalar(0), at("2026-11-28T11:54:50Z")),
      verdict: "pass",
      reason: 'target instance="app:8080" answered all 21 scrapes in the last 300 s',
    },
    {
      name: "a flapping target: 3 of 20 failed",
      got: () => sw(scalar(20), scalar(3), at("2026-11-28T11:58:45Z")),
      verdict: "fail",
      value: "3 of 20 failed",
      reason:
        'target instance="app:8080" failed 3 of 20 scrapes (up=0) in the last 300 s, the last at 2026-11-28T11:58:45.000Z (75 s ago)',
    },
    {
      name: "failed scrapes whose time the subquery did not see",
      got: () => sw(scalar(20), scalar(1)),
      verdict: "fail",
      reason:
        'target instance="app:8080" failed 1 of 20 scrapes (up=0) in the last 300 s, the last at an unknown time',
    },
    {
      name: "no scrape at all",
      got: () => sw(EMPTY, EMPTY),
      verdict: "inconclusive",
      value: "no data",
      reason:
        'Prometheus has no scrape of target instance="app:8080" in the last 300 s (up has no samples)',
    },
    {
      name: "query failed",
      got: () => sw(ERR, ERR, ERR),
      verdict: "error",
      reason: "scrape count query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "a fractional failure count (up neither 0 nor 1)",
      got: () => sw(scalar(20), scalar(0.5)),
      verdict: "error",
      reason:
        'Prometheus answered a failed scrape count of 0.5 for instance="app:8080": not a whole count (an integer, 0 or more)',
    },
    {
      name: "a NaN scrape count",
      got: () => sw(scalar(NaN), scalar(0)),
      verdict: "error",
      reason:
        'Prometheus answered a scrape count of NaN for instance="app:8080": not a whole count (an integer, 0 or more)',
    },
    {
      name: "more failures than scrapes",
      got: () => sw(scalar(2), scalar(3)),
      verdict: "error",
      reason:
        'Prometheus answered 3 failed scrapes of instance="app:8080" but only 2 scrapes in the last 300 s: failed scrapes cannot exceed scrapes',
    },
    {
      name: "the last failure an hour in the future",
      got: () => sw(scalar(20), scalar(1), at("2026-11-28T13:00:00Z")),
      verdict: "error",
      reason:
        'Prometheus answered a last failed scrape time of 1795870800 s for instance="app:8080": not a time in seconds since the epoch, not after the decision',
    },
    {
      name: "every scrape failed",
      got: () => sw(scalar(20), scalar(20), at("2026-11-28T11:59:45Z")),
      verdict: "fail",
      value: "20 of 20 failed",
      reason:
        'target instance="app:8080" failed 20 of 20 scrapes (up=0) in the last 300 s, the last at 2026-11-28T11:59:45.000Z (15 s ago)',
    },
    {
      name: "the failed-scrape query failed",
      got: () => sw(scalar(20), ERR),
      verdict: "error",
      reason: "failed scrape count query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "the last-failure query failed",
      got: () => sw(scalar(20), scalar(1), ERR),
      verdict: "error",
      reason: "last failed scrape query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "a last failure 30 s ahead of the decision (clock skew) is cited as just now",
      got: () => sw(scalar(20), scalar(1), at("2026-11-28T12:00:30Z")),
      verdict: "fail",
      reason:
        'target instance="app:8080" failed 1 of 20 scrapes (up=0) in the last 300 s, the last at 2026-11-28T12:00:30.000Z (0 s ago)',
    },
    {
      name: "a last failure exactly 60 s ahead is still within the clock skew allowed",
      got: () => sw(scalar(20), scalar(1), at("2026-11-28T12:01:00Z")),
      verdict: "fail",
      reason:
        'target instance="app:8080" failed 1 of 20 scrapes (up=0) in the last 300 s, the last at 2026-11-28T12:01:00.000Z (0 s ago)',
    },
    {
      name: "a last failure exactly one window ago is cited",
      got: () => sw(scalar(20), scalar(1), at("2026-11-28T11:55:00Z")),
      verdict: "fail",
      reason:
        'target instance="app:8080" failed 1 of 20 scrapes (up=0) in the last 300 s, the last at 2026-11-28T11:55:00.000Z (300 s ago)',
    },
    {
      name: "a last failure before the window is not cited",
      got: () => sw(scalar(20), scalar(1), at("2026-11-28T11:54:59Z")),
      verdict: "fail",
      reason:
        'target instance="app:8080" failed 1 of 20 scrapes (up=0) in the last 300 s, the last at an unknown time',
    },
  ]);
});

describe("evaluateAlerts", () => {
  const active = (...names: [string, string][]): ActiveAlertsOutcome => ({
    kind: "alerts",
    alerts: names.map(([name, startsAt]) => ({ name, startsAt })),
  });
  table([
    {
      name: "nothing firing, nothing fired",
      got: () => evaluateAlerts(NO_ALERTS, EMPTY, 300),
      verdict: "pass",
      value: "none",
      reason:
        "no Genesis alert firing in Alertmanager now and none fired in the last 300 s (Prometheus ALERTS)",
    },
    {
      name: "another system's alert in the same Alertmanager does not count",
      got: () => evaluateAlerts(active(["Watchdog", "2026-11-28T11:00:00Z"]), EMPTY, 300),
      verdict: "pass",
      reason:
        "no Genesis alert firing in Alertmanager now and none fired in the last 300 s (Prometheus ALERTS)",
    },
    {
      name: "an alert fired and resolved inside the window",
      got: () => evaluateAlerts(NO_ALERTS, firedAlerts({ GenesisLatencyP95High: 4 }), 300),
      verdict: "fail",
      value: "GenesisLatencyP95High",
      reason: "fired in the last 300 s: GenesisLatencyP95High (at 4 rule evaluations)",
    },
    {
      name: "one firing now, two label sets of it, the earliest start named",
      got: () =>
        evaluateAlerts(
          active(
            ["GenesisErrorRateHigh", "2026-11-28T11:58:00.000Z"],
            ["GenesisErrorRateHigh", "2026-11-28T11:57:00.000Z"],
          ),
          firedAlerts({ GenesisErrorRateHigh: 1 }),
          300,
        ),
      verdict: "fail",
      value: "GenesisErrorRateHigh",
      reason:
        "firing now in Alertmanager: GenesisErrorRateHigh (since 2026-11-28T11:57:00.000Z); fired in the last 300 s: GenesisErrorRateHigh (at 1 rule evaluation)",
    },
    {
      name: "several firing now and fired: each named once, sorted, with its earliest known start",
      got: () =>
        evaluateAlerts(
          active(
            ["GenesisLatencyP95High", "2026-11-28T11:58:00.000Z"],
            ["GenesisErrorRateHigh", "2026-11-28T11:59:00.000Z"],
            ["GenesisLatencyP95High", "2026-11-28T11:57:00.000Z"],
            ["GenesisLatencyP95High", "2026-11-28T11:59:30.000Z"],
            ["GenesisLatencyP95High", ""],
          ),
          firedAlerts({ GenesisLatencyP95High: 2, GenesisErrorRateSevere: 1 }),
          300,
        ),
      verdict: "fail",
      value: "GenesisErrorRateHigh, GenesisErrorRateSevere, GenesisLatencyP95High",
      reason:
        "firing now in Alertmanager: GenesisErrorRateHigh (since 2026-11-28T11:59:00.000Z), GenesisLatencyP95High (since 2026-11-28T11:57:00.000Z); fired in the last 300 s: GenesisErrorRateSevere (at 1 rule evaluation), GenesisLatencyP95High (at 2 rule evaluations)",
    },
    {
      name: "the monitoring stack's own alert blocks too",
      got: () => evaluateAlerts(active(["GenesisAlertmanagerUnreachable", ""]), EMPTY, 300),
      verdict: "fail",
      value: "GenesisAlertmanagerUnreachable",
      reason: "firing now in Alertmanager: GenesisAlertmanagerUnreachable",
    },
    {
      name: "Alertmanager unreadable",
      got: () =>
        evaluateAlerts(
          { kind: "error", reason: "Alertmanager /api/v2/alerts answered HTTP 503; expected 200" },
          EMPTY,
          300,
        ),
      verdict: "error",
      reason:
        "Alertmanager alerts could not be read: Alertmanager /api/v2/alerts answered HTTP 503; expected 200",
    },
    {
      name: "ALERTS query failed",
      got: () => evaluateAlerts(NO_ALERTS, ERR, 300),
      verdict: "error",
      reason: "ALERTS query failed: Prometheus error (HTTP 422) execution: boom",
    },
    {
      name: "an ALERTS series of another alert (the query filters them)",
      got: () => evaluateAlerts(NO_ALERTS, firedAlerts({ Watchdog: 3 }), 300),
      verdict: "error",
      reason:
        'Prometheus answered an ALERTS series with alertname="Watchdog": not one of the stack\'s alerts (GenesisErrorRateHigh, GenesisErrorRateSevere, GenesisLatencyP95High, GenesisHealthCheckFailing, GenesisMonitoringTargetDown, GenesisAlertmanagerNotificationsFailing, GenesisAlertmanagerUnreachable)',
    },
    {
      name: "a firing count of 0",
      got: () => evaluateAlerts(NO_ALERTS, firedAlerts({ GenesisErrorRateHigh: 0 }), 300),
      verdict: "error",
      reason:
        "Prometheus answered a GenesisErrorRateHigh firing evaluation count of 0: not a whole count of 1 or more",
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
  scrapesInWindow: scalar(21),
  failedScrapesInWindow: scalar(0),
  lastFailedScrapeSeconds: EMPTY,
  alertsFiredInWindow: EMPTY,
};

describe("evaluateGate", () => {
  const base = {
    settings: SETTINGS,
    fromPercentage: 5,
    liveSinceMs: 0,
    nowMs: 400_000,
    health: HEALTHY,
    activeAlerts: NO_ALERTS,
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
        "scrapes in window: pass",
        "alerts: pass",
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
        latencyBuckets: buckets({
          stable: HIST_EDGES,
          canary: { "0.25": 140, "0.5": 150, "+Inf": 150 },
        }),
        statusLabelSeries: byVariant({ stable: 3, canary: 3 }),
      },
    });
    deepStrictEqual(
      checks.slice(9).map((c) => [c.name, c.verdict, c.reason]),
      [
        ["request count", "pass", "canary requests 150 >= minimum 100 in the last 300 s"],
        ["error rate", "pass", "canary error rate 0.80% < threshold 1.00%"],
        [
          "p95 latency",
          "pass",
          "canary P95 latency 200 ms < threshold 500 ms; 0.00% of canary requests slower than 500 ms (bucket le=0.5) <= 5%",
        ],
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
    deepStrictEqual(checks[9], {
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
        latencyBuckets: buckets({ stable: HIST_EDGES }),
        statusLabelSeries: byVariant({ stable: 3 }),
      },
    });
    deepStrictEqual(summarizeVerdict(checks), "pass");
  });

  it("never passes a service whose every request takes 2 s behind a histogram ending at 0.25 s", () => {
    const checks = evaluateGate({
      ...base,
      metrics: {
        ...METRICS_ALL,
        latencyP95Seconds: scalar(0.25),
        latencyBuckets: buckets({ "": { "0.05": 0, "0.1": 0, "0.25": 0, "+Inf": 1200 } }),
      },
    });
    deepStrictEqual(checks[11].verdict, "inconclusive");
    deepStrictEqual(summarizeVerdict(checks), "inconclusive");
  });

  it("never passes when the request series lack the status label", () => {
    const checks = evaluateGate({
      ...base,
      metrics: { ...METRICS_ALL, errorRatio: scalar(0), statusLabelSeries: EMPTY },
    });
    deepStrictEqual(
      [checks[10].verdict, summarizeVerdict(checks)],
      ["inconclusive", "inconclusive"],
    );
  });

  it("never passes an out-of-domain answer", () => {
    for (const metrics of [
      { ...METRICS_ALL, errorRatio: scalar(-0.4) },
      { ...METRICS_ALL, requests: scalar(-1200) },
      { ...METRICS_ALL, up: scalar(2) },
      { ...METRICS_ALL, scrapeAgeSeconds: scalar(-1) },
      { ...METRICS_ALL, latencyP95Seconds: scalar(-0.1) },
      { ...METRICS_ALL, statusLabelSeries: scalar(Infinity) },
      { ...METRICS_ALL, latencyBuckets: buckets({ "": { "0.5": 1300, "+Inf": 1200 } }) },
      { ...METRICS_ALL, failedScrapesInWindow: scalar(-1) },
      { ...METRICS_ALL, scrapesInWindow: scalar(Infinity) },
      { ...METRICS_ALL, alertsFiredInWindow: firedAlerts({ GenesisErrorRateHigh: NaN }) },
    ]) {
      deepStrictEqual(summarizeVerdict(evaluateGate({ ...base, metrics })), "inconclusive");
    }
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
        scrapesInWindow: down,
        failedScrapesInWindow: down,
        lastFailedScrapeSeconds: down,
        alertsFiredInWindow: down,
      },
    });
    deepStrictEqual(summarizeVerdict(checks), "inconclusive");
    deepStrictEqual(checks.filter((c) => c.verdict === "error").length, 7);
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
