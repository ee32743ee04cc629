import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  chunkPoints,
  chunkRange,
  halveChunk,
  planChunks,
  readPeakSamples,
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
    deepStrictEqual(planChunks({ first: 0, last: 5 }, 4), [
      { first: 0, last: 2 },
      { first: 3, last: 5 },
    ]);
    deepStrictEqual(planChunks({ first: 0, last: 10_079 }), [{ first: 0, last: 10_079 }]);
    deepStrictEqual(planChunks({ first: 0, last: 11_000 }), [
      { first: 0, last: 5_500 },
      { first: 5_501, last: 11_000 },
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

describe("planChunks: as few chunks as fit, of equal size", () => {
  const cases: [string, { first: number; last: number }, number, [number, number][]][] = [
    ["fits whole", { first: 0, last: 9 }, 10, [[0, 9]]],
    [
      "7 into at most 3: 3, 2, 2",
      { first: 0, last: 6 },
      3,
      [
        [0, 2],
        [3, 4],
        [5, 6],
      ],
    ],
    [
      "a span not starting at 0",
      { first: 60, last: 99 },
      25,
      [
        [60, 79],
        [80, 99],
      ],
    ],
    [
      "a week less its last hour, at most 5,872",
      { first: 0, last: 10_019 },
      5_872,
      [
        [0, 5_009],
        [5_010, 10_019],
      ],
    ],
    [
      "a week by days",
      { first: 0, last: 10_019 },
      1_440,
      [
        [0, 1_431],
        [1_432, 2_863],
        [2_864, 4_295],
        [4_296, 5_726],
        [5_727, 7_157],
        [7_158, 8_588],
        [8_589, 10_019],
      ],
    ],
    ["nothing to cover", { first: 0, last: -1 }, 10, []],
  ];
  for (const [name, span, maxPoints, expected] of cases) {
    it(name, () => {
      deepStrictEqual(
        planChunks(span, maxPoints),
        expected.map(([first, last]) => ({ first, last })),
      );
    });
  }
});

describe("chunkPoints and readPeakSamples: sizing chunks from the first answer", () => {
  const LIMITS = { answerBytes: 16 * 1024 * 1024, bytesPerPoint: 40, peakSamples: 40_000_000 };
  const cases: [string, Parameters<typeof chunkPoints>[0], number][] = [
    // bench:replay's latency group at 10,000 series: 459,792 peak samples for an hour.
    ["Prometheus's samples bound it", { points: 60, series: 26, peakSamples: 459_792 }, 5_219],
    ["the answer's size bounds it", { points: 60, series: 1_000, peakSamples: 600 }, 419],
    ["at most 11,000 points", { points: 60, series: 26, peakSamples: 60_000 }, 11_000],
    ["no stats: size and 11,000 only", { points: 60, series: 26 }, 11_000],
    ["no series answered: as one", { points: 60, series: 0, peakSamples: 0 }, 11_000],
    ["at least one instant", { points: 1, series: 1, peakSamples: 90_000_000 }, 1],
  ];
  for (const [name, sizing, expected] of cases) {
    it(name, () => {
      strictEqual(chunkPoints(sizing, LIMITS), expected);
    });
  }

  it("reads peakSamples from an answer's stats, or nothing", () => {
    const withStats = (samples: unknown) => ({
      status: "success",
      data: { resultType: "matrix", result: [], stats: { timings: {}, samples } },
    });
    deepStrictEqual(
      [
        withStats({ totalQueryableSamples: 20, peakSamples: 29 }),
        withStats({ totalQueryableSamples: 20 }),
        withStats({ peakSamples: "29" }),
        { status: "success", data: { resultType: "matrix", result: [] } },
        null,
        "text",
      ].map(readPeakSamples),
      [29, undefined, undefined, undefined, undefined, undefined],
    );
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

  it("keeps nothing of a chunk whose later series is malformed", () => {
    const table = tabulate(GRID, [
      {
        chunk: { first: 0, last: 5 },
        outcome: {
          kind: "series",
          series: [
            { labels: canary, points: [{ timeSeconds: S0, value: 1 }] },
            { labels: stable, points: [{ timeSeconds: S0 + 360, value: 2 }] },
          ],
        },
      },
    ]);
    deepStrictEqual(
      [sliceAt(table, 0), table.series.map((s) => [...s.present].reduce((a, b) => a + b, 0))],
      [
        {
          kind: "error",
          reason: `malformed answer: a point at ${S0 + 360} s is not an instant of the range ${S0} to ${S0 + 300} s every 60 s`,
        },
        [0, 0],
      ],
    );
  });
});
