/**
 * The gate's I/O against loopback HTTP servers that misbehave on purpose: slow, failing
 * once, malformed, refused. Every one of them ends in an undecidable (error) outcome or a
 * bounded retry, never a pass.
 */
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { probeHttp, queryPrometheus } from "../../../components/gates/gateProbe";
import { freePort } from "../../support/processes";

async function serve(
  handler: http.RequestListener,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const OK_BODY = JSON.stringify({
  status: "success",
  data: { resultType: "vector", result: [{ metric: {}, value: [1, "1"] }] },
});

describe("gateProbe (loopback servers)", () => {
  it("asks for uncompressed answers and sends the query once, URL-encoded", async () => {
    const seen: { url?: string; encoding?: string }[] = [];
    const s = await serve((req, res) => {
      seen.push({ url: req.url, encoding: req.headers["accept-encoding"] });
      res.end(OK_BODY);
    });
    try {
      const out = await queryPrometheus(s.url, 'sum(up{job="a b"})', 3000, 0);
      strictEqual(out.kind, "samples");
      await probeHttp(`${s.url}/metrics?collect[]=time`, 3000, 0);
      deepStrictEqual(seen, [
        {
          url: "/api/v1/query?query=sum%28up%7Bjob%3D%22a+b%22%7D%29&timeout=3s",
          encoding: "identity",
        },
        { url: "/metrics?collect[]=time", encoding: "identity" },
      ]);
    } finally {
      await s.stop();
    }
  });

  it("a slow Prometheus is an error naming the timeout, after the bounded retries", async () => {
    let calls = 0;
    const s = await serve((_req, res) => {
      calls++;
      setTimeout(() => res.end(OK_BODY), 1000);
    });
    try {
      const started = Date.now();
      const out = await queryPrometheus(s.url, "up", 200, 1);
      strictEqual(out.kind, "error");
      match(
        (out as { reason: string }).reason,
        /^Prometheus unreachable at http:\/\/127\.0\.0\.1:\d+: no answer within 200 ms \(timeout of 200ms exceeded\) \(after 2 attempts\)$/,
      );
      strictEqual(calls, 2);
      strictEqual(Date.now() - started < 1000, true);
    } finally {
      await s.stop();
    }
  });

  it("retries a 503 and reads the answer that follows", async () => {
    let calls = 0;
    const s = await serve((_req, res) => {
      calls++;
      res.statusCode = calls === 1 ? 503 : 200;
      res.end(calls === 1 ? "busy" : OK_BODY);
    });
    try {
      const out = await queryPrometheus(s.url, "up", 1000, 2);
      deepStrictEqual([out.kind, calls], ["samples", 2]);
    } finally {
      await s.stop();
    }
  });

  it("does not retry a 400 and reports Prometheus's error envelope", async () => {
    let calls = 0;
    const s = await serve((_req, res) => {
      calls++;
      res.statusCode = 400;
      res.end(JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error" }));
    });
    try {
      const out = await queryPrometheus(s.url, "up(", 1000, 2);
      deepStrictEqual(
        [out, calls],
        [{ kind: "error", reason: "Prometheus error (HTTP 400) bad_data: parse error" }, 1],
      );
    } finally {
      await s.stop();
    }
  });

  it("a malformed answer is an error", async () => {
    const s = await serve((_req, res) => res.end("<html>gateway</html>"));
    try {
      deepStrictEqual(await queryPrometheus(s.url, "up", 1000, 0), {
        kind: "error",
        reason: 'malformed answer (HTTP 200): not a JSON object; got "<html>gateway</html>"',
      });
    } finally {
      await s.stop();
    }
  });

  it("a refused connection is a probe failure naming the address", async () => {
    const port = await freePort();
    const out = await probeHttp(`http://127.0.0.1:${port}/-/healthy`, 500, 0);
    deepStrictEqual(out, {
      kind: "failure",
      reason: `connect ECONNREFUSED 127.0.0.1:${port} (after 1 attempts)`,
    });
  });

  it("passes the query and a server-side timeout to /api/v1/query", async () => {
    let seen = "";
    const s = await serve((req, res) => {
      seen = req.url ?? "";
      res.end(OK_BODY);
    });
    try {
      await queryPrometheus(s.url, 'min(up{instance="a:1"})', 3000, 0);
      const u = new URL(seen, "http://x");
      deepStrictEqual(
        [u.pathname, u.searchParams.get("query"), u.searchParams.get("timeout")],
        ["/api/v1/query", 'min(up{instance="a:1"})', "3s"],
      );
    } finally {
      await s.stop();
    }
  });
});
