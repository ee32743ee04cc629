/**
 * What the rollout gate keeps of a decision: its state (live stage, cool-down, records) and
 * the JSON record of every decision. The decision itself (promote, hold, roll back) is made
 * in core/rollout/decide.ts; this file only keeps it. Pure: time and the evaluated checks
 * are arguments.
 */
import {
  Decision,
  decideOnMeasurements,
  decideStep,
  decideWithoutMeasuring,
  LiveStage,
  StepQuestion,
} from "../rollout/decide";
import { renderDecisionTable } from "./decisionTable";
import {
  CheckResult,
  DecisionRecord,
  GateSettings,
  GateState,
  MAX_DECISION_RECORDS,
} from "./types";

/** The gate's question: move from its live state to `targetPercentage`, now. */
export function gateQuestion(
  state: GateState | undefined,
  targetPercentage: number,
  nowMs: number,
  settings: GateSettings,
): StepQuestion {
  return {
    live:
      state === undefined
        ? undefined
        : {
            percentage: state.percentage,
            liveSinceMs: state.liveSinceMs,
            ...(state.cooldown !== undefined ? { cooldown: state.cooldown } : {}),
          },
    requested: targetPercentage,
    nowMs,
    rules: {
      steps: settings.steps,
      allowStepSkip: settings.allowStepSkip,
      overrideReason: settings.overrideReason,
    },
  };
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
  /** The evaluated checks; used when the first phase says the promotion must be measured. */
  readonly checks?: readonly CheckResult[];
}

function withRecord(state: GateState, record: DecisionRecord): GateState["records"] {
  return [...state.records, record].slice(-MAX_DECISION_RECORDS);
}

/**
 * What the gate keeps after `decision` (decided in core/rollout/decide.ts): a promotion or
 * a first stage goes live; a rollback goes live, remembers where it came from and starts a
 * cool-down for that step; no change keeps the state; anything else keeps the live stage
 * (the gate moves only where the stack config asks, so a breach holds it too), adds the
 * record and, when checks were judged or a cool-down held it, starts or keeps a cool-down.
 */
export function gateAfter(
  state: GateState | undefined,
  decision: Decision,
  nowMs: number,
  settings: GateSettings,
): RolloutDecision {
  const { from, to, checks } = decision;
  const record: DecisionRecord = {
    time: new Date(nowMs).toISOString(),
    from,
    to,
    decision: decision.kind,
    reason: decision.reason,
    checks,
    ...(decision.overrideReason !== undefined ? { overrideReason: decision.overrideReason } : {}),
  };
  const done = (outcome: RolloutDecision["outcome"], next: GateState): RolloutDecision => ({
    outcome,
    state: next,
    record,
    message: decisionMessage(record),
  });
  if (state === undefined) {
    return done("apply", {
      percentage: to,
      liveSinceMs: nowMs,
      lastVerdicts: [],
      records: [record],
    });
  }
  if (decision.basis === "no change") return done("apply", state);
  if (decision.basis === "rollback asked") {
    return done("apply", {
      percentage: to,
      liveSinceMs: nowMs,
      lastVerdicts: state.lastVerdicts,
      records: withRecord(state, record),
      cooldown: {
        percentage: from,
        untilMs: nowMs + settings.cooldownSeconds * 1000,
        cause: "rollback",
      },
      rolledBackFrom: from,
    });
  }
  if (decision.action === "promote") {
    return done("apply", {
      percentage: to,
      liveSinceMs: nowMs,
      lastVerdicts: checks,
      records: withRecord(state, record),
    });
  }
  if (decision.basis !== "measurements") {
    return done("block", { ...state, records: withRecord(state, record) });
  }
  return done("block", {
    ...state,
    lastVerdicts: checks,
    records: withRecord(state, record),
    cooldown: {
      percentage: to,
      untilMs: nowMs + settings.cooldownSeconds * 1000,
      cause: "blocked",
    },
  });
}

/**
 * Decides one gate change with both phases of core/rollout/decide.ts, `checks` standing for
 * the measurement, and returns what the gate keeps ({@link gateAfter}).
 */
export function decideRollout(input: DecideRolloutInput): RolloutDecision {
  const { state, targetPercentage, nowMs, settings } = input;
  const q = gateQuestion(state, targetPercentage, nowMs, settings);
  const decision = decideStep(q, () => ({ checks: input.checks ?? [] }));
  return gateAfter(state, decision, nowMs, settings);
}

/**
 * Decides one gate change in its two phases: the first decides what needs no measurement;
 * only a promotion left to judge calls `measure` (the provider's fetch and evaluation).
 * Returns what the gate keeps ({@link gateAfter}).
 */
export async function decideGateChange(
  state: GateState | undefined,
  targetPercentage: number,
  nowMs: number,
  settings: GateSettings,
  measure: (live: LiveStage) => Promise<readonly CheckResult[]>,
): Promise<RolloutDecision> {
  const q = gateQuestion(state, targetPercentage, nowMs, settings);
  const first = decideWithoutMeasuring(q);
  const decision =
    first.phase === "decided"
      ? first.decision
      : decideOnMeasurements(q, { checks: await measure(first.live) });
  return gateAfter(state, decision, nowMs, settings);
}
