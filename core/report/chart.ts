/**
 * The daily update's charts as inline SVG, pure: a value axis fitted to the data and the
 * thresholds with round ticks (nothing is ever drawn above the frame), a time axis in UTC,
 * the rollout's stage changes as vertical markers labelled above the frame, each threshold
 * as a dashed line whose label sits beside it, never on it, and "not enough data yet" when
 * there are fewer than two points to draw.
 *
 * The tick rule is d3-scale's (`scaleLinear().nice().ticks(n)`: steps of 1, 2 or 5 times a
 * power of ten), written out here: d3-scale 4 is ESM-only, and this project loads as
 * CommonJS on Node >= 20, where `require` of an ES module works only from Node 20.19 on.
 */

/** A point of a chart. */
export interface ChartPoint {
  /** ms since the epoch. */
  readonly atMs: number;
  /** The value (NaN: no data at that time). */
  readonly value: number;
}

/** A horizontal threshold line. */
export interface ChartThreshold {
  /** Where the line is, in the chart's unit. */
  readonly value: number;
  /** Its label, such as `limit 500 ms`. */
  readonly label: string;
  /**
   * `limit`: what the gate and the bake judge by (red); `objective`: a target to report
   * against (amber).
   */
  readonly kind: "limit" | "objective";
}

/** A change of the live percentage. */
export interface ChartStageChange {
  /** When, ms since the epoch. */
  readonly atMs: number;
  /** The percentage live before. */
  readonly from: number;
  /** The percentage live after. */
  readonly to: number;
  /** Whether it was a rollback (drawn in another colour and labelled so). */
  readonly rollback: boolean;
}

/** What one chart shows. */
export interface ChartSpec {
  /** The chart's title, for screen readers (`<title>`, `aria-label`). */
  readonly title: string;
  /** The unit after each value: `%` or `ms`. */
  readonly unit: string;
  /** The series, oldest first; NaN values break the line. */
  readonly points: readonly ChartPoint[];
  /** The threshold lines. */
  readonly thresholds: readonly ChartThreshold[];
  /** The stage changes, oldest first (those outside the time range are left out). */
  readonly stageChanges: readonly ChartStageChange[];
  /** The time range, ms since the epoch. */
  readonly fromMs: number;
  /** The end of the time range. */
  readonly toMs: number;
}

/** The chart's size and its plot frame, in SVG pixels. */
export const CHART_LAYOUT = Object.freeze({
  width: 720,
  height: 250,
  /** The plot frame's left edge (room for the value labels). */
  left: 64,
  /** Room right of the frame. */
  right: 16,
  /** The frame's top edge (room for two rows of stage labels above it). */
  top: 40,
  /** Room below the frame (time labels). */
  bottom: 36,
  /** Font size of every label. */
  fontSize: 11,
  /** A generous width of one character at {@link CHART_LAYOUT.fontSize}, for placing labels. */
  charWidth: 7,
});

/** A value axis from 0: its top, its step, the ticks and how many decimals they need. */
export interface ValueAxis {
  /** The axis's top, a whole number of steps. */
  readonly max: number;
  /** The distance between ticks: 1, 2 or 5 times a power of ten. */
  readonly step: number;
  /** The ticks from 0 to `max`. */
  readonly ticks: readonly number[];
  /** Decimals that show every tick exactly. */
  readonly decimals: number;
}

/** 1, 2 or 5 times a power of ten near `span / count` (d3-array's tickIncrement). */
function tickStep(span: number, count: number): { factor: number; power: number } {
  const raw = span / count;
  let power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  let factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  if (factor === 10) {
    factor = 1;
    power += 1;
  }
  return { factor, power };
}

/** `i` times `factor` times 10^`power`, without the binary float noise of 0.1 * 3. */
function stepValue(i: number, factor: number, power: number): number {
  return power >= 0 ? i * factor * 10 ** power : (i * factor) / 10 ** -power;
}

/**
 * A value axis from 0 that holds `maxValue`, with about `count` round ticks: the top is
 * extended to a whole step, as d3-scale's `nice()` does (960 -> 0..1000 by 200). A
 * `maxValue` that is not above 0 gives 0..1.
 */
export function niceAxis(maxValue: number, count = 5): ValueAxis {
  let max = Number.isFinite(maxValue) && maxValue > 0 ? maxValue : 1;
  let s = tickStep(max, count);
  for (let i = 0; i < 10; i++) {
    const n = Math.ceil(max / stepValue(1, s.factor, s.power) - 1e-9);
    const top = stepValue(n, s.factor, s.power);
    const next = tickStep(top, count);
    max = top;
    if (next.factor === s.factor && next.power === s.power) break;
    s = next;
  }
  const step = stepValue(1, s.factor, s.power);
  const n = Math.round(max / step);
  return {
    max,
    step,
    ticks: Array.from({ length: n + 1 }, (_, i) => stepValue(i, s.factor, s.power)),
    decimals: Math.max(0, -s.power),
  };
}

/** Round time steps, in ms: seconds to a day. */
const TIME_STEPS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
].map((s) => s * 1000);

/** A time axis: its step and the ticks (UTC multiples of the step) within the range. */
export interface TimeAxis {
  /** The distance between ticks in ms. */
  readonly stepMs: number;
  /** The ticks, ms since the epoch. */
  readonly ticks: readonly number[];
}

/**
 * At most `maxTicks` ticks on round UTC times (every 1, 2, 5, 10, 15 or 30 seconds or
 * minutes, every 1, 2, 3, 6 or 12 hours, or every day) from `fromMs` to `toMs`.
 */
export function timeAxis(fromMs: number, toMs: number, maxTicks = 6): TimeAxis {
  const span = Math.max(0, toMs - fromMs);
  const stepMs =
    TIME_STEPS_MS.find((s) => Math.floor(span / s) + 1 <= maxTicks) ??
    Math.ceil(span / (maxTicks - 1) / 86_400_000) * 86_400_000;
  const first = Math.ceil(fromMs / stepMs) * stepMs;
  const ticks: number[] = [];
  for (let t = first; t <= toMs; t += stepMs) ticks.push(t);
  return { stepMs, ticks };
}

/** A time tick's label: HH:MM, or HH:MM:SS when the step is under a minute (UTC). */
export function timeLabel(ms: number, stepMs: number): string {
  const iso = new Date(ms).toISOString();
  return stepMs < 60_000 ? iso.slice(11, 19) : iso.slice(11, 16);
}

/** A value with its unit: `0.5%` (no space before a percent sign), `500 ms`. */
export function withUnit(value: string | number, unit: string): string {
  return unit === "%" ? `${value}%` : `${value} ${unit}`;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One decimal, as every coordinate is written. */
const f = (n: number): string => n.toFixed(1);

/** The estimated width of `text` in pixels (generous, so labels never touch). */
export function labelWidth(text: string): number {
  return text.length * CHART_LAYOUT.charWidth;
}

/** The label of a stage change, above the frame. */
function stageLabel(c: ChartStageChange): string {
  return c.rollback ? `${c.to}% rollback` : `${c.to}%`;
}

/** The percentage live at the chart's start, from the changes (undefined: none known). */
function startPercentage(changes: readonly ChartStageChange[], fromMs: number): number | undefined {
  const before = changes.filter((c) => c.atMs <= fromMs);
  if (before.length > 0) return before[before.length - 1].to;
  return changes[0]?.from;
}

/** The chart as one `<svg>` element. */
export function renderChart(spec: ChartSpec): string {
  const L = CHART_LAYOUT;
  const w = L.width - L.left - L.right;
  const h = L.height - L.top - L.bottom;
  const bottom = L.top + h;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" role="img" aria-label="${escapeXml(spec.title)}" font-family="sans-serif" font-size="${L.fontSize}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect x="0" y="0" width="${L.width}" height="${L.height}" fill="#fff"/>`,
    `<rect class="frame" x="${L.left}" y="${L.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
  ];
  const finite = spec.points.filter((p) => Number.isFinite(p.value));
  if (finite.length < 2) {
    parts.push(
      `<text class="no-data" x="${f(L.left + w / 2)}" y="${f(L.top + h / 2)}" text-anchor="middle" fill="#666">not enough data yet (${finite.length === 0 ? "no points" : "1 point"}; a chart needs 2)</text>`,
      "</svg>",
    );
    return parts.join("\n");
  }

  const fromMs = spec.fromMs;
  const span = Math.max(1, spec.toMs - fromMs);
  const axis = niceAxis(
    Math.max(...finite.map((p) => p.value), ...spec.thresholds.map((t) => t.value * 1.2)),
  );
  const x = (ms: number) => L.left + ((ms - fromMs) / span) * w;
  const y = (v: number) => bottom - (v / axis.max) * h;

  // Value axis: a grid line and a label per tick.
  for (const t of axis.ticks) {
    parts.push(
      `<line class="grid" x1="${L.left}" x2="${L.left + w}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#eee"/>`,
      `<text class="tick" x="${L.left - 6}" y="${f(y(t) + 4)}" text-anchor="end" fill="#444">${escapeXml(withUnit(t.toFixed(axis.decimals), spec.unit))}</text>`,
    );
  }
  // Time axis.
  const time = timeAxis(fromMs, spec.toMs);
  for (const t of time.ticks) {
    const text = timeLabel(t, time.stepMs);
    // Centred under its tick, or ending at it where a centred label would leave the image.
    const anchor = x(t) + labelWidth(text) / 2 > L.width - 2 ? "end" : "middle";
    parts.push(
      `<line class="time-tick" x1="${f(x(t))}" x2="${f(x(t))}" y1="${bottom}" y2="${bottom + 4}" stroke="#999"/>`,
      `<text class="time" x="${f(x(t))}" y="${bottom + 16}" text-anchor="${anchor}" fill="#444">${text}</text>`,
    );
  }
  const days = [fromMs, spec.toMs].map((ms) => new Date(ms).toISOString().slice(0, 10));
  parts.push(
    `<text class="time-caption" x="${L.left + w}" y="${L.height - 4}" text-anchor="end" fill="#666">UTC, ${days[0] === days[1] ? days[0] : `${days[0]} to ${days[1]}`}</text>`,
  );

  // Stage changes: a vertical line each, labelled above the frame in one of two rows so
  // that close labels do not overlap (the stage live at the start is labelled at the left).
  const rowsEnd = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const place = (at: number, text: string): { x: number; y: number; anchor: string } => {
    const width = labelWidth(text);
    const startX = Math.min(at + 3, L.width - 2 - width);
    const row = rowsEnd.findIndex((end) => startX >= end + 4);
    const r = row === -1 ? (rowsEnd[0] <= rowsEnd[1] ? 0 : 1) : row;
    rowsEnd[r] = startX + width;
    return { x: startX, y: L.top - 6 - r * 14, anchor: "start" };
  };
  const inRange = spec.stageChanges.filter((c) => c.atMs >= fromMs && c.atMs <= spec.toMs);
  const first = startPercentage(spec.stageChanges, fromMs);
  if (first !== undefined) {
    const p = place(L.left - 3, `${first}%`);
    parts.push(
      `<text class="stage-start" x="${f(p.x)}" y="${f(p.y)}" fill="#666">${first}%</text>`,
    );
  }
  for (const c of inRange) {
    const cx = x(c.atMs);
    const color = c.rollback ? "#c60" : "#06c";
    const text = stageLabel(c);
    const p = place(cx, text);
    parts.push(
      `<line class="stage-change" data-to="${c.to}" x1="${f(cx)}" x2="${f(cx)}" y1="${L.top}" y2="${bottom}" stroke="${color}" stroke-dasharray="2 3"/>`,
      `<line class="stage-leader" x1="${f(cx)}" x2="${f(cx)}" y1="${f(p.y + 2)}" y2="${L.top}" stroke="${color}" stroke-width="0.5"/>`,
      `<text class="stage-label" x="${f(p.x)}" y="${f(p.y)}" fill="${color}">${escapeXml(text)}</text>`,
    );
  }

  // Thresholds: a dashed line each; the label at the right end, above the line when it fits
  // inside the frame and clear of the other labels and lines, otherwise below it, otherwise
  // the nearest row further out that is clear (drawn
  // after the series, on a light background, so that it stays readable).
  const placed: [number, number][] = [];
  const labels: string[] = [];
  const labelHeight = L.fontSize + 2;
  const lineYs = spec.thresholds.map((t) => y(t.value));
  for (const t of spec.thresholds) {
    const ty = y(t.value);
    const color = t.kind === "limit" ? "#c00" : "#b70";
    // Just above the line, just below it, then a row further out each way, and so on.
    const candidates = [0, 1, 2, 3, 4].flatMap((n): [number, number][] => [
      [ty - 3 - labelHeight - n * (labelHeight + 1), ty - 3 - n * (labelHeight + 1)],
      [ty + 3 + n * (labelHeight + 1), ty + 3 + labelHeight + n * (labelHeight + 1)],
    ]);
    const clear = ([a, b]: [number, number]) =>
      a >= L.top &&
      b <= bottom &&
      placed.every(([c, d]) => b <= c || a >= d) &&
      lineYs.every((ly) => ly <= a || ly >= b);
    const box = candidates.find(clear) ?? candidates[0];
    placed.push(box);
    const width = labelWidth(t.label);
    const lx = L.left + w - 4;
    parts.push(
      `<line class="threshold" data-kind="${t.kind}" x1="${L.left}" x2="${L.left + w}" y1="${f(ty)}" y2="${f(ty)}" stroke="${color}" stroke-dasharray="6 4"/>`,
    );
    labels.push(
      `<rect class="threshold-label-bg" x="${f(lx - width)}" y="${f(box[0])}" width="${width}" height="${labelHeight}" fill="#fff" fill-opacity="0.8"/>`,
      `<text class="threshold-label" x="${f(lx)}" y="${f(box[1] - 3)}" text-anchor="end" fill="${color}">${escapeXml(t.label)}</text>`,
    );
  }

  // The series (over the threshold lines): a polyline per run of data (broken where there is none); a lone point is a dot.
  const runs: ChartPoint[][] = [[]];
  for (const p of spec.points) {
    if (Number.isFinite(p.value)) runs[runs.length - 1].push(p);
    else if (runs[runs.length - 1].length > 0) runs.push([]);
  }
  for (const run of runs.filter((r) => r.length > 0)) {
    parts.push(
      run.length === 1
        ? `<circle class="series-point" cx="${f(x(run[0].atMs))}" cy="${f(y(run[0].value))}" r="2" fill="#222"/>`
        : `<polyline class="series" fill="none" stroke="#222" stroke-width="1.5" points="${run.map((p) => `${f(x(p.atMs))},${f(y(p.value))}`).join(" ")}"/>`,
    );
  }
  // The threshold labels last, so that the series never covers them.
  parts.push(...labels, "</svg>");
  return parts.join("\n");
}
