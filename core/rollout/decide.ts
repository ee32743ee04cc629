/**
 * The one place that decides a rollout step: promote, hold, roll back, or wait, always with
 * a reason and the checks it was judged on. The gate provider (`pulumi up`), the bake loop
 * (`genesis rollout`), the rollout verdict and `genesis gate` all decide here.
 *
 * A decision has two explicit phases:
 * 1. {@link decideWithoutMeasuring}: what can be decided from the question alone (the step
 *    rules, a rollback, no change, a cool-down), or else that the checks must be measured;
 * 2. {@link decideOnMeasurements}: the decision on the measured checks (and, in a bake, a
 *    breach its SLO rules saw on their short window, and the end of its window).
 * Pure: time and the measurements are arguments.
 */
import { checkSpec } from "../gate/checkCatalogue";
import { summarizeVerdict } from "../gate/checks";
import { CheckResult, Cooldown, DecisionKind } from "../gate/types";
import { classifyTransition, isStep, transitionProblems } from "./steps";

/** What a decision does; the rollout's one vocabulary of outcomes. */
export type Action =
  /** Move up to the step asked for (or, for a first stage, take it). */
  | "promote"
  /** Stay at the live stage: the move is not allowed, not judged yet, or not proven good. */
  | "hold"
  /** Move down: asked for, or the live stage breached its SLOs. */
  | "rollback"
  /** Stay and measure again later: the validation window has not ended and nothing breached. */
  | "wait";

/** The step rules a decision applies. */
export interface StepRules {
  /** The rollout steps in percent, ascending from 0 to 100. */
  readonly steps: readonly number[];
  /** Whether a promotion may jump over steps. */
  readonly allowStepSkip: boolean;
  /** A reason to skip the cool-down; empty when none. */
  readonly overrideReason: string;
}

/** The stage live now. */
export interface LiveStage {
  /** Its percentage. */
  readonly percentage: number;
  /** When it went live, ms since the epoch. */
  readonly liveSinceMs: number;
  /** The cool-down in force, if any. */
  readonly cooldown?: Cooldown;
}

/** What is asked: move from the live stage to `requested`, now. */
export interface StepQuestion {
  /** The live stage; undefined when nothing is live yet (the gate is being created). */
  readonly live: LiveStage | undefined;
  /** The percentage asked for. */
  readonly requested: number;
  /** Now, ms since the epoch. */
  readonly nowMs: number;
  /** The step rules. */
  readonly rules: StepRules;
}

/** A breach seen between the window's checks (the bake's SLO rules on their short window). */
export interface SeenBreach {
  /** The check that breached (a name of the check catalogue). */
  readonly check: string;
  /** The measured value as text. */
  readonly value: string;
  /** The threshold as text. */
  readonly threshold: string;
  /** One sentence with the numbers. */
  readonly reason: string;
}

/** What the second phase judges. */
export interface Measurements {
  /** The checks measured now: health, and the SLO checks over the validation window. */
  readonly checks: readonly CheckResult[];
  /** A breach the bake's SLO rules saw on their short window, if any. */
  readonly breach?: SeenBreach;
  /**
   * When the validation window ends, ms since the epoch, for a caller that can come back
   * later (the bake): before then, a stage that did not breach waits instead of holding.
   */
  readonly windowEndsMs?: number;
}

/**
 * What a decision was made on: a first stage, the step rules (not a step, or a skip), no
 * change, a rollback asked for, a cool-down, or measured checks.
 */
export type DecisionBasis =
  "first stage" | "step rules" | "no change" | "rollback asked" | "cool-down" | "measurements";

/** A decision. */
export interface Decision {
  /** What to do. */
  readonly action: Action;
  /** The live percentage (the requested one when nothing was live). */
  readonly from: number;
  /** The percentage asked for. */
  readonly to: number;
  /** How the gate's decision records name it (their persisted word). */
  readonly kind: DecisionKind;
  /** Why, in one sentence with the numbers. */
  readonly reason: string;
  /** The checks it was judged on (none when decided without measuring). */
  readonly checks: readonly CheckResult[];
  /** The operator's override reason, when it lifted a cool-down. */
  readonly overrideReason?: string;
  /** For a rollback on measurements: the check that breached. */
  readonly breach?: SeenBreach;
  /** What it was decided on. */
  readonly basis: DecisionBasis;
}

/** The first phase's answer: decided, or the checks must be measured first. */
export type FirstPhase =
  | { readonly phase: "decided"; readonly decision: Decision }
  | { readonly phase: "measure"; readonly live: LiveStage };

function cooldownReason(live: LiveStage, to: number, nowMs: number): string | undefined {
  const c = live.cooldown;
  if (c === undefined || c.percentage !== to || nowMs >= c.untilMs) return undefined;
  const leftSeconds = Math.ceil((c.untilMs - nowMs) / 1000);
  const after = c.cause === "blocked" ? "a blocked promotion" : `a rollback from ${to}%`;
  return `promotion from ${live.percentage}% to ${to}% is in cool-down after ${after} until ${new Date(c.untilMs).toISOString()} (${leftSeconds} s left); set genesis:gateOverrideReason to retry sooner`;
}

/** The override reason a promotion uses: set while a cool-down for its step is in force. */
function overrideUsed(q: StepQuestion): string | undefined {
  const c = q.live?.cooldown;
  return c !== undefined &&
    c.percentage === q.requested &&
    q.nowMs < c.untilMs &&
    q.rules.overrideReason !== ""
    ? q.rules.overrideReason
    : undefined;
}

/**
 * Phase one. Creation takes the requested percentage as the first stage (promote) when it
 * is a step. A move
 * the step rules refuse holds. No change holds. A rollback always goes through (nothing is
 * measured for it). A promotion in cool-down holds unless an override reason is set.
 * Anything else is a promotion to judge: measure.
 */
export function decideWithoutMeasuring(q: StepQuestion): FirstPhase {
  const to = q.requested;
  const decided = (d: Omit<Decision, "to" | "checks">): FirstPhase => ({
    phase: "decided",
    decision: { ...d, to, checks: [] },
  });
  if (q.live === undefined) {
    if (!isStep(q.rules.steps, to)) {
      return decided({
        action: "hold",
        from: to,
        kind: "blocked",
        basis: "step rules",
        reason: `cannot start at ${to}%: ${to} is not a rollout step; allowed steps are ${q.rules.steps.join(",")}`,
      });
    }
    return decided({
      action: "promote",
      from: to,
      kind: "initial",
      basis: "first stage",
      reason: `gate created at ${to}%; there is no earlier stage to judge`,
    });
  }
  const from = q.live.percentage;
  const problems = transitionProblems(q.rules.steps, q.rules.allowStepSkip, from, to);
  if (problems.length > 0) {
    return decided({
      action: "hold",
      from,
      kind: "blocked",
      reason: problems.join("; "),
      basis: "step rules",
    });
  }
  const move = classifyTransition(from, to);
  if (move === "no-change") {
    return decided({
      action: "hold",
      from,
      kind: "no-change",
      basis: "no change",
      reason: `no change at ${to}%`,
    });
  }
  if (move === "rollback") {
    return decided({
      action: "rollback",
      from,
      kind: "rollback",
      basis: "rollback asked",
      reason: `rolled back from ${from}% to ${to}%; health and SLOs are not checked for a rollback`,
    });
  }
  const cooling = cooldownReason(q.live, to, q.nowMs);
  if (cooling !== undefined && q.rules.overrideReason === "") {
    return decided({ action: "hold", from, kind: "blocked", basis: "cool-down", reason: cooling });
  }
  return { phase: "measure", live: q.live };
}

function namesBy(checks: readonly CheckResult[]): string {
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

/** The first window check that failed and whose failure is a breach, if any. */
function breachedCheck(checks: readonly CheckResult[]): CheckResult | undefined {
  return checks.find((c) => c.verdict === "fail" && checkSpec(c.name)?.breach === true);
}

/**
 * Phase two, for a promotion phase one left to measure (or a bake's stage): a breach the
 * SLO rules saw rolls back; before the window's end the stage waits; then a failed check
 * whose failure is a breach (error rate, P95 latency, canary vs stable) rolls back; any
 * other check not passing (or, in a bake, no SLO check at all) holds; every check passing
 * promotes.
 * Whoever cannot move down by itself (the gate moves only where the stack config asks)
 * keeps the live stage for every action but promote.
 */
export function decideOnMeasurements(q: StepQuestion, m: Measurements): Decision {
  const to = q.requested;
  const from = q.live?.percentage ?? to;
  const checks = m.checks;
  const override = overrideUsed(q);
  const note = override !== undefined ? `; cool-down overridden: ${override}` : "";
  const base = {
    from,
    to,
    checks,
    basis: "measurements" as const,
    ...(override !== undefined ? { overrideReason: override } : {}),
  };
  const verdict = summarizeVerdict(checks);
  const blocked = (action: Action, breach?: SeenBreach): Decision => {
    const why =
      checks.length === 0
        ? "no checks were evaluated"
        : verdict === "pass"
          ? "no SLO checks were measured"
          : namesBy(checks);
    return {
      ...base,
      action,
      kind: "blocked",
      reason: `promotion from ${from}% to ${to}% blocked (${verdict === "pass" ? "inconclusive" : verdict}): ${why}${note}`,
      ...(breach !== undefined ? { breach } : {}),
    };
  };
  if (m.breach !== undefined) {
    return {
      ...base,
      action: "rollback",
      kind: "blocked",
      reason: m.breach.reason,
      breach: m.breach,
    };
  }
  if (m.windowEndsMs !== undefined && q.nowMs < m.windowEndsMs) {
    const left = Math.ceil((m.windowEndsMs - q.nowMs) / 1000);
    return {
      ...base,
      action: "wait",
      kind: "blocked",
      reason: `stage ${from}% is in its validation window until ${new Date(m.windowEndsMs).toISOString()} (${left} s left)`,
    };
  }
  const failed = breachedCheck(checks);
  if (failed !== undefined) {
    return blocked("rollback", {
      check: failed.name,
      value: failed.value,
      threshold: failed.threshold,
      reason: `${failed.reason} over the validation window`,
    });
  }
  // A bake judges its window: having measured no SLO check over it proves nothing.
  const windowUnmeasured =
    m.windowEndsMs !== undefined && !checks.some((c) => checkSpec(c.name)?.group === "window");
  if (verdict !== "pass" || windowUnmeasured) return blocked("hold");
  return {
    ...base,
    action: "promote",
    kind: "promotion",
    reason: `promoted from ${from}% to ${to}%: all ${checks.length} checks passed${note}`,
  };
}

/** Both phases, for a caller that measured before asking (or needs no measurement). */
export function decideStep(q: StepQuestion, measure: () => Measurements): Decision {
  const first = decideWithoutMeasuring(q);
  return first.phase === "decided" ? first.decision : decideOnMeasurements(q, measure());
}

/**
 * Whether a recorded decision refused the percentage the stack asks for now: a promotion
 * to `requested` that did not go through (held, waiting, or breached: the gate keeps the
 * live stage for all three). A decision about another percentage refuses nothing now.
 */
export function refusedRequested(
  record: { readonly decision: DecisionKind; readonly to: number },
  requested: number,
): boolean {
  return record.decision === "blocked" && record.to === requested;
}
