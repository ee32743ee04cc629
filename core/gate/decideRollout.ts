/**
 * The rollout decision: promotion, rollback, no change, or blocked, with the step rules,
 * the cool-down and its override, and the JSON record of every decision. Pure: time and
 * the evaluated checks are arguments.
 */
import { classifyTransition, transitionProblems } from "../rollout/steps";
import { summarizeVerdict } from "./checks";
import { renderDecisionTable } from "./decisionTable";
import {
  CheckResult,
  DecisionKind,
  DecisionRecord,
  GateSettings,
  GateState,
  MAX_DECISION_RECORDS,
} from "./types";

/** Whether a promotion must be judged on fetched data (the provider fetches only then). */
export function needsEvaluation(
  state: GateState | undefined,
  targetPercentage: number,
  nowMs: number,
  settings: GateSettings,
): boolean {
  if (state === undefined || targetPercentage <= state.percentage) return false;
  if (
    transitionProblems(settings.steps, settings.allowStepSkip, state.percentage, targetPercentage)
      .length > 0
  ) {
    return false;
  }
  return cooldownBlock(state, targetPercentage, nowMs, settings) === undefined;
}

/**
 * What a decision says: its reason and, for a block judged on checks, the table of every
 * check. Derived from the record alone, so whoever holds the record can show it.
 */
export function decisionMessage(record: DecisionRecord): string {
  return record.decision === "blocked" && record.checks.length > 0
    ? `${record.reason}\n${renderDecisionTable(record.checks)}`
    : record.reason;
}

/** What to do, the state to keep, the record of it and the message to show. */
export interface RolloutDecision {
  /** `apply`: the new state goes live; `block`: the promotion is refused (the old stage stays). */
  readonly outcome: "apply" | "block";
  /** The state to keep: after a block, the old stage with the new record and cool-down. */
  readonly state: GateState;
  /** The record of this decision. */
  readonly record: DecisionRecord;
  /** One line for an applied change; the reason and the check table for a block. */
  readonly message: string;
}

/** The input of {@link decideRollout}. */
export interface DecideRolloutInput {
  /** The gate's state; undefined when the gate is being created. */
  readonly state: GateState | undefined;
  /** The percentage asked for. */
  readonly targetPercentage: number;
  /** Now, ms since the epoch. */
  readonly nowMs: number;
  /** The gate's settings. */
  readonly settings: GateSettings;
  /** The evaluated checks; required when {@link needsEvaluation} said so. */
  readonly checks?: readonly CheckResult[];
}

function cooldownBlock(
  state: GateState,
  target: number,
  nowMs: number,
  settings: GateSettings,
): string | undefined {
  const c = state.cooldown;
  if (c === undefined || c.percentage !== target || nowMs >= c.untilMs) return undefined;
  if (settings.overrideReason !== "") return undefined;
  const leftSeconds = Math.ceil((c.untilMs - nowMs) / 1000);
  const after = c.cause === "blocked" ? "a blocked promotion" : `a rollback from ${target}%`;
  return `promotion from ${state.percentage}% to ${target}% is in cool-down after ${after} until ${new Date(c.untilMs).toISOString()} (${leftSeconds} s left); set genesis:gateOverrideReason to retry sooner`;
}

function withRecord(state: GateState, record: DecisionRecord): GateState["records"] {
  return [...state.records, record].slice(-MAX_DECISION_RECORDS);
}

function countsOf(checks: readonly CheckResult[]): string {
  const parts: string[] = [];
  for (const v of ["fail", "inconclusive", "error"] as const) {
    const names = checks.filter((c) => c.verdict === v).map((c) => c.name);
    if (names.length > 0) {
      const label = v === "fail" ? "failed" : v === "error" ? "could not be run" : "inconclusive";
      parts.push(`${label}: ${names.join(", ")}`);
    }
  }
  return parts.join("; ");
}

/**
 * Decides one gate change. Creation takes the percentage as the first stage. A rollback
 * always applies (records where it came from and starts a cool-down for that step). No
 * change does nothing. A promotion applies only when the transition is allowed, no
 * cool-down holds it (or an override reason is set, which is recorded) and every check
 * passed; otherwise it is blocked, the checks are kept and a cool-down starts.
 */
export function decideRollout(input: DecideRolloutInput): RolloutDecision {
  const { state, targetPercentage: to, nowMs, settings } = input;
  const time = new Date(nowMs).toISOString();
  const record = (
    from: number,
    decision: DecisionKind,
    reason: string,
    checks: readonly CheckResult[] = [],
    overrideReason?: string,
  ): DecisionRecord => ({
    time,
    from,
    to,
    decision,
    reason,
    checks,
    ...(overrideReason !== undefined ? { overrideReason } : {}),
  });

  if (state === undefined) {
    const r = record(to, "initial", `gate created at ${to}%; there is no earlier stage to judge`);
    return {
      outcome: "apply",
      state: { percentage: to, liveSinceMs: nowMs, lastVerdicts: [], records: [r] },
      record: r,
      message: decisionMessage(r),
    };
  }
  const from = state.percentage;
  const problems = transitionProblems(settings.steps, settings.allowStepSkip, from, to);
  if (problems.length > 0) {
    const r = record(from, "blocked", problems.join("; "));
    return {
      outcome: "block",
      state: { ...state, records: withRecord(state, r) },
      record: r,
      message: decisionMessage(r),
    };
  }
  const kind = classifyTransition(from, to);
  if (kind === "no-change") {
    const r = record(from, "no-change", `no change at ${to}%`);
    return { outcome: "apply", state, record: r, message: decisionMessage(r) };
  }
  if (kind === "rollback") {
    const r = record(
      from,
      "rollback",
      `rolled back from ${from}% to ${to}%; health and SLOs are not checked for a rollback`,
    );
    return {
      outcome: "apply",
      state: {
        percentage: to,
        liveSinceMs: nowMs,
        lastVerdicts: state.lastVerdicts,
        records: withRecord(state, r),
        cooldown: {
          percentage: from,
          untilMs: nowMs + settings.cooldownSeconds * 1000,
          cause: "rollback",
        },
        rolledBackFrom: from,
      },
      record: r,
      message: decisionMessage(r),
    };
  }
  const cooling = cooldownBlock(state, to, nowMs, settings);
  if (cooling !== undefined) {
    const r = record(from, "blocked", cooling);
    return {
      outcome: "block",
      state: { ...state, records: withRecord(state, r) },
      record: r,
      message: decisionMessage(r),
    };
  }
  const overrideUsed =
    state.cooldown !== undefined &&
    state.cooldown.percentage === to &&
    nowMs < state.cooldown.untilMs
      ? settings.overrideReason
      : undefined;
  const overrideNote = overrideUsed !== undefined ? `; cool-down overridden: ${overrideUsed}` : "";
  const checks = input.checks ?? [];
  const verdict = summarizeVerdict(checks);
  if (verdict === "pass") {
    const r = record(
      from,
      "promotion",
      `promoted from ${from}% to ${to}%: all ${checks.length} checks passed${overrideNote}`,
      checks,
      overrideUsed,
    );
    return {
      outcome: "apply",
      state: {
        percentage: to,
        liveSinceMs: nowMs,
        lastVerdicts: checks,
        records: withRecord(state, r),
      },
      record: r,
      message: decisionMessage(r),
    };
  }
  const why = checks.length === 0 ? "no checks were evaluated" : countsOf(checks);
  const r = record(
    from,
    "blocked",
    `promotion from ${from}% to ${to}% blocked (${verdict}): ${why}${overrideNote}`,
    checks,
    overrideUsed,
  );
  return {
    outcome: "block",
    state: {
      ...state,
      lastVerdicts: checks,
      records: withRecord(state, r),
      cooldown: {
        percentage: to,
        untilMs: nowMs + settings.cooldownSeconds * 1000,
        cause: "blocked",
      },
    },
    record: r,
    message: decisionMessage(r),
  };
}
