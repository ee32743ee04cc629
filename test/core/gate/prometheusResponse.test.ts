import { deepStrictEqual } from "node:assert/strict";
import { parsePrometheusResponse, QueryOutcome } from "../../../core/gate/prometheusResponse";

const vector = (result: unknown) => ({ status: "success", data: { resultType: "vector", result } });

describe("parsePrometheusResponse", () => {
  const cases: { name: string; status: number; body: unknown; want: QueryOutcome }[] = [
    {
      name: "samples with labels and string values",
      status: 200,
      body: vector([{ metric: { variant: "canary" }, value: [1700000000.5, "0.25"] }]),
      want: {
        kind: "samples",
        samples: [{ labels: { variant: "canary" }, value: 0.25, timestampSeconds: 1700000000.5 }],
      },
    },
    {
      name: "NaN kept as a number for the evaluators",
      status: 200,
      body: vector([{ metric: {}, value: [1, "NaN"] }]),
      want: { kind: "samples", samples: [{ labels: {}, value: NaN, timestampSeconds: 1 }] },
    },
    {
      name: "+Inf",
      status: 200,
      body: vector([{ metric: {}, value: [1, "+Inf"] }]),
      want: { kind: "samples", samples: [{ labels: {}, value: Infinity, timestampSeconds: 1 }] },
    },
    { name: "empty result", status: 200, body: vector([]), want: { kind: "empty" } },
    {
      name: "error envelope bad_data",
      status: 400,
      body: { status: "error", errorType: "bad_data", error: "parse error at char 5" },
      want: {
        kind: "error",
        reason: "Prometheus error (HTTP 400) bad_data: parse error at char 5",
      },
    },
    {
      name: "error envelope timeout",
      status: 503,
      body: { status: "error", errorType: "timeout", error: "query timed out" },
      want: { kind: "error", reason: "Prometheus error (HTTP 503) timeout: query timed out" },
    },
    {
      name: "HTTP error without envelope",
      status: 502,
      body: { status: "success", data: { resultType: "vector", result: [] } },
      want: {
        kind: "error",
        reason:
          'HTTP 502 from Prometheus: {"status":"success","data":{"resultType":"vector","result":[]}}',
      },
    },
    {
      name: "a proxy's text answer as the HTTP error it is, first line only",
      status: 503,
      body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure\nmore",
      want: {
        kind: "error",
        reason:
          "HTTP 503 from Prometheus: upstream connect error or disconnect/reset before headers. reset reason: connection failure",
      },
    },
    {
      name: "a proxy's HTML page, first non-blank line",
      status: 502,
      body: "\r\n<html><head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>",
      want: {
        kind: "error",
        reason: "HTTP 502 from Prometheus: <html><head><title>502 Bad Gateway</title></head>",
      },
    },
    {
      name: "a long first line trimmed to 120 characters",
      status: 504,
      body: `  ${"x".repeat(200)}  `,
      want: { kind: "error", reason: `HTTP 504 from Prometheus: ${"x".repeat(117)}...` },
    },
    {
      name: "an empty HTTP error",
      status: 502,
      body: "",
      want: { kind: "error", reason: "HTTP 502 from Prometheus: an empty body" },
    },
    {
      name: "an error envelope on a 2xx answer is still an error envelope",
      status: 200,
      body: { status: "error", errorType: "execution", error: "boom" },
      want: { kind: "error", reason: "Prometheus error (HTTP 200) execution: boom" },
    },
    {
      name: "text body",
      status: 200,
      body: "<html>proxy</html>",
      want: {
        kind: "error",
        reason: 'malformed answer (HTTP 200): not a JSON object; got "<html>proxy</html>"',
      },
    },
    {
      name: "unknown status",
      status: 200,
      body: { status: "pending" },
      want: {
        kind: "error",
        reason: 'malformed answer: status must be "success" or "error"; got "pending"',
      },
    },
    {
      name: "matrix instead of vector",
      status: 200,
      body: { status: "success", data: { resultType: "matrix", result: [] } },
      want: {
        kind: "error",
        reason: 'malformed answer: resultType must be "vector"; got "matrix"',
      },
    },
    {
      name: "missing data",
      status: 200,
      body: { status: "success" },
      want: { kind: "error", reason: "malformed answer: data is missing" },
    },
    {
      name: "value not a string number",
      status: 200,
      body: vector([{ metric: {}, value: [1, "abc"] }]),
      want: {
        kind: "error",
        reason: 'malformed answer: result[0] value must be a number as text; got "abc"',
      },
    },
    {
      name: "value pair malformed",
      status: 200,
      body: vector([{ metric: {}, value: ["x"] }]),
      want: {
        kind: "error",
        reason: 'malformed answer: result[0].value must be [time, "value"]; got ["x"]',
      },
    },
    {
      name: "values in any decimal notation Prometheus writes",
      status: 200,
      body: vector(
        ["10", ".25", "-2.5e-10", "1E3", "1e+2", "7."].map((v, i) => ({
          metric: { i: String(i) },
          value: [1, v],
        })),
      ),
      want: {
        kind: "samples",
        samples: [10, 0.25, -2.5e-10, 1000, 100, 7].map((value, i) => ({
          labels: { i: String(i) },
          value,
          timestampSeconds: 1,
        })),
      },
    },
    {
      name: "a value with trailing text",
      status: 200,
      body: vector([{ metric: {}, value: [1, "0.5x"] }]),
      want: {
        kind: "error",
        reason: 'malformed answer: result[0] value must be a number as text; got "0.5x"',
      },
    },
    {
      name: "a value with leading text",
      status: 200,
      body: vector([{ metric: {}, value: [1, "x0.5"] }]),
      want: {
        kind: "error",
        reason: 'malformed answer: result[0] value must be a number as text; got "x0.5"',
      },
    },
    {
      name: "an error envelope without type or message",
      status: 500,
      body: { status: "error" },
      want: { kind: "error", reason: "Prometheus error (HTTP 500) unknown: " },
    },
    {
      name: "an HTTP error without a body",
      status: 502,
      body: undefined,
      want: { kind: "error", reason: "HTTP 502 from Prometheus: an empty body" },
    },
    {
      name: "an HTTP error whose first lines are blank",
      status: 502,
      body: "   \n\t\nBad Gateway\n",
      want: { kind: "error", reason: "HTTP 502 from Prometheus: Bad Gateway" },
    },
    {
      name: "a first line of exactly 120 characters is quoted whole",
      status: 504,
      body: "y".repeat(120),
      want: { kind: "error", reason: `HTTP 504 from Prometheus: ${"y".repeat(120)}` },
    },
    {
      name: "HTTP 299 is a success",
      status: 299,
      body: vector([{ metric: {}, value: [1, "1"] }]),
      want: { kind: "samples", samples: [{ labels: {}, value: 1, timestampSeconds: 1 }] },
    },
    {
      name: "HTTP 199 is not a success",
      status: 199,
      body: vector([]),
      want: {
        kind: "error",
        reason:
          'HTTP 199 from Prometheus: {"status":"success","data":{"resultType":"vector","result":[]}}',
      },
    },
    {
      name: "data null",
      status: 200,
      body: { status: "success", data: null },
      want: { kind: "error", reason: "malformed answer: data is missing" },
    },
    {
      name: "data not an object",
      status: 200,
      body: { status: "success", data: "vector" },
      want: { kind: "error", reason: "malformed answer: data is missing" },
    },
    {
      name: "a result that is not a list",
      status: 200,
      body: { status: "success", data: { resultType: "vector", result: {} } },
      want: { kind: "error", reason: "malformed answer: data.result is not a list" },
    },
    {
      name: "a value pair of three",
      status: 200,
      body: vector([{ metric: {}, value: [1, "2", 3] }]),
      want: {
        kind: "error",
        reason: 'malformed answer: result[0].value must be [time, "value"]; got [1,"2",3]',
      },
    },
    {
      name: "a value pair whose time is text",
      status: 200,
      body: vector([{ metric: {}, value: ["1", "2"] }]),
      want: {
        kind: "error",
        reason: 'malformed answer: result[0].value must be [time, "value"]; got ["1","2"]',
      },
    },
    {
      name: "a metric that is not an object",
      status: 200,
      body: vector([{ metric: "up", value: [1, "1"] }]),
      want: { kind: "error", reason: "malformed answer: result[0].metric is not an object" },
    },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      deepStrictEqual(parsePrometheusResponse(c.status, c.body), c.want);
    });
  }
});
