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
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      deepStrictEqual(parsePrometheusResponse(c.status, c.body), c.want);
    });
  }
});
