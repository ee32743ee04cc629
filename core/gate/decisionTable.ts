/** Renders checks as the small text table a blocked promotion fails with. Pure. */
import { CheckResult } from "./types";

const HEADERS = ["check", "value", "threshold", "verdict", "reason"] as const;

/** A fixed-width text table: one row per check with value, threshold, verdict and reason. */
export function renderDecisionTable(checks: readonly CheckResult[]): string {
  const rows = checks.map((c) => [c.name, c.value, c.threshold, c.verdict.toUpperCase(), c.reason]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join(" | ")
      .trimEnd();
  return [
    line(HEADERS),
    widths.map((w, i) => "-".repeat(i === widths.length - 1 ? Math.max(w, 6) : w)).join("-+-"),
    ...rows.map(line),
  ].join("\n");
}
