/**
 * The daily update of the communication plan, with real figures: status (ON TRACK, AT RISK
 * or ROLLED BACK), the current rollout, error rate, P95, health N/5, key updates from the
 * gate's decision records, the next milestone and the people from stack config. Markdown
 * and HTML; the HTML draws error rate and P95 across the stages as inline SVG, with the
 * thresholds and the stage changes marked. Pure: facts in, text out.
 */
import { DecisionRecord, GateState } from "../gate/types";
import { nextStep } from "../rollout/steps";
import { ChartPoint, renderChart, withUnit } from "./chart";
import { contacts, Roles } from "./incidentReport";

/** A point of the charts (defined with the charts, in ./chart). */
export type { ChartPoint } from "./chart";

/** Everything the daily update states. */
export interface DailyFacts {
  /** The stack. */
  readonly stack: string;
  /** staging or production. */
  readonly environment: string;
  /** When the report was made, ms since the epoch. */
  readonly generatedMs: number;
  /** The percentage the stack config asks for. */
  readonly configuredPercentage: number;
  /** The rollout steps. */
  readonly steps: readonly number[];
  /** The gate's state from the stack outputs; undefined when it could not be read. */
  readonly gate?: GateState;
  /** Why the gate's state is missing, when it is. */
  readonly gateUnavailable?: string;
  /** Health checks passing now, and how many there are. */
  readonly health: { readonly healthy: number; readonly total: number };
  /** The error rate over the validation window now, in percent; undefined: no data. */
  readonly errorRatePercent?: number;
  /** The P95 latency over the validation window now, in ms; undefined: no data. */
  readonly latencyP95Ms?: number;
  /** Highest error rate in percent. */
  readonly errorRateThresholdPercent: number;
  /** Highest P95 in ms. */
  readonly latencyP95ThresholdMs: number;
  /**
   * The error rate objective in percent (`genesis:errorRateObjectivePercent`): ON TRACK below
   * it, AT RISK at or above it. Absent: no objective is known and only the trigger is judged.
   */
  readonly errorRateObjectivePercent?: number;
  /** The P95 objective in ms (`genesis:latencyP95ObjectiveMs`); absent as above. */
  readonly latencyP95ObjectiveMs?: number;
  /** The validation window in seconds. */
  readonly validationWindowSeconds: number;
  /** Hours at 100 % before final sign-off. */
  readonly signoffHours: number;
  /** The error rate across the rollout, in percent. */
  readonly errorRateSeries: readonly ChartPoint[];
  /** The P95 across the rollout, in ms. */
  readonly latencyP95Series: readonly ChartPoint[];
  /** Who is responsible. */
  readonly roles: Roles;
}

/** The headline status. */
export type DailyStatus = "ON TRACK" | "AT RISK" | "ROLLED BACK";

/** The records that changed the live percentage, oldest first. */
export function stageChanges(records: readonly DecisionRecord[]): DecisionRecord[] {
  return records.filter((r) => r.decision === "promotion" || r.decision === "rollback");
}

/** A limit in percent as the reports show it: two decimals, more when it has more. */
function limitPct(x: number): string {
  return `${Number(x.toFixed(2)) === x ? x.toFixed(2) : String(x)}%`;
}

/**
 * Why one figure puts the day at risk against its two tiers, or undefined when it is within
 * its objective: at or above the rollback trigger, or at or above the objective (below the
 * trigger). Without an objective only the trigger is judged.
 */
function tierReason(
  what: string,
  value: number,
  shown: string,
  objective: number | undefined,
  objectiveShown: string,
  trigger: number,
  triggerShown: string,
): string | undefined {
  if (value >= trigger) return `${what} ${shown} >= rollback trigger ${triggerShown}`;
  if (objective !== undefined && value >= objective) {
    return `${what} ${shown} >= objective ${objectiveShown} (below the rollback trigger ${triggerShown})`;
  }
  return undefined;
}

/**
 * The seed plan's daily status from the two tiers: ROLLED BACK when the last stage change in
 * the gate's records was a rollback; AT RISK when an SLO figure is at or above its objective
 * (below or above its rollback trigger), or unknown, or health is below N/N, or the gate's
 * state is unknown or disagrees with the config (fail closed); ON TRACK when every figure is
 * within its objective. Returns the reasons too.
 */
export function dailyStatus(f: DailyFacts): {
  readonly status: DailyStatus;
  readonly reasons: string[];
} {
  const changes = f.gate === undefined ? [] : stageChanges(f.gate.records);
  const last = changes[changes.length - 1];
  if (last?.decision === "rollback") {
    return { status: "ROLLED BACK", reasons: [`${last.time}: ${last.reason}`] };
  }
  const reasons: string[] = [];
  if (f.gate === undefined)
    reasons.push(`the gate's state is unknown: ${f.gateUnavailable ?? "no stack outputs"}`);
  else if (f.gate.percentage !== f.configuredPercentage) {
    reasons.push(
      `the stack config asks for ${f.configuredPercentage}% but ${f.gate.percentage}% is live: run pulumi up`,
    );
  }
  if (f.health.healthy < f.health.total)
    reasons.push(`health ${f.health.healthy}/${f.health.total}`);
  if (f.errorRatePercent === undefined || !Number.isFinite(f.errorRatePercent))
    reasons.push("no error-rate data");
  else {
    const why = tierReason(
      "error rate",
      f.errorRatePercent,
      pct(f.errorRatePercent),
      f.errorRateObjectivePercent,
      limitPct(f.errorRateObjectivePercent ?? 0),
      f.errorRateThresholdPercent,
      limitPct(f.errorRateThresholdPercent),
    );
    if (why !== undefined) reasons.push(why);
  }
  if (f.latencyP95Ms === undefined || !Number.isFinite(f.latencyP95Ms)) reasons.push("no P95 data");
  else {
    const why = tierReason(
      "P95",
      f.latencyP95Ms,
      msText(f.latencyP95Ms),
      f.latencyP95ObjectiveMs,
      `${f.latencyP95ObjectiveMs} ms`,
      f.latencyP95ThresholdMs,
      `${f.latencyP95ThresholdMs} ms`,
    );
    if (why !== undefined) reasons.push(why);
  }
  return reasons.length > 0 ? { status: "AT RISK", reasons } : { status: "ON TRACK", reasons: [] };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const pct = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? "no data" : `${x.toFixed(2)}%`;
const msText = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? "no data" : `${Math.round(x)} ms`;

/** The next milestone, in one sentence. */
export function nextMilestone(f: DailyFacts): string {
  const status = dailyStatus(f).status;
  const live = f.gate?.percentage ?? f.configuredPercentage;
  if (status === "ROLLED BACK") {
    const c = f.gate?.cooldown;
    return `investigate the incident; ${c !== undefined ? `${c.percentage}% may be retried after ${iso(c.untilMs)}` : "then resume with genesis rollout"}`;
  }
  if (live >= 100) {
    const since = f.gate?.liveSinceMs;
    return since === undefined
      ? `final sign-off after ${f.signoffHours} h at 100% (genesis signoff)`
      : `final sign-off at ${iso(since + f.signoffHours * 3600_000)}, after ${f.signoffHours} h at 100% with the SLOs held (genesis signoff)`;
  }
  const next = nextStep(f.steps, live);
  const since = f.gate?.liveSinceMs;
  return since === undefined
    ? `promote to ${next}% after a healthy validation window (${f.validationWindowSeconds} s)`
    : `promote to ${next}% once ${live}% has been healthy for its validation window (from ${iso(since + f.validationWindowSeconds * 1000)})`;
}

/** The error rate's limits as the tables show them: objective and trigger. */
function errorRateLimits(f: DailyFacts): string {
  const objective =
    f.errorRateObjectivePercent !== undefined
      ? `objective < ${limitPct(f.errorRateObjectivePercent)}, `
      : "";
  return `${objective}threshold < ${limitPct(f.errorRateThresholdPercent)}`;
}

/** The P95's limits as the tables show them: objective and trigger. */
function latencyLimits(f: DailyFacts): string {
  const objective =
    f.latencyP95ObjectiveMs !== undefined ? `objective < ${f.latencyP95ObjectiveMs} ms, ` : "";
  return `${objective}threshold < ${f.latencyP95ThresholdMs} ms`;
}

/** Key updates: the last five decisions, newest first. */
function keyUpdates(f: DailyFacts): string[] {
  if (f.gate === undefined)
    return [`no decision records: ${f.gateUnavailable ?? "no stack outputs"}`];
  const records = [...f.gate.records].reverse().slice(0, 5);
  return records.length === 0
    ? ["no decisions recorded yet"]
    : records.map((r) => `${r.time}: ${r.reason}`);
}

/** The daily update as Markdown. */
export function renderDailyMarkdown(f: DailyFacts): string {
  const { status, reasons } = dailyStatus(f);
  const live = f.gate?.percentage;
  const lines = [
    `# Daily update: ${f.stack} (${f.environment}), ${iso(f.generatedMs).slice(0, 10)}`,
    "",
    `**Status: ${status}**${reasons.length > 0 ? ` (${reasons.join("; ")})` : ""}`,
    "",
    "| | |",
    "|---|---|",
    `| Rollout | ${live === undefined ? `${f.configuredPercentage}% configured (live unknown)` : `${live}% live`}${f.gate !== undefined ? ` since ${iso(f.gate.liveSinceMs)}` : ""}; steps ${f.steps.join(", ")} |`,
    `| Error rate | ${pct(f.errorRatePercent)} (${errorRateLimits(f)}) |`,
    `| P95 latency | ${msText(f.latencyP95Ms)} (${latencyLimits(f)}) |`,
    `| Health | ${f.health.healthy}/${f.health.total} |`,
    "",
    "## Key updates",
    "",
    ...keyUpdates(f).map((u) => `- ${u}`),
    "",
    "## Next milestone",
    "",
    nextMilestone(f),
    "",
    "## Contacts",
    "",
    ...contacts(f.roles).map(([role, person]) => `- ${role}: ${person}`),
    "",
    `Generated ${iso(f.generatedMs)} from Prometheus and the rollout gate's state.`,
  ];
  return `${lines.join("\n")}\n`;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * One chart as inline SVG (see core/report/chart.ts): the series on a value axis fitted to
 * it, the threshold as a dashed red line labelled beside it (and the objective, when one is
 * given, in amber), each stage change as a vertical line labelled with the new percentage
 * above the frame; fewer than two points say "not enough data yet".
 */
export function renderChartSvg(
  title: string,
  unit: string,
  points: readonly ChartPoint[],
  threshold: number,
  changes: readonly DecisionRecord[],
  fromMs: number,
  toMs: number,
  objective?: number,
): string {
  return renderChart({
    title,
    unit,
    points,
    thresholds: [
      { value: threshold, label: `threshold ${withUnit(threshold, unit)}`, kind: "limit" },
      ...(objective !== undefined
        ? [{ value: objective, label: `objective ${withUnit(objective, unit)}`, kind: "objective" as const }]
        : []),
    ],
    stageChanges: changes.map((c) => ({
      atMs: Date.parse(c.time),
      from: c.from,
      to: c.to,
      rollback: c.decision === "rollback",
    })),
    fromMs,
    toMs,
  });
}

/** The daily update as one self-contained HTML page with two inline SVG charts. */
export function renderDailyHtml(f: DailyFacts): string {
  const { status, reasons } = dailyStatus(f);
  const changes = f.gate === undefined ? [] : stageChanges(f.gate.records);
  // The charts run from the first data point to now, so that a stage change after the last
  // point (a rollback just before the report) is still drawn.
  const times = [...f.errorRateSeries, ...f.latencyP95Series].map((p) => p.atMs);
  const fromMs = times.length > 0 ? Math.min(...times) : f.generatedMs - 3600_000;
  const toMs = Math.max(f.generatedMs, ...times);
  const live = f.gate?.percentage;
  const row = (k: string, v: string) =>
    `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  const color = status === "ON TRACK" ? "#060" : status === "AT RISK" ? "#a60" : "#c00";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Daily update: ${escapeHtml(f.stack)}</title>
<style>body{font-family:sans-serif;max-width:760px;margin:1em auto}th{text-align:left;padding-right:1em}</style></head>
<body>
<h1>Daily update: ${escapeHtml(f.stack)} (${escapeHtml(f.environment)}), ${iso(f.generatedMs).slice(0, 10)}</h1>
<p class="status" style="color:${color}"><strong>Status: ${status}</strong>${reasons.length > 0 ? ` (${escapeHtml(reasons.join("; "))})` : ""}</p>
<table>
${row("Rollout", live === undefined ? `${f.configuredPercentage}% configured (live unknown)` : `${live}% live since ${iso(f.gate!.liveSinceMs)}`)}
${row("Error rate", `${pct(f.errorRatePercent)} (${errorRateLimits(f)})`)}
${row("P95 latency", `${msText(f.latencyP95Ms)} (${latencyLimits(f)})`)}
${row("Health", `${f.health.healthy}/${f.health.total}`)}
</table>
<h2>Error rate across the stages</h2>
${renderChartSvg("Error rate (%)", "%", f.errorRateSeries, f.errorRateThresholdPercent, changes, fromMs, toMs, f.errorRateObjectivePercent)}
<h2>P95 latency across the stages</h2>
${renderChartSvg("P95 latency (ms)", "ms", f.latencyP95Series, f.latencyP95ThresholdMs, changes, fromMs, toMs, f.latencyP95ObjectiveMs)}
<h2>Key updates</h2>
<ul>
${keyUpdates(f)
  .map((u) => `<li>${escapeHtml(u)}</li>`)
  .join("\n")}
</ul>
<h2>Next milestone</h2>
<p>${escapeHtml(nextMilestone(f))}</p>
<h2>Contacts</h2>
<ul>
${contacts(f.roles)
  .map(([role, person]) => `<li>${role}: ${escapeHtml(person)}</li>`)
  .join("\n")}
</ul>
<p>Generated ${iso(f.generatedMs)} from Prometheus and the rollout gate's state.</p>
</body>
</html>
`;
}
