/**
 * The daily update's charts as a person sees them: each SVG of the HTML report goes through
 * rsvg-convert (Debian's librsvg2-bin, which `npm test` installs) to a PNG, which must come
 * out without a word on stderr, at the SVG's size, with the series, the threshold and the
 * stage markers where the SVG's geometry puts them. Set GENESIS_CHART_PNG_DIR to keep the
 * PNGs for a look.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { inflateSync } from "node:zlib";
import { DecisionRecord, GateState } from "../../core/gate/types";
import { renderChartSvg, renderDailyHtml, DailyFacts } from "../../core/report/dailyReport";
import { CHART_LAYOUT } from "../../core/report/chart";
import { seriesPoints, shapes } from "../core/report/svgShapes";

const T = Date.parse("2026-03-02T10:00:00Z");
const MIN = 60_000;

/** An image decoded from a PNG (8-bit RGB or RGBA, not interlaced, as rsvg-convert writes). */
interface Image {
  readonly width: number;
  readonly height: number;
  pixel(x: number, y: number): [number, number, number, number];
}

/** Decodes `png`: the signature, IHDR, the IDAT stream and the five row filters. */
function decodePng(png: Buffer): Image {
  deepStrictEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "PNG signature");
  let offset = 8;
  let width = 0;
  let height = 0;
  let bpp = 4;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      deepStrictEqual([data[8], data[12]], [8, 0], "8 bits per channel, not interlaced");
      ok(data[9] === 2 || data[9] === 6, `colour type RGB (2) or RGBA (6); got ${data[9]}`);
      bpp = data[9] === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= bpp ? out[y * stride + i - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp] : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter];
      out[y * stride + i] = (x + pred) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel(x, y) {
      const i = Math.round(y) * stride + Math.round(x) * bpp;
      return [out[i], out[i + 1], out[i + 2], bpp === 4 ? out[i + 3] : 255];
    },
  };
}

/** Renders `svg` with rsvg-convert; asserts a clean exit and no stderr. */
function rasterize(svg: string, name: string): Image {
  const r = spawnSync("rsvg-convert", ["--format", "png"], { input: svg, maxBuffer: 1 << 26 });
  strictEqual(r.error, undefined, "rsvg-convert is installed (npm test installs librsvg2-bin)");
  strictEqual(r.stderr.toString(), "", `rsvg-convert said something about ${name}`);
  strictEqual(r.status, 0);
  const dir = process.env.GENESIS_CHART_PNG_DIR;
  if (dir !== undefined && dir !== "") {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.png`), r.stdout);
  }
  return decodePng(r.stdout);
}

/** Darker than anything but the series and the text (the frame is #999, the grid #eee). */
const dark = ([r, g, b, a]: number[]) => a > 128 && r + g + b < 400;
/** Red, or red blended half with white (a 1 px line between two pixel rows). */
const reddish = ([r, g, b]: number[]) => r - g > 60 && r - b > 60;
/** Blue promotions and orange rollbacks alike: a strong colour, not grey. */
const saturated = ([r, g, b, a]: number[]) => a > 100 && Math.max(r, g, b) - Math.min(r, g, b) > 50;
/** Whether any pixel within `radius` of (x, y) passes `test`. */
const near = (img: Image, x: number, y: number, radius: number, test: (p: number[]) => boolean) => {
  for (let dx = -radius; dx <= radius; dx++) {
    for (let dy = -radius; dy <= radius; dy++) if (test(img.pixel(x + dx, y + dy))) return true;
  }
  return false;
};

const rec = (min: number, decision: DecisionRecord["decision"], from: number, to: number): DecisionRecord => ({
  time: new Date(T + min * MIN).toISOString(),
  from,
  to,
  decision,
  reason: `${decision} ${from}% -> ${to}%`,
  checks: [],
});
const GATE: GateState = {
  percentage: 10,
  liveSinceMs: T + 45 * MIN,
  lastVerdicts: [],
  records: [
    rec(0, "initial", 0, 0),
    rec(10, "promotion", 0, 5),
    rec(20, "promotion", 5, 10),
    rec(30, "promotion", 10, 25),
    rec(45, "rollback", 25, 10),
  ],
};
const FACTS: DailyFacts = {
  stack: "demo",
  environment: "staging",
  generatedMs: T + 60 * MIN,
  configuredPercentage: 10,
  steps: [0, 5, 10, 25, 50, 75, 100],
  gate: GATE,
  health: { healthy: 5, total: 5 },
  errorRatePercent: 0.2,
  latencyP95Ms: 180,
  errorRateThresholdPercent: 1,
  latencyP95ThresholdMs: 500,
  validationWindowSeconds: 300,
  signoffHours: 48,
  // The error rate jumps to 6 % at 25 % (the fault), the P95 to 960 ms: both far above the
  // thresholds, both drawn at their value.
  errorRateSeries: Array.from({ length: 61 }, (_, m) => ({
    atMs: T + m * MIN,
    value: m >= 33 && m < 45 ? 6 : 0.1 + (m % 5) / 50,
  })),
  latencyP95Series: Array.from({ length: 61 }, (_, m) => ({
    atMs: T + m * MIN,
    value: m >= 33 && m < 45 ? 960 : 150 + (m % 7) * 5,
  })),
  roles: { deploymentLead: "lead@example.org", onCall: "oncall@example.org", securityLead: "" },
};

describe("chart images: the report's SVG charts rendered to PNG by rsvg-convert", () => {
  const svgs = [...renderDailyHtml(FACTS).matchAll(/<svg [\s\S]*?<\/svg>/g)].map((m) => m[0]);

  it("the HTML report has two charts; each renders at 720 x 250 with series, threshold and stage markers where the SVG puts them", () => {
    strictEqual(svgs.length, 2);
    for (const [i, svg] of svgs.entries()) {
      const img = rasterize(svg, ["error-rate", "p95-latency"][i]);
      deepStrictEqual([img.width, img.height], [CHART_LAYOUT.width, CHART_LAYOUT.height]);
      const points = seriesPoints(svg);
      strictEqual(points.length, 61);
      for (const [x, y] of points) ok(near(img, x, y, 1, dark), `a dark pixel at the point ${x},${y}`);
      const [line] = shapes(svg, "threshold");
      const ty = line.num("y1");
      let red = 0;
      for (let x = line.num("x1"); x <= line.num("x2"); x++) if (reddish(img.pixel(x, ty)) || reddish(img.pixel(x, ty - 1))) red++;
      ok(red > 0.4 * (line.num("x2") - line.num("x1")), `the dashed threshold line at y ${ty} (${red} red pixels)`);
      const stages = shapes(svg, "stage-change");
      deepStrictEqual(
        stages.map((s) => [s.num("x1"), s.attrs["data-to"]]),
        [
          [170.7, "5"],
          [277.3, "10"],
          [384, "25"],
          [544, "10"],
        ],
      );
      for (const s of stages) {
        let coloured = 0;
        for (let y = s.num("y1"); y <= s.num("y2"); y++) {
          if (near(img, s.num("x1"), y, 1, saturated)) coloured++;
        }
        ok(coloured > 0.3 * (s.num("y2") - s.num("y1")), `the stage marker at x ${s.num("x1")}`);
      }
      // The frame's top edge is drawn, and nothing dark is above the frame but the labels'
      // row: the fault's peak is inside the frame, not clipped at its top.
      const peak = points.reduce((a, b) => (b[1] < a[1] ? b : a));
      ok(peak[1] >= CHART_LAYOUT.top, `the peak at y ${peak[1]}`);
    }
  });

  it("a chart with one point renders its 'not enough data yet' message", () => {
    const svg = renderChartSvg("P95 latency (ms)", "ms", [{ atMs: T, value: 180 }], 500, [], T, T);
    const img = rasterize(svg, "one-point");
    deepStrictEqual([img.width, img.height], [CHART_LAYOUT.width, CHART_LAYOUT.height]);
    const [msg] = shapes(svg, "no-data");
    // The message's text is drawn around its anchor (centred), in grey.
    ok(
      near(img, msg.num("x"), msg.num("y") - 4, 40, ([r, g, b, a]) => a > 128 && r < 200 && r === g && g === b),
      "grey text at the centre",
    );
  });
});
