/**
 * How the gate's checks print a measured value beside its threshold, so that the printed
 * comparison is the comparison made: never `1.00% < 1.00%` or `100 < minimum 100`. A value
 * gets more decimals until its text falls on the same side of the threshold's text as the
 * value itself falls of the threshold, up to a cap; at the cap it is rounded away from the
 * threshold's side (`0.9999%` for 0.99999 %, never `1.0000%`). Pure.
 */

/** The most decimals a threshold is shown with before falling back to JavaScript's own text. */
const MAX_EXACT_DIGITS = 12;

/** Formats `x` with `digits` decimals, keeping NaN and infinities readable (`NaN`, `+Inf`). */
export function fixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "+Inf";
  if (x === Number.NEGATIVE_INFINITY) return "-Inf";
  return x.toFixed(digits);
}

/** Drops trailing zeros after the decimal point (`120.0` -> `120`, `0.50` -> `0.5`). */
function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** How a number is written: at least `minDigits` decimals, and whether to drop trailing zeros. */
export interface DecimalStyle {
  /** The fewest decimals shown. */
  readonly minDigits: number;
  /** The most decimals a value is given to tell it from its threshold. */
  readonly maxDigits: number;
  /** Whether trailing zeros are dropped (`500 ms`, `123.4 ms`) or kept (`1.00%`). */
  readonly trim: boolean;
}

/**
 * The exact text of a threshold: `style.minDigits` decimals, or as many more as it takes for
 * the text to read back as the same number (`0.125` at two decimals is `0.125`, not `0.13`).
 */
export function exactDecimal(x: number, style: DecimalStyle): string {
  if (!Number.isFinite(x)) return fixed(x, 0);
  for (let d = style.minDigits; d <= MAX_EXACT_DIGITS; d++) {
    const text = x.toFixed(d);
    if (Number(text) === x) return style.trim ? trimZeros(text) : text;
  }
  return String(x);
}

/**
 * `value` as text beside `limit` (which is shown by {@link exactDecimal}): equal numbers
 * print alike; otherwise decimals are added, from `style.minDigits` up to `style.maxDigits`,
 * until the printed value lies on the same side of the printed limit as the value of the
 * limit. At the cap the value is rounded away from the limit (down when below, up when
 * above), so the printed order is still the true one.
 */
export function decimalBeside(value: number, limit: number, style: DecimalStyle): string {
  if (!Number.isFinite(value) || !Number.isFinite(limit)) return fixed(value, style.minDigits);
  const tidy = (text: string): string => (style.trim ? trimZeros(text) : text);
  if (value === limit) return exactDecimal(limit, style);
  const below = value < limit;
  for (let d = style.minDigits; d <= style.maxDigits; d++) {
    const text = value.toFixed(d);
    const shown = Number(text);
    if (below ? shown < limit : shown > limit) return tidy(text);
  }
  const scale = 10 ** style.maxDigits;
  const away = (below ? Math.floor(value * scale) : Math.ceil(value * scale)) / scale;
  return tidy(away.toFixed(style.maxDigits));
}

/** Percentages: two decimals, up to four to tell a value from its threshold (`0.9999%`). */
export const PERCENT: DecimalStyle = { minDigits: 2, maxDigits: 4, trim: false };

/** Milliseconds: at most one decimal normally (`123.4 ms`), up to three near a threshold. */
export const MILLISECONDS: DecimalStyle = { minDigits: 1, maxDigits: 3, trim: true };

/** Request counts: whole numbers normally, up to two decimals near the minimum (`99.6`). */
export const COUNT: DecimalStyle = { minDigits: 0, maxDigits: 2, trim: true };

/** Seconds of scrape age: one decimal (`3.2 s`), up to three near the limit. */
export const SECONDS: DecimalStyle = { minDigits: 1, maxDigits: 3, trim: false };
