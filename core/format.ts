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
