/**
 * What `genesis security-check` prints and how it exits, from the rules' results. Pure.
 */
import { RuleResult } from "./evaluate";

/**
 * A rule's outcome: pass, a mandatory violation (FAIL), an advisory one (WARN), nothing of
 * its kind to judge in this stack (N/A, such as a Kubernetes rule on a Docker stack), or off.
 */
export type RuleOutcome = "pass" | "fail" | "warn" | "n/a" | "disabled";

/** The outcome of one rule's result. */
export function ruleOutcome(result: RuleResult): RuleOutcome {
  if (result.level === "disabled") return "disabled";
  if (result.violations.length === 0) return result.judged === 0 ? "n/a" : "pass";
  return result.level === "mandatory" ? "fail" : "warn";
}

const HEADERS = ["rule", "control", "level", "result"] as const;

/**
 * The table of rules and results, then every violation under its rule, then a summary
 * line: `<title>: N rules, P passed, F failed (mandatory), W warned (advisory), A not
 * applicable` (and `, D disabled` when any is).
 */
export function renderRuleTable(title: string, results: readonly RuleResult[]): string {
  const rows = results.map((r) => {
    const outcome = ruleOutcome(r);
    const count = r.violations.length;
    const shown =
      outcome === "pass" || outcome === "disabled" || outcome === "n/a"
        ? outcome
        : `${outcome} (${count})`;
    return [r.name, r.control, r.level, shown.toUpperCase()];
  });
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join(" | ")
      .trimEnd();
  const details = results.flatMap((r) =>
    r.violations.map((v) => `${ruleOutcome(r).toUpperCase()} ${r.name}: ${v.message}`),
  );
  const tally = (o: RuleOutcome) => results.filter((r) => ruleOutcome(r) === o).length;
  return [
    line(HEADERS),
    widths.map((w) => "-".repeat(w)).join("-+-"),
    ...rows.map(line),
    ...(details.length > 0 ? ["", ...details] : []),
    "",
    `${title}: ${results.length} rules, ${tally("pass")} passed, ${tally("fail")} failed (mandatory), ${tally("warn")} warned (advisory), ${tally("n/a")} not applicable${tally("disabled") > 0 ? `, ${tally("disabled")} disabled` : ""}`,
  ].join("\n");
}

/** The exit code: 1 when any mandatory rule is violated, else 0. */
export function securityCheckExitCode(results: readonly RuleResult[]): number {
  return results.some((r) => ruleOutcome(r) === "fail") ? 1 : 0;
}
