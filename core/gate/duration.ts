/** Parses durations such as `300`, `90s`, `5m`, `1h` or `1h30m` into seconds. Pure. */

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in `text`; throws naming the value and what is allowed. */
export function parseDurationSeconds(text: string, what = "duration"): number {
  const t = text.trim();
  if (/^\d+$/.test(t) && Number(t) > 0) return Number(t);
  const parts = [...t.matchAll(/(\d+)([smhd])/g)];
  if (parts.length > 0 && parts.map((p) => p[0]).join("") === t) {
    const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]], 0);
    if (seconds > 0) return seconds;
  }
  throw new Error(
    `${what} must be a positive duration such as 300, 90s, 5m or 1h30m; got ${JSON.stringify(text)}`,
  );
}
