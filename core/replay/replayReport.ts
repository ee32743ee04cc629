/**
 * The replay's document: Markdown, HTML (the error rate, P95 and verdict bands over time as
 * inline SVG, the stages marked; no external assets) or JSON (every point with every check).
 * Pure: the replay's facts in, text out.
 */
import { GateVerdict } from "../gate/types";
import { CHART_LAYOUT, ChartStageChange, renderChart } from "../report/chart";
import { instantMs, ReplayGrid } from "./instantTable";
import { WhatIfThresholds } from "./replayArguments";
import {
  blockingChecks,
  PromotionFinding,
  promotionFindings,
  verdictRuns,
  VerdictRun,
  whatIfDifference,
  WhatIfDifference,
} from "./replayFindings";
import { ReplayPoint, UP_HISTORY_SUFFIX } from "./replayTimeline";
import { StageTimeline } from "./stageTimeline";

/** The thresholds a replay judged by. */
export interface ReplayThresholds {
  /** Error-rate threshold in percent. */
  readonly errorRateThresholdPercent: number;
  /** P95 threshold in milliseconds. */
  readonly latencyP95ThresholdMs: number;
  /** Fewest requests in the window. */
  readonly minRequestCount: number;
}

/** Everything a replay's document states. */
export interface ReplayReport {
  /** The stack. */
  readonly stack: string;
  /** The instants. */
  readonly grid: ReplayGrid;
  /** The validation window judged at each instant, in seconds. */
  readonly windowSeconds: number;
  /** The stack's thresholds. */
  readonly thresholds: ReplayThresholds;
  /** The what-if thresholds given (empty: none). */
  readonly whatIf: WhatIfThresholds;
  /** The jobs whose `up` history stands for the five health probes. */
  readonly healthJobs: readonly string[];
  /** Every instant. */
  readonly points: readonly ReplayPoint[];
  /** The stages. */
  readonly stages: StageTimeline;
  /** The runs of one verdict with the stack's thresholds. */
  readonly runs: readonly VerdictRun[];
  /** The runs with the what-if thresholds, when given. */
  readonly whatIfRuns?: readonly VerdictRun[];
  /** Each promotion found. */
  readonly promotions: readonly PromotionFinding[];
  /** The difference the what-if thresholds make, when given. */
  readonly difference?: WhatIfDifference;
  /** How many range queries were sent. */
  readonly rangeQueries: number;
  /** Anything assumed or missing. */
  readonly notes: readonly string[];
}

/** The report's facts from the timeline. */
export function buildReplayReport(
  base: Omit<ReplayReport, "runs" | "whatIfRuns" | "promotions" | "difference">,
): ReplayReport {
  const promotions = promotionFindings(base.points, base.stages);
  const difference = whatIfDifference(base.points, promotions);
  return {
    ...base,
    runs: verdictRuns(base.points),
    ...(difference !== undefined
      ? { whatIfRuns: verdictRuns(base.points, (p) => p.whatIf), difference }
      : {}),
    promotions,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** Thresholds as a sentence: `error rate < 1%, P95 < 500 ms, at least 100 requests`. */
function thresholdText(t: Partial<ReplayThresholds>): string {
  const parts: string[] = [];
  if (t.errorRateThresholdPercent !== undefined)
    parts.push(`error rate < ${t.errorRateThresholdPercent}%`);
  if (t.latencyP95ThresholdMs !== undefined) parts.push(`P95 < ${t.latencyP95ThresholdMs} ms`);
  if (t.minRequestCount !== undefined)
    parts.push(`at least ${t.minRequestCount} requests in the window`);
  return parts.join(", ");
}

/** How many instants had each verdict. */
function verdictCounts(
  points: readonly ReplayPoint[],
  which: (p: ReplayPoint) => GateVerdict | undefined,
): Record<GateVerdict, number> {
  const counts: Record<GateVerdict, number> = { pass: 0, fail: 0, inconclusive: 0 };
  for (const p of points) {
    const v = which(p);
    if (v !== undefined) counts[v]++;
  }
  return counts;
}

/** `5% -> 10% at 2026-01-03T10:00:00Z`. */
function promotionText(f: PromotionFinding): string {
  return `${f.change.from}% -> ${f.change.to}% at ${iso(f.change.atMs)}`;
}

/** The headline of the what-if difference: `blocked 3 promotions the real thresholds let through: ...`. */
export function differenceLines(d: WhatIfDifference): string[] {
  const list = (fs: readonly PromotionFinding[], which: "real" | "whatIf") =>
    fs
      .map(
        (f) =>
          `${promotionText(f)} (${(which === "whatIf" ? (f.whatIfBlockedBy ?? []) : f.blockedBy).join(", ") || "passed"})`,
      )
      .join("; ");
  const plural = (n: number) => `${n} promotion${n === 1 ? "" : "s"}`;
  return [
    d.blocked.length === 0
      ? "blocked no promotion the real thresholds let through"
      : `blocked ${plural(d.blocked.length)} the real thresholds let through: ${list(d.blocked, "whatIf")}`,
    d.letThrough.length === 0
      ? "let through no promotion the real thresholds blocked"
      : `let through ${plural(d.letThrough.length)} the real thresholds blocked: ${list(d.letThrough, "real")}`,
    `${d.passToBlocked} instants pass with the stack's thresholds and not with the what-if ones; ${d.blockedToPass} the other way`,
  ];
}

/** The lines that say what a replay cannot see and where the stages came from. */
function caveats(r: ReplayReport): string[] {
  return [
    `Live health probes cannot be replayed: the five health checks are judged from the \`up\` history of the jobs ${r.healthJobs.map((j) => `\`${j}\``).join(", ")} instead (names ending in "${UP_HISTORY_SUFFIX}").`,
    r.stages.source === "decision records"
      ? "Stages from the gate's decision records (the stack's state)."
      : "Stages from the rules record `genesis:rollout_stage_percent` (the step nearest to the canary's share of requests): a change shows up to the share's window after the flag changed; a promotion is judged at the last instant before it shows.",
    "Alertmanager's state at a past instant cannot be replayed: the alerts check reads Prometheus's ALERTS history alone, so an alert that was silenced then still blocks here.",
    "Missing data is never skipped: an instant without data is inconclusive, naming the check.",
    ...r.notes,
  ];
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function runsTable(runs: readonly VerdictRun[]): string[] {
  return [
    "| from | to | instants | verdict | blocked by | reason at the first instant |",
    "| ---- | -- | -------- | ------- | ---------- | --------------------------- |",
    ...runs.map(
      (r) =>
        `| ${iso(r.fromMs)} | ${iso(r.toMs)} | ${r.count} | ${r.verdict} | ${cell(r.blockedBy.join(", ") || "-")} | ${cell(r.firstReasons.join("; ") || "-")} |`,
    ),
  ];
}

function promotionsTable(r: ReplayReport): string[] {
  if (r.promotions.length === 0) return ["No promotion found in the span."];
  const whatIf = r.difference !== undefined;
  return [
    `| promotion | judged at | verdict | blocked by | stage since | earliest pass |${whatIf ? " what-if verdict | what-if earliest pass |" : ""}`,
    `| --------- | --------- | ------- | ---------- | ----------- | ------------- |${whatIf ? " --------------- | --------------------- |" : ""}`,
    ...r.promotions.map(
      (f) =>
        `| ${f.change.from}% -> ${f.change.to}% at ${iso(f.change.atMs)} | ${f.judgedAtMs === undefined ? "-" : iso(f.judgedAtMs)} | ${f.verdict ?? "-"} | ${cell(f.blockedBy.join(", ") || "-")} | ${iso(f.stageStartMs)} | ${f.earliestPassMs === undefined ? "never" : iso(f.earliestPassMs)} |${whatIf ? ` ${f.whatIfVerdict ?? "-"} | ${f.whatIfEarliestPassMs === undefined ? "never" : iso(f.whatIfEarliestPassMs)} |` : ""}`,
    ),
  ];
}

/** The replay as Markdown. */
export function renderReplayMarkdown(r: ReplayReport): string {
  const counts = verdictCounts(r.points, (p) => p.decision.verdict);
  const end = instantMs(r.grid, r.grid.count - 1);
  const lines = [
    `# Gate replay: ${r.stack}, ${iso(r.grid.startMs)} to ${iso(end)}`,
    "",
    `${r.grid.count} instants every ${r.grid.stepSeconds} s, validation window ${r.windowSeconds} s, ${r.rangeQueries} range queries. Stack thresholds: ${thresholdText(r.thresholds)}.${Object.keys(r.whatIf).length > 0 ? ` What-if: ${thresholdText(r.whatIf)}.` : ""}`,
    "",
    ...caveats(r).map((c) => `- ${c}`),
    "",
    "## Verdicts",
    "",
    "| thresholds | pass | fail | inconclusive |",
    "| ---------- | ---- | ---- | ------------ |",
    `| stack | ${counts.pass} | ${counts.fail} | ${counts.inconclusive} |`,
    ...(r.difference !== undefined
      ? (() => {
          const w = verdictCounts(r.points, (p) => p.whatIf?.verdict);
          return [`| what-if | ${w.pass} | ${w.fail} | ${w.inconclusive} |`];
        })()
      : []),
    "",
    "## Promotions",
    "",
    ...promotionsTable(r),
    "",
    ...(r.difference !== undefined
      ? ["## What-if thresholds", "", ...differenceLines(r.difference).map((l) => `- ${l}`), ""]
      : []),
    "## Timeline (stack thresholds)",
    "",
    ...runsTable(r.runs),
    "",
    ...(r.whatIfRuns !== undefined
      ? ["## Timeline (what-if thresholds)", "", ...runsTable(r.whatIfRuns), ""]
      : []),
  ];
  return `${lines.join("\n")}\n`;
}

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const BAND_COLOURS: Readonly<Record<GateVerdict, string>> = {
  pass: "#2e7d32",
  fail: "#c62828",
  inconclusive: "#9e9e9e",
};

/** The verdict bands over time as inline SVG, one row per set of thresholds, stages marked. */
export function renderVerdictBands(r: ReplayReport, changes: readonly ChartStageChange[]): string {
  const L = CHART_LAYOUT;
  const rows: [string, readonly VerdictRun[]][] = [["stack", r.runs]];
  if (r.whatIfRuns !== undefined) rows.push(["what-if", r.whatIfRuns]);
  const rowH = 22;
  const top = 24;
  const height = top + rows.length * (rowH + 6) + 10;
  const w = L.width - L.left - L.right;
  const fromMs = r.grid.startMs;
  const toMs = instantMs(r.grid, r.grid.count - 1) + r.grid.stepSeconds * 1000;
  const x = (ms: number) => L.left + ((ms - fromMs) / (toMs - fromMs)) * w;
  const stepMs = r.grid.stepSeconds * 1000;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${height}" viewBox="0 0 ${L.width} ${height}" role="img" aria-label="Verdicts over time" font-family="sans-serif" font-size="${L.fontSize}">`,
    "<title>Verdicts over time</title>",
  ];
  rows.forEach(([label, runs], k) => {
    const y = top + k * (rowH + 6);
    parts.push(`<text x="${L.left - 6}" y="${y + rowH / 2 + 4}" text-anchor="end">${label}</text>`);
    for (const run of runs) {
      const x0 = x(run.fromMs);
      const x1 = x(run.toMs + stepMs);
      parts.push(
        `<rect class="band ${run.verdict}" x="${x0.toFixed(2)}" y="${y}" width="${Math.max(0.5, x1 - x0).toFixed(2)}" height="${rowH}" fill="${BAND_COLOURS[run.verdict]}"><title>${esc(`${iso(run.fromMs)} to ${iso(run.toMs)}: ${run.verdict}${run.blockedBy.length > 0 ? ` (${run.blockedBy.join(", ")})` : ""}`)}</title></rect>`,
      );
    }
  });
  for (const c of changes) {
    const cx = x(c.atMs).toFixed(2);
    parts.push(
      `<line class="stage" x1="${cx}" y1="${top - 4}" x2="${cx}" y2="${height - 6}" stroke="${c.rollback ? "#6a1b9a" : "#1565c0"}" stroke-width="1.5"/>`,
      `<text x="${cx}" y="${top - 8}" text-anchor="middle">${c.to}%</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** The replay as one HTML page with inline SVG charts. */
export function renderReplayHtml(r: ReplayReport): string {
  const fromMs = r.grid.startMs;
  const toMs = instantMs(r.grid, r.grid.count - 1);
  const changes: ChartStageChange[] = r.stages.changes.map((c) => ({
    atMs: c.atMs,
    from: c.from,
    to: c.to,
    rollback: c.kind === "rollback",
  }));
  const series = (value: (p: ReplayPoint) => number | undefined) =>
    r.points.map((p) => ({ atMs: p.atMs, value: value(p) ?? Number.NaN }));
  const threshold = (value: number, unit: string) => ({
    value,
    label: `threshold ${value} ${unit}`,
    kind: "limit" as const,
  });
  const whatIfLine = (value: number | undefined, unit: string) =>
    value === undefined
      ? []
      : [{ value, label: `what-if ${value} ${unit}`, kind: "objective" as const }];
  const counts = verdictCounts(r.points, (p) => p.decision.verdict);
  const table = (rows: string[]) =>
    `<table>${rows
      .filter((l) => !/^\| -/.test(l))
      .map(
        (l, i) =>
          `<tr>${l
            .slice(2, -2)
            .split(" | ")
            .map((c) =>
              i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c.replace(/\\\|/g, "|"))}</td>`,
            )
            .join("")}</tr>`,
      )
      .join("\n")}</table>`;
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Gate replay: ${esc(r.stack)}</title>
<style>body{font-family:sans-serif;max-width:980px;margin:1em auto}th,td{text-align:left;padding-right:1em;vertical-align:top;font-size:13px}</style></head>
<body>
<h1>Gate replay: ${esc(r.stack)}, ${iso(fromMs)} to ${iso(toMs)}</h1>
<p>${r.grid.count} instants every ${r.grid.stepSeconds} s, validation window ${r.windowSeconds} s. Stack thresholds: ${esc(thresholdText(r.thresholds))}.${Object.keys(r.whatIf).length > 0 ? ` What-if: ${esc(thresholdText(r.whatIf))}.` : ""} Verdicts: ${counts.pass} pass, ${counts.fail} fail, ${counts.inconclusive} inconclusive.</p>
<ul>${caveats(r)
    .map((c) => `<li>${esc(c.replace(/`/g, ""))}</li>`)
    .join("")}</ul>
<h2>Verdicts</h2>
${renderVerdictBands(r, changes)}
<h2>Error rate (%)</h2>
${renderChart({ title: "Error rate (%)", unit: "%", points: series((p) => p.errorRatePercent), thresholds: [threshold(r.thresholds.errorRateThresholdPercent, "%"), ...whatIfLine(r.whatIf.errorRateThresholdPercent, "%")], stageChanges: changes, fromMs, toMs })}
<h2>P95 latency (ms)</h2>
${renderChart({ title: "P95 latency (ms)", unit: "ms", points: series((p) => p.latencyP95Ms), thresholds: [threshold(r.thresholds.latencyP95ThresholdMs, "ms"), ...whatIfLine(r.whatIf.latencyP95ThresholdMs, "ms")], stageChanges: changes, fromMs, toMs })}
<h2>Promotions</h2>
${r.promotions.length === 0 ? "<p>No promotion found in the span.</p>" : table(promotionsTable(r))}
${
  r.difference !== undefined
    ? `<h2>What-if thresholds</h2><ul>${differenceLines(r.difference)
        .map((l) => `<li>${esc(l)}</li>`)
        .join("")}</ul>`
    : ""
}
<h2>Timeline (stack thresholds)</h2>
${table(runsTable(r.runs))}
${r.whatIfRuns !== undefined ? `<h2>Timeline (what-if thresholds)</h2>\n${table(runsTable(r.whatIfRuns))}` : ""}
</body>
</html>
`;
}

/** The replay as JSON: the settings, the findings and every point with every check. */
export function renderReplayJson(r: ReplayReport): string {
  const num = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? null : x);
  const doc = {
    stack: r.stack,
    from: iso(r.grid.startMs),
    to: iso(instantMs(r.grid, r.grid.count - 1)),
    stepSeconds: r.grid.stepSeconds,
    instants: r.grid.count,
    windowSeconds: r.windowSeconds,
    thresholds: r.thresholds,
    whatIf: r.whatIf,
    healthFromUpHistory: r.healthJobs,
    stageSource: r.stages.source,
    notes: caveats(r),
    verdicts: verdictCounts(r.points, (p) => p.decision.verdict),
    stageChanges: r.stages.changes.map((c) => ({ ...c, at: iso(c.atMs) })),
    promotions: r.promotions,
    ...(r.difference !== undefined
      ? { difference: { ...r.difference, summary: differenceLines(r.difference) } }
      : {}),
    runs: r.runs,
    ...(r.whatIfRuns !== undefined ? { whatIfRuns: r.whatIfRuns } : {}),
    points: r.points.map((p) => ({
      at: iso(p.atMs),
      stage: p.stage ?? null,
      verdict: p.decision.verdict,
      blockedBy: blockingChecks(p.decision).map((c) => c.name),
      errorRatePercent: num(p.errorRatePercent),
      latencyP95Ms: num(p.latencyP95Ms),
      requests: num(p.requests),
      checks: p.decision.checks,
      ...(p.whatIf !== undefined
        ? {
            whatIf: {
              verdict: p.whatIf.verdict,
              blockedBy: blockingChecks(p.whatIf).map((c) => c.name),
              checks: p.whatIf.checks,
            },
          }
        : {}),
    })),
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}
