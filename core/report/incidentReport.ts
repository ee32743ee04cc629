/**
 * The incident report a rollback writes: when the breach was detected, at which stage,
 * which check breached with its value and threshold, where the rollback went and when it
 * completed, and the timeline headings of the communication plan (T+0, T+5 min, T+15 min,
 * hourly, T+24 h post-incident). Pure: facts in, Markdown out.
 */
import { Breach } from "../rollout/bakeLoop";

/** The people a report names, from stack config. */
export interface Roles {
  /** The deployment lead's address; empty when unset. */
  readonly deploymentLead: string;
  /** The on-call engineer's address; empty when unset. */
  readonly onCall: string;
  /** The security lead's address; empty when unset. */
  readonly securityLead: string;
}

/** Everything an incident report states. */
export interface IncidentFacts {
  /** The stack. */
  readonly stack: string;
  /** staging or production. */
  readonly environment: string;
  /** What breached; absent for a rollback an operator asked for. */
  readonly breach?: Breach;
  /** Why, when an operator rolled back by hand. */
  readonly manualReason?: string;
  /** When the rollback started (detection for a breach), ms since the epoch. */
  readonly startedMs: number;
  /** The percentage rolled back from. */
  readonly fromPercentage: number;
  /** The percentage rolled back to. */
  readonly toPercentage: number;
  /** When the rollback's `pulumi up` completed, ms since the epoch; absent when it failed. */
  readonly completedMs?: number;
  /** Why the rollback did not complete, when it did not. */
  readonly rollbackError?: string;
  /** Highest error rate in percent. */
  readonly errorRateThresholdPercent: number;
  /** Highest P95 in ms. */
  readonly latencyP95ThresholdMs: number;
  /** Who to tell. */
  readonly roles: Roles;
}

/** The timeline headings, as offsets from detection in minutes, with their labels. */
export const TIMELINE: readonly { readonly label: string; readonly offsetMinutes: number }[] =
  Object.freeze([
    { label: "T+0", offsetMinutes: 0 },
    { label: "T+5 min", offsetMinutes: 5 },
    { label: "T+15 min", offsetMinutes: 15 },
    { label: "T+1 h", offsetMinutes: 60 },
    { label: "T+2 h", offsetMinutes: 120 },
    { label: "T+3 h", offsetMinutes: 180 },
    { label: "T+24 h post-incident", offsetMinutes: 24 * 60 },
  ]);

const iso = (ms: number): string => new Date(ms).toISOString();
const orUnset = (s: string): string => (s === "" ? "(not set in stack config)" : s);

/** The contacts of a report, one `[role, person]` pair per role (unset ones say so). */
export function contacts(roles: Roles): readonly (readonly [string, string])[] {
  return [
    ["Deployment lead", orUnset(roles.deploymentLead)],
    ["On-call", orUnset(roles.onCall)],
    ["Security lead", orUnset(roles.securityLead)],
  ];
}

/** The file name of an incident report: `incident-<stack>-<time>.md`. */
export function incidentFileName(stack: string, startedMs: number): string {
  return `incident-${stack}-${iso(startedMs).replace(/[:.]/g, "-")}.md`;
}

/** Renders the incident report as Markdown. */
export function renderIncidentReport(f: IncidentFacts): string {
  const b = f.breach;
  const lines: string[] = [
    `# Incident: rollback of ${f.stack} from ${f.fromPercentage}% to ${f.toPercentage}%`,
    "",
    `- Environment: ${f.environment}`,
    `- Detected: ${iso(f.startedMs)}`,
    `- Stage: ${f.fromPercentage}%`,
  ];
  if (b !== undefined) {
    lines.push(
      `- Breached check: ${b.check}: value ${b.value}, threshold ${b.threshold}`,
      `- Why: ${b.reason}`,
    );
  } else {
    lines.push(
      `- Breached check: none (rollback requested by an operator: ${f.manualReason ?? "no reason given"})`,
    );
  }
  lines.push(
    `- SLO thresholds: error rate < ${f.errorRateThresholdPercent.toFixed(2)}%, P95 latency < ${f.latencyP95ThresholdMs} ms`,
    `- Rollback target: ${f.toPercentage}%`,
    f.completedMs !== undefined
      ? `- Rollback completed: ${iso(f.completedMs)} (${Math.round((f.completedMs - f.startedMs) / 1000)} s after detection)`
      : `- Rollback completed: NO: ${f.rollbackError ?? "unknown"}; the stack config asks for ${f.toPercentage}%: run pulumi up --stack ${f.stack}`,
    "",
    "## Contacts",
    "",
    ...contacts(f.roles).map(([role, person]) => `- ${role}: ${person}`),
    "",
    "## Timeline",
  );
  for (const t of TIMELINE) {
    lines.push("", `### ${t.label} (${iso(f.startedMs + t.offsetMinutes * 60_000)})`, "");
    if (t.offsetMinutes === 0) {
      lines.push(
        b !== undefined
          ? `- Breach of ${b.check} detected at stage ${f.fromPercentage}%; rollback to ${f.toPercentage}% started.`
          : `- Rollback to ${f.toPercentage}% started by an operator.`,
        f.completedMs !== undefined
          ? `- Rollback to ${f.toPercentage}% completed at ${iso(f.completedMs)}.`
          : `- Rollback did not complete: ${f.rollbackError ?? "unknown"}.`,
      );
    } else if (t.offsetMinutes === 5) {
      lines.push(
        "- Confirm the rollback holds: genesis health and the error rate back under threshold.",
      );
    } else if (t.offsetMinutes === 15) {
      lines.push("- First update to stakeholders: impact, current state, next update time.");
    } else if (t.offsetMinutes < 24 * 60) {
      lines.push("- Hourly update until resolved.");
    } else {
      lines.push("- Post-incident review: root cause, what the gate saw, actions to take.");
    }
  }
  return `${lines.join("\n")}\n`;
}
