import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import * as fc from "fast-check";
import {
  CHART_LAYOUT,
  ChartSpec,
  labelWidth,
  niceAxis,
  renderChart,
  timeAxis,
  timeLabel,
} from "../../../core/report/chart";
import { frameOf, seriesPoints, shapes } from "./svgShapes";

const T = Date.parse("2026-03-02T10:00:00Z");
const MIN = 60_000;

/** The plot frame of CHART_LAYOUT: x 64..704, y 40..214. */
const FRAME = { left: 64, top: 40, right: 704, bottom: 214 };

const spec = (over: Partial<ChartSpec> = {}): ChartSpec => ({
  title: "P95 latency (ms)",
  unit: "ms",
  points: [0, 10, 20, 30, 40, 50, 60].map((m) => ({
    atMs: T + m * MIN,
    value: m === 40 ? 960 : 150 + m,
  })),
  thresholds: [{ value: 500, label: "threshold 500 ms", kind: "limit" }],
  stageChanges: [
    { atMs: T + 15 * MIN, from: 5, to: 10, rollback: false },
    { atMs: T + 30 * MIN, from: 10, to: 25, rollback: false },
    { atMs: T + 45 * MIN, from: 25, to: 10, rollback: true },
  ],
  fromMs: T,
  toMs: T + 60 * MIN,
  ...over,
});

/** The vertical extent [top, bottom] of a text label at baseline `y` (more than its glyphs'). */
const textBox = (y: number): [number, number] => [y - CHART_LAYOUT.fontSize + 1, y + 3];

describe("charts: axes", () => {
  it("niceAxis: round ticks from 0 that hold the maximum (the same as d3-scale's nice().ticks(5))", () => {
    const table: [number, number, number[], number][] = [
      [960, 1000, [0, 200, 400, 600, 800, 1000], 0],
      [875, 1000, [0, 200, 400, 600, 800, 1000], 0],
      [500, 500, [0, 100, 200, 300, 400, 500], 0],
      [600, 600, [0, 100, 200, 300, 400, 500, 600], 0],
      [101, 120, [0, 20, 40, 60, 80, 100, 120], 0],
      [1234, 1400, [0, 200, 400, 600, 800, 1000, 1200, 1400], 0],
      [45, 50, [0, 10, 20, 30, 40, 50], 0],
      [7, 7, [0, 1, 2, 3, 4, 5, 6, 7], 0],
      [3, 3, [0, 0.5, 1, 1.5, 2, 2.5, 3], 1],
      [1.2, 1.2, [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2], 1],
      [0.7, 0.7, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], 1],
      [0.3, 0.3, [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3], 2],
      [0.0123, 0.014, [0, 0.002, 0.004, 0.006, 0.008, 0.01, 0.012, 0.014], 3],
      [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1], 1],
      [Number.NaN, 1, [0, 0.2, 0.4, 0.6, 0.8, 1], 1],
    ];
    deepStrictEqual(
      table.map(([v]) => {
        const a = niceAxis(v);
        return [v, a.max, a.ticks, a.decimals];
      }),
      table,
    );
    strictEqual(niceAxis(960).step, 200);
    deepStrictEqual(niceAxis(100, 2).ticks, [0, 50, 100]);
  });

  it("timeAxis: round UTC ticks, at most six, labelled HH:MM (HH:MM:SS under a minute)", () => {
    const table: [number, number, number, number[]][] = [
      [T, T + 60 * MIN, 15 * MIN, [0, 15, 30, 45, 60].map((m) => T + m * MIN)],
      [T + 7 * MIN, T + 62 * MIN, 10 * MIN, [10, 20, 30, 40, 50, 60].map((m) => T + m * MIN)],
      [T, T + 3 * MIN, MIN, [0, 1, 2, 3].map((m) => T + m * MIN)],
      [T + 1000, T + 50_000, 10_000, [10, 20, 30, 40, 50].map((s) => T + s * 1000)],
      [T, T + 24 * 60 * MIN, 6 * 60 * MIN, [2, 8, 14, 20].map((h) => T + h * 60 * MIN)],
    ];
    deepStrictEqual(
      table.map(([from, to]) => {
        const a = timeAxis(from, to);
        return [from, to, a.stepMs, a.ticks];
      }),
      table,
    );
    deepStrictEqual(
      [timeLabel(T + 90_000, 10_000), timeLabel(T + 90_000, 15 * MIN)],
      ["10:01:30", "10:01"],
    );
  });
});

describe("charts: geometry", () => {
  it("fits the axis to the data: a 960 ms P95 is drawn at 960 ms, inside the frame, on a 0..1000 ms axis", () => {
    const svg = renderChart(spec());
    deepStrictEqual(frameOf(svg), FRAME);
    deepStrictEqual(
      shapes(svg, "tick").map((t) => t.text),
      ["0 ms", "200 ms", "400 ms", "600 ms", "800 ms", "1000 ms"],
    );
    // x: 640 px for 60 min; y: 174 px for 1000 ms from y = 214.
    deepStrictEqual(seriesPoints(svg), [
      [64, 214 - 0.15 * 174],
      [170.7, 214 - 0.16 * 174],
      [277.3, 214 - 0.17 * 174],
      [384, 214 - 0.18 * 174],
      [490.7, 47],
      [597.3, 214 - 0.2 * 174],
      [704, 214 - 0.21 * 174],
    ].map(([x, y]) => [Number(x.toFixed(1)), Number(y.toFixed(1))]));
    for (const [x, y] of seriesPoints(svg)) {
      ok(x >= FRAME.left && x <= FRAME.right && y >= FRAME.top && y <= FRAME.bottom, `${x},${y}`);
    }
  });

  it("draws each stage change at its time, labelled with the new percentage above the frame", () => {
    const svg = renderChart(spec());
    deepStrictEqual(
      shapes(svg, "stage-change").map((l) => [l.num("x1"), l.num("x2"), l.num("y1"), l.num("y2"), l.attrs["data-to"]]),
      [
        [224, 224, 40, 214, "10"],
        [384, 384, 40, 214, "25"],
        [544, 544, 40, 214, "10"],
      ],
    );
    deepStrictEqual(
      shapes(svg, "stage-label").map((t) => [t.num("x"), t.num("y"), t.text]),
      [
        [227, 34, "10%"],
        [387, 34, "25%"],
        [547, 34, "10% rollback"],
      ],
    );
    // The stage live at the start (the first change's "from") is labelled at the left.
    deepStrictEqual(
      shapes(svg, "stage-start").map((t) => [t.num("x"), t.text]),
      [[64, "5%"]],
    );
    for (const t of shapes(svg, "stage-label")) ok(textBox(t.num("y"))[1] <= FRAME.top);
  });

  it("puts close stage labels on two rows so that they never overlap", () => {
    const svg = renderChart(
      spec({
        stageChanges: [
          { atMs: T + 10 * MIN, from: 0, to: 5, rollback: false },
          { atMs: T + 11 * MIN, from: 5, to: 10, rollback: false },
          { atMs: T + 12 * MIN, from: 10, to: 25, rollback: false },
          { atMs: T + 13 * MIN, from: 25, to: 10, rollback: true },
        ],
      }),
    );
    const labels = shapes(svg, "stage-label").map((t) => ({
      x0: t.num("x"),
      x1: t.num("x") + labelWidth(t.text),
      y: t.num("y"),
    }));
    deepStrictEqual(
      labels.map((l) => l.y),
      [34, 20, 34, 20],
    );
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) {
        ok(a.y !== b.y || a.x1 <= b.x0 || b.x1 <= a.x0, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`);
      }
    }
  });

  it("draws the threshold at its value with its label above the line, clear of it, inside the frame", () => {
    const svg = renderChart(spec());
    const [line] = shapes(svg, "threshold");
    deepStrictEqual([line.num("x1"), line.num("x2"), line.num("y1"), line.num("y2")], [64, 704, 127, 127]);
    const [label] = shapes(svg, "threshold-label");
    deepStrictEqual([label.num("x"), label.num("y"), label.text], [700, 121, "threshold 500 ms"]);
    const [top, bottom] = textBox(label.num("y"));
    ok(bottom <= 127, "the label ends above the line");
    ok(top >= FRAME.top);
  });

  it("a second (objective) threshold close to the first gets its label below its line; no label crosses a line", () => {
    const svg = renderChart(
      spec({
        thresholds: [
          { value: 500, label: "threshold 500 ms", kind: "limit" },
          { value: 480, label: "objective 480 ms", kind: "objective" },
        ],
      }),
    );
    const lines = shapes(svg, "threshold").map((l) => l.num("y1"));
    deepStrictEqual(lines, [127, 130.5]);
    deepStrictEqual(
      shapes(svg, "threshold").map((l) => l.attrs["data-kind"]),
      ["limit", "objective"],
    );
    const labels = shapes(svg, "threshold-label").map((t) => textBox(t.num("y")));
    deepStrictEqual(labels, [
      [111, 124],
      [133.5, 146.5],
    ]);
    for (const [a, b] of labels) for (const y of lines) ok(y <= a || y >= b, `line ${y} in [${a}, ${b}]`);
  });

  it("with fewer than two points: 'not enough data yet' in the frame, and nothing else drawn", () => {
    for (const [points, says] of [
      [[], "no points"],
      [[{ atMs: T, value: 0.3 }], "1 point"],
      [
        [
          { atMs: T, value: Number.NaN },
          { atMs: T + MIN, value: 2 },
        ],
        "1 point",
      ],
    ] as const) {
      const svg = renderChart(spec({ points }));
      deepStrictEqual(
        shapes(svg, "no-data").map((t) => t.text),
        [`not enough data yet (${says}; a chart needs 2)`],
      );
      deepStrictEqual(
        ["series", "series-point", "threshold", "stage-change", "tick"].map((c) => shapes(svg, c).length),
        [0, 0, 0, 0, 0],
      );
      deepStrictEqual(frameOf(svg), FRAME);
    }
  });

  it("a lone point between gaps is a dot; the line breaks where data is missing", () => {
    const svg = renderChart(
      spec({
        points: [
          { atMs: T, value: 100 },
          { atMs: T + 10 * MIN, value: 200 },
          { atMs: T + 20 * MIN, value: Number.NaN },
          { atMs: T + 30 * MIN, value: 300 },
          { atMs: T + 40 * MIN, value: Number.NaN },
          { atMs: T + 60 * MIN, value: 100 },
          { atMs: T + 61 * MIN, value: 100 },
        ],
        toMs: T + 61 * MIN,
      }),
    );
    strictEqual(shapes(svg, "series").length, 2);
    strictEqual(shapes(svg, "series-point").length, 1);
    match(svg, /^<svg [^>]*width="720" height="250"/);
  });

  it("property: every point and every threshold label stays inside the frame; no label crosses a threshold line", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(Number.NaN)), {
          minLength: 2,
          maxLength: 50,
        }),
        fc.double({ min: 0.001, max: 1e5, noNaN: true }),
        fc.option(fc.double({ min: 0.001, max: 1e5, noNaN: true }), { nil: undefined }),
        (values, limit, objective) => {
          const svg = renderChart(
            spec({
              points: values.map((value, i) => ({ atMs: T + i * MIN, value })),
              toMs: T + (values.length - 1) * MIN,
              thresholds: [
                { value: limit, label: `threshold ${limit} ms`, kind: "limit" },
                ...(objective !== undefined
                  ? [{ value: objective, label: `objective ${objective} ms`, kind: "objective" as const }]
                  : []),
              ],
            }),
          );
          for (const [x, y] of seriesPoints(svg)) {
            if (!(x >= FRAME.left && x <= FRAME.right && y >= FRAME.top && y <= FRAME.bottom)) return false;
          }
          const lines = shapes(svg, "threshold").map((l) => l.num("y1"));
          if (lines.some((y) => y < FRAME.top || y > FRAME.bottom)) return false;
          return shapes(svg, "threshold-label").every((t) => {
            const [a, b] = textBox(t.num("y"));
            return a >= FRAME.top && b <= FRAME.bottom && lines.every((y) => y <= a || y >= b);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
