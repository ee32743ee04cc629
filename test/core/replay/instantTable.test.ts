import { deepStrictEqual } from "node:assert/strict";
import {
  chunkRange,
  halveChunk,
  planChunks,
  replayGrid,
  sliceAt,
  tabulate,
} from "../../../core/replay/instantTable";

const T0 = Date.parse("2026-03-03T00:00:00Z");
const S0 = T0 / 1000;
const GRID = replayGrid(T0, T0 + 5 * 60_000, 60);

describe("replayGrid, planChunks, halveChunk, chunkRange", () => {
  it("lays out the instants and splits them into range queries", () => {
    deepStrictEqual(GRID, { startMs: T0, stepSeconds: 60, count: 6 });
    deepStrictEqual(planChunks(GRID, 4), [
      { first: 0, last: 3 },
      { first: 4, last: 5 },
    ]);
    deepStrictEqual(planChunks(replayGrid(0, 10_079 * 60_000, 60)), [{ first: 0, last: 10_079 }]);
    deepStrictEqual(planChunks(replayGrid(0, 11_000 * 60_000, 60)), [
      { first: 0, last: 10_999 },
      { first: 11_000, last: 11_000 },
    ]);
    deepStrictEqual(halveChunk({ first: 0, last: 5 }), [
      { first: 0, last: 2 },
      { first: 3, last: 5 },
    ]);
    deepStrictEqual(halveChunk({ first: 4, last: 4 }), undefined);
    deepStrictEqual(chunkRange(GRID, { first: 2, last: 5 }), {
      startSeconds: S0 + 120,
      endSeconds: S0 + 300,
      stepSeconds: 60,
    });
  });
});

describe("tabulate and sliceAt", () => {
  const canary = { variant: "canary" };
  const stable = { variant: "stable" };

  it("answers at each instant what an instant query would have: the series with a point there", () => {
    const table = tabulate(GRID, [
      {
        chunk: { first: 0, last: 3 },
        outcome: {
          kind: "series",
          series: [
            {
              labels: canary,
              points: [0, 1, 3].map((i) => ({ timeSeconds: S0 + i * 60, value: i })),
            },
            { labels: stable, points: [{ timeSeconds: S0 + 60, value: Number.NaN }] },
          ],
        },
      },
      {
        chunk: { first: 4, last: 5 },
        outcome: {
          kind: "series",
          series: [
            { labels: { variant: "canary" }, points: [{ timeSeconds: S0 + 300, value: 5 }] },
          ],
        },
      },
    ]);
    const at = (i: number) => sliceAt(table, i);
    deepStrictEqual(at(0), {
      kind: "samples",
      samples: [{ labels: canary, value: 0, timestampSeconds: S0 }],
    });
    deepStrictEqual(at(1), {
      kind: "samples",
      samples: [
        { labels: canary, value: 1, timestampSeconds: S0 + 60 },
        { labels: stable, value: Number.NaN, timestampSeconds: S0 + 60 },
      ],
    });
    deepStrictEqual(at(2), { kind: "empty" });
    deepStrictEqual(at(4), { kind: "empty" });
    deepStrictEqual(at(5), {
      kind: "samples",
      samples: [{ labels: canary, value: 5, timestampSeconds: S0 + 300 }],
    });
  });

  it("makes a failed chunk, an uncovered instant and an off-grid point errors there, never skipped", () => {
    const table = tabulate(GRID, [
      {
        chunk: { first: 0, last: 1 },
        outcome: { kind: "error", reason: "Prometheus error (HTTP 422) execution: boom" },
      },
      {
        chunk: { first: 2, last: 3 },
        outcome: {
          kind: "series",
          series: [{ labels: canary, points: [{ timeSeconds: S0 + 150, value: 1 }] }],
        },
      },
    ]);
    deepStrictEqual(
      [0, 1, 2, 3, 4, 5].map((i) => sliceAt(table, i)),
      [
        { kind: "error", reason: "Prometheus error (HTTP 422) execution: boom" },
        { kind: "error", reason: "Prometheus error (HTTP 422) execution: boom" },
        ...[0, 1].map(() => ({
          kind: "error" as const,
          reason: `malformed answer: a point at ${S0 + 150} s is not an instant of the range ${S0 + 120} to ${S0 + 180} s every 60 s`,
        })),
        { kind: "error", reason: "no range query covered this instant" },
        { kind: "error", reason: "no range query covered this instant" },
      ],
    );
  });
});
