/**
 * How `genesis replay` cuts a span into range queries (fetchTable), against a loopback
 * Prometheus stand-in that answers one series with a point at every step, reports peak
 * samples as a fixed number per instant when asked for its stats, and refuses a query whose
 * peak would pass 50 million samples, as Prometheus's `--query.max-samples` does.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { fetchTable, limiter, RangeClient } from "../../../cli/commands/replay";
import { replayGrid } from "../../../core/replay/instantTable";

const T0_MS = Date.parse("2026-03-02T00:00:00Z");
const MAX_SAMPLES = 50_000_000;

interface Seen {
  /** The instants asked for, as indexes of the grid: [first, last]. */
  readonly span: [number, number];
  /** Whether the query asked for stats. */
  readonly stats: boolean;
}

/**
 * A stand-in whose query holds `perInstant(t)` samples per instant at time t (the largest in
 * the range counts), optionally not reporting stats at all.
 */
async function standIn(
  perInstant: (tSeconds: number) => number,
  reportStats = true,
): Promise<{ url: string; seen: Seen[]; stop(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? "", "http://x").searchParams;
    const [start, end, step] = ["start", "end", "step"].map((k) =>
      Number.parseFloat(q.get(k) ?? ""),
    );
    const index = (t: number) => Math.round((t * 1000 - T0_MS) / (step * 1000));
    seen.push({ span: [index(start), index(end)], stats: q.get("stats") === "1" });
    const times: number[] = [];
    for (let t = start; t <= end; t += step) times.push(t);
    const peak = times.length * Math.max(...times.map(perInstant));
    if (peak > MAX_SAMPLES) {
      res.statusCode = 422;
      res.end(
        JSON.stringify({
          status: "error",
          errorType: "execution",
          error: "query processing would load too many samples into memory in query execution",
        }),
      );
      return;
    }
    res.end(
      JSON.stringify({
        status: "success",
        data: {
          resultType: "matrix",
          result: [{ metric: { variant: "canary" }, values: times.map((t) => [t, "1"]) }],
          ...(q.get("stats") === "1" && reportStats
            ? { stats: { samples: { totalQueryableSamples: peak, peakSamples: peak } } }
            : {}),
        },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Fetches `count` one-minute instants from T0 through the stand-in; what was sent, in order of the spans. */
async function fetchWith(
  perInstant: (tSeconds: number) => number,
  count: number,
  maxPoints?: number,
  reportStats = true,
) {
  const s = await standIn(perInstant, reportStats);
  try {
    const client: RangeClient = { prometheusUrl: s.url, retries: 0, limit: limiter(4), sent: [] };
    const grid = replayGrid(T0_MS, T0_MS + (count - 1) * 60_000, 60);
    const table = await fetchTable(client, "sum(x)", grid, maxPoints);
    const complete =
      table.errors.every((e) => e === undefined) &&
      table.series.length === 1 &&
      table.series[0].present.every((p) => p === 1);
    return {
      complete,
      first: s.seen[0],
      rest: s.seen
        .slice(1)
        .map((x) => x.span)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]),
      refused: client.sent.filter((x) => !x.answered).length,
    };
  } finally {
    await s.stop();
  }
}

describe("replay: fetchTable sizes its range queries from the span's last hour", () => {
  it("a week of the latency group at 10,000 series: the last hour, then two equal chunks", async () => {
    const out = await fetchWith(() => 7_600, 10_080);
    deepStrictEqual(out, {
      complete: true,
      first: { span: [10_020, 10_079], stats: true },
      rest: [
        [0, 5_009],
        [5_010, 10_019],
      ],
      refused: 0,
    });
  });

  it("a light query over a week: the last hour, then the rest as one query", async () => {
    const out = await fetchWith(() => 10, 10_080);
    deepStrictEqual([out.complete, out.rest, out.refused], [true, [[0, 10_019]], 0]);
  });

  it("a group capped at a day: the last hour, then days", async () => {
    const out = await fetchWith(() => 10, 10_080, 1_440);
    deepStrictEqual(
      [out.complete, out.rest.length, out.rest.every(([a, b]) => b - a + 1 <= 1_440)],
      [true, 7, true],
    );
  });

  it("no stats reported: sized by the answer alone, and a refusal is halved until it fits", async () => {
    const out = await fetchWith(() => 7_600, 10_080, undefined, false);
    deepStrictEqual(out, {
      complete: true,
      first: { span: [10_020, 10_079], stats: true },
      // 10,020 instants refused, then 5,010 each.
      rest: [
        [0, 5_009],
        [0, 10_019],
        [5_010, 10_019],
      ],
      refused: 1,
    });
  });

  it("heavier earlier than at the end: the chunk that passes the limit is halved", async () => {
    const endS = (T0_MS + 10_019 * 60_000) / 1000;
    const out = await fetchWith((t) => (t > endS ? 1_000 : 10_000), 10_080);
    strictEqual(out.complete, true);
    // Sized at 11,000 from the last hour, refused at 10,020 and 5,010, answered at 2,505.
    deepStrictEqual(
      out.rest.filter(([a, b]) => b - a + 1 === 2_505 || b - a + 1 === 2_506).length,
      4,
    );
    strictEqual(out.refused, 3);
  });

  it("even the last hour is refused: smaller chunks for the whole span", async () => {
    const out = await fetchWith(() => 1_000_000, 120);
    deepStrictEqual(out, {
      complete: true,
      first: { span: [60, 119], stats: true },
      rest: [
        [0, 29],
        [30, 59],
        [60, 89],
        [90, 119],
      ],
      refused: 1,
    });
  });
});

describe("replay: limiter", () => {
  it("runs at most n at once, and a freed slot goes to the highest priority waiting", async () => {
    const limit = limiter(2);
    let active = 0;
    let most = 0;
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const task = (name: string, priority: number) =>
      limit(async () => {
        started.push(name);
        active++;
        most = Math.max(most, active);
        await new Promise<void>((r) => releases.set(name, r));
        active--;
      }, priority);
    const all = [
      task("a", 1),
      task("b", 1),
      task("short", 360),
      task("long", 5_010),
      task("short too", 360),
    ];
    const settle = () => new Promise((r) => setImmediate(r));
    await settle();
    deepStrictEqual(started, ["a", "b"]);
    releases.get("a")?.();
    await settle();
    releases.get("b")?.();
    await settle();
    deepStrictEqual(started, ["a", "b", "long", "short"]);
    for (const name of ["long", "short"]) releases.get(name)?.();
    await settle();
    releases.get("short too")?.();
    await Promise.all(all);
    deepStrictEqual([started, most], [["a", "b", "long", "short", "short too"], 2]);
  });
});
