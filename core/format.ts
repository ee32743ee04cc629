/**
 * How values appear in messages: numbers bare, text quoted, lists compact, absence as
 * "nothing". Every error in the project quotes the value it received this way.
 */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A duration in whole seconds as Prometheus writes it: `5m`, `1m30s`, `45s`, `0s`. */
export function promDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`a duration must be a whole number of seconds, 0 or more; got ${seconds}`);
  }
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ""}${m > 0 ? `${m}m` : ""}${s > 0 ? `${s}s` : ""}`;
}
