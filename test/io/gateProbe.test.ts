/**
 * The gate's I/O against loopback HTTP servers that misbehave on purpose: slow, failing
 * once, malformed, refused, trickling, endless, silent, redirecting, asking for credentials.
 * Every one of them ends in an undecidable (error) outcome or a bounded retry, never a pass,
 * within its deadline, in bounded memory, and without a password in any reason.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import {
  collectHealth,
  HEALTH_ANSWER_CAP_BYTES,
  probeHttp,
  PROMETHEUS_ANSWER_CAP_BYTES,
  PROMETHEUS_RANGE_ANSWER_CAP_BYTES,
  queryPrometheus,
  queryPrometheusRange,
  startDecision,
} from "../../io/gateProbe";
import {
  MisbehavingServer,
  startCredentialsServer,
  startEndlessBodyServer,
  startRedirectLoopServer,
  startSilentServer,
  startSlowHeadersServer,
  startTrickleServer,
} from "../support/misbehavingServers";
import { freePort } from "../support/processes";

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

  it("a slow Prometheus is an error naming the request deadline, after the bounded retries", async () => {
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
        /^Prometheus unreachable at http:\/\/127\.0\.0\.1:\d+: no complete answer from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query within the request deadline of 200 ms \(after 2 attempts\)$/,
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
      reason: `connect ECONNREFUSED 127.0.0.1:${port} (after 1 attempt)`,
    });
  });

  it("a range query asks for Prometheus's stats only when told, and reports its peak samples", async () => {
    const seen: string[] = [];
    const s = await serve((req, res) => {
      seen.push(req.url ?? "");
      res.end(
        JSON.stringify({
          status: "success",
          data: {
            resultType: "matrix",
            result: [{ metric: {}, values: [[120, "1"]] }],
            stats: { samples: { totalQueryableSamples: 20, peakSamples: 29 } },
          },
        }),
      );
    });
    try {
      const plain = await queryPrometheusRange(s.url, "sum(up)", 60, 120, 60, 3000, 0);
      const sized = await queryPrometheusRange(s.url, "sum(up)", 60, 120, 60, 3000, 0, undefined, {
        stats: true,
      });
      const series = [{ labels: {}, points: [{ timeSeconds: 120, value: 1 }] }];
      deepStrictEqual(
        [plain, sized, seen.map((u) => new URL(u, "http://x").searchParams.get("stats"))],
        [{ kind: "series", series }, { kind: "series", series, peakSamples: 29 }, [null, "1"]],
      );
      const u = new URL(seen[0], "http://x");
      deepStrictEqual(
        [
          u.pathname,
          ...["query", "start", "end", "step", "timeout"].map((k) => u.searchParams.get(k)),
        ],
        ["/api/v1/query_range", "sum(up)", "60", "120", "60s", "3s"],
      );
    } finally {
      await s.stop();
    }
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

/** Runs `f` on a started server and stops the server whatever happens. */
async function withServer<T>(
  started: Promise<MisbehavingServer>,
  f: (s: MisbehavingServer) => Promise<T>,
): Promise<T> {
  const s = await started;
  try {
    return await f(s);
  } finally {
    await s.stop();
  }
}

/** Resolves to what `f` resolved to and how long it took, in milliseconds. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

describe("gateProbe: deadlines, size caps and redaction", () => {
  it("the caps are 4 MiB for an instant query, 32 MiB for a range query, 256 KiB for a health probe", () => {
    deepStrictEqual(
      [PROMETHEUS_ANSWER_CAP_BYTES, PROMETHEUS_RANGE_ANSWER_CAP_BYTES, HEALTH_ANSWER_CAP_BYTES],
      [4 * 1024 * 1024, 32 * 1024 * 1024, 256 * 1024],
    );
  });

  it("a 6 MiB answer is read whole from a range query and refused at the instant query's 4 MiB cap", async () => {
    // Two series of 160,000 points, 21 bytes each: `[1767225600,"0.125"],`.
    const points = Array.from({ length: 160_000 }, (_, i) => [1_767_225_600 + i * 60, "0.125"]);
    const body = JSON.stringify({
      status: "success",
      data: {
        resultType: "matrix",
        result: ["canary", "stable"].map((variant) => ({ metric: { variant }, values: points })),
      },
    });
    ok(body.length > 6 * 1024 * 1024 && body.length < 7 * 1024 * 1024, `${body.length} bytes`);
    const s = await serve((_req, res) => res.end(body));
    try {
      const range = await queryPrometheusRange(s.url, "up", 0, 60, 60, 20_000, 0);
      const instant = await queryPrometheus(s.url, "up", 20_000, 2);
      deepStrictEqual(
        [range.kind, range.kind === "series" ? range.series.map((x) => x.points.length) : []],
        ["series", [160_000, 160_000]],
      );
      deepStrictEqual(instant, {
        kind: "error",
        reason: `Prometheus unreachable at ${s.url}: answer larger than 4 MiB cap from ${s.url}/api/v1/query (after 1 attempt)`,
      });
    } finally {
      await s.stop();
    }
  });

  it("an endless range answer is an error naming the 32 MiB cap (not retried), memory bounded", () =>
    withServer(startEndlessBodyServer(), async (s) => {
      const before = process.memoryUsage().rss;
      const out = await queryPrometheusRange(s.url, "up", 0, 60, 60, 20_000, 2);
      const grownMiB = (process.memoryUsage().rss - before) / (1024 * 1024);
      deepStrictEqual(out, {
        kind: "error",
        reason: `Prometheus unreachable at ${s.url}: answer larger than 32 MiB cap from ${s.url}/api/v1/query_range (after 1 attempt)`,
      });
      // One answer read to the 32 MiB cap; without it, it would grow for the whole 20 s.
      ok(grownMiB < 160, `rss grew by ${grownMiB.toFixed(1)} MiB`);
      ok(s.bodyBytesSent() < 128 * 1024 * 1024, `the server sent ${s.bodyBytesSent()} bytes`);
      strictEqual(s.requests.length, 1, "an answer over the cap is not asked again");
    }));

  it("a trickling body (headers at once, a byte every 2 s) ends at the request deadline", () =>
    withServer(startTrickleServer(), async (s) => {
      const { value, ms } = await timed(() => probeHttp(`${s.url}/-/healthy`, 500, 0));
      deepStrictEqual(value, {
        kind: "failure",
        reason: `no complete answer from ${s.url}/-/healthy within the request deadline of 500 ms (after 1 attempt)`,
      });
      ok(ms >= 450 && ms < 900, `took ${ms} ms`);
    }));

  it("a silent server is retried, each attempt bounded by the request deadline", () =>
    withServer(startSilentServer(), async (s) => {
      const { value, ms } = await timed(() => probeHttp(`${s.url}/-/ready`, 400, 1));
      deepStrictEqual(value, {
        kind: "failure",
        reason: `no complete answer from ${s.url}/-/ready within the request deadline of 400 ms (after 2 attempts)`,
      });
      strictEqual(s.requests.length, 2);
      ok(ms < 400 + 200 + 400 + 300, `took ${ms} ms`);
    }));

  it("retries stop at the decision deadline, which cuts the last attempt and is named once", () =>
    withServer(startTrickleServer(), async (s) => {
      const { value, ms } = await timed(() =>
        probeHttp(`${s.url}/health`, 1000, 5, startDecision(1500)),
      );
      deepStrictEqual(value, {
        kind: "failure",
        reason: `no complete answer from ${s.url}/health before the decision deadline of 1500 ms ran out (after 2 of 6 attempts)`,
      });
      ok(ms >= 1450 && ms < 1500 + 300, `took ${ms} ms`);
    }));

  it("no retry starts when its back-off would end past the decision deadline", () =>
    withServer(startTrickleServer(), async (s) => {
      const { value, ms } = await timed(() =>
        probeHttp(`${s.url}/health`, 500, 3, startDecision(600)),
      );
      deepStrictEqual(value, {
        kind: "failure",
        reason: `no complete answer from ${s.url}/health within the request deadline of 500 ms (after 1 of 4 attempts: the decision deadline of 600 ms ran out)`,
      });
      ok(ms < 600 + 300, `took ${ms} ms`);
    }));

  it("one decision deadline aborts every probe still running", () =>
    withServer(startSilentServer(), async (s) => {
      const endpoints = {
        prometheusUrl: s.url,
        grafanaUrl: s.url,
        alertmanagerUrl: s.url,
        nodeExporterUrl: s.url,
        appHealthUrl: `${s.url}/health`,
      };
      const { value, ms } = await timed(() => collectHealth(endpoints, 5000, 2, 800));
      deepStrictEqual(
        Object.values(value).map((p) => (p as { reason?: string }).reason),
        ["/-/healthy", "/api/health", "/-/ready", "/metrics?collect[]=time", "/health"].map(
          (path) =>
            `no complete answer from ${s.url}${path} before the decision deadline of 800 ms ran out (after 1 of 3 attempts)`,
        ),
      );
      ok(ms < 800 + 300, `took ${ms} ms`);
    }));

  it("an endless body is an error at the cap (not retried), and memory stays bounded", () =>
    withServer(startEndlessBodyServer(), async (s) => {
      const before = process.memoryUsage().rss;
      const outs = await Promise.all(
        Array.from({ length: 4 }, () => queryPrometheus(s.url, "up", 20_000, 2)),
      );
      const probe = await probeHttp(`${s.url}/-/healthy`, 20_000, 0);
      const grownMiB = (process.memoryUsage().rss - before) / (1024 * 1024);
      for (const out of outs) {
        deepStrictEqual(out, {
          kind: "error",
          reason: `Prometheus unreachable at ${s.url}: answer larger than 4 MiB cap from ${s.url}/api/v1/query (after 1 attempt)`,
        });
      }
      deepStrictEqual(probe, {
        kind: "failure",
        reason: `answer larger than 256 KiB cap from ${s.url}/-/healthy (after 1 attempt)`,
      });
      // Four answers read to the 4 MiB cap at once; without the cap they would grow for the
      // whole 20 s deadline (gigabytes on loopback).
      ok(grownMiB < 96, `rss grew by ${grownMiB.toFixed(1)} MiB`);
      ok(s.bodyBytesSent() < 64 * 1024 * 1024, `the server sent ${s.bodyBytesSent()} bytes`);
      strictEqual(s.requests.length, 5, "an answer over the cap is not asked again");
    }));

  it("a redirect loop is not followed: one request, its 302 is the answer", () =>
    withServer(startRedirectLoopServer(), async (s) => {
      const probe = await probeHttp(`${s.url}/-/healthy`, 1000, 2);
      const query = await queryPrometheus(s.url, "up", 1000, 2);
      deepStrictEqual(
        [probe.kind, (probe as { status?: number }).status, query.kind, s.requests.length],
        ["response", 302, "error", 2],
      );
    }));

  it("slow headers: an error past the request deadline, the answer within it", () =>
    withServer(startSlowHeadersServer(800), async (s) => {
      const late = await probeHttp(`${s.url}/-/ready`, 300, 0);
      const inTime = await probeHttp(`${s.url}/-/ready`, 3000, 0);
      deepStrictEqual(
        [late, inTime],
        [
          {
            kind: "failure",
            reason: `no complete answer from ${s.url}/-/ready within the request deadline of 300 ms (after 1 attempt)`,
          },
          { kind: "response", status: 200, body: "OK" },
        ],
      );
    }));

  it("credentials in the URL are sent as basic auth (decoded) and never shown in a reason", async () => {
    const password = "p@ss:w0rd/secret";
    const encoded = encodeURIComponent(password);
    const s = await startCredentialsServer("gate", password, () => OK_BODY);
    const silent = await startSilentServer();
    try {
      const withAuth = (url: string, user = "gate", pw = encoded): string =>
        url.replace("http://", `http://${user}:${pw}@`);
      const good = await queryPrometheus(withAuth(s.url), "up", 2000, 0);
      const wrong = await probeHttp(withAuth(`${s.url}/-/healthy`, "gate", "nope"), 2000, 0);
      deepStrictEqual(
        [good.kind, wrong, s.authorizations],
        [
          "samples",
          { kind: "response", status: 401, body: "unauthorized" },
          [`gate:${password}`, "gate:nope"],
        ],
      );
      const port = await freePort();
      const reasons = [
        await queryPrometheus(withAuth(silent.url), "up", 300, 0),
        await probeHttp(withAuth(`${silent.url}/-/healthy`), 300, 0),
        await queryPrometheus(withAuth(`http://127.0.0.1:${port}`), "up", 300, 0),
        await probeHttp(withAuth(`http://127.0.0.1:${port}/x`, encoded, ""), 300, 0),
      ].map((o) => (o as { reason: string }).reason);
      deepStrictEqual(reasons, [
        `Prometheus unreachable at http://gate:***@127.0.0.1:${silent.port}: no complete answer from http://gate:***@127.0.0.1:${silent.port}/api/v1/query within the request deadline of 300 ms (after 1 attempt)`,
        `no complete answer from http://gate:***@127.0.0.1:${silent.port}/-/healthy within the request deadline of 300 ms (after 1 attempt)`,
        `Prometheus unreachable at http://gate:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (after 1 attempt)`,
        `connect ECONNREFUSED 127.0.0.1:${port} (after 1 attempt)`,
      ]);
      for (const r of reasons) {
        ok(!r.includes("w0rd") && !r.includes(encoded), r);
      }
    } finally {
      await s.stop();
      await silent.stop();
    }
  });
});
