/**
 * What the rollout driver does after a stage's bake was decided (core/rollout/decide.ts):
 * promote to the next step, finish at the last one, roll back one step, or hold (stay, say
 * why and what to run). Pure.
 */
import { BakeOutcome, Breach } from "./bakeLoop";
import { nextStep, previousStep } from "./steps";

/** The driver's next action, in the decision's vocabulary (plus `complete` at the end). */
export type RolloutAction =
  | { readonly kind: "promote"; readonly from: number; readonly to: number }
  | { readonly kind: "complete"; readonly percentage: number }
  | {
      readonly kind: "rollback";
      readonly from: number;
      readonly to: number;
      readonly breach: Breach;
    }
  | { readonly kind: "hold"; readonly exitCode: 1 | 2; readonly message: string };

/** What the decision needs besides the bake's outcome. */
export interface RolloutContext {
  /** The stack's name, for the commands the messages suggest. */
  readonly stack: string;
  /** The steps this rollout walks. */
  readonly plannedSteps: readonly number[];
  /** The stack's own steps (a rollback lands on one of them). */
  readonly stackSteps: readonly number[];
  /** The stage that baked. */
  readonly percentage: number;
  /** Whether a breach rolls back by itself. */
  readonly autoRollback: boolean;
}

/**
 * The action after a bake ended with `outcome` (never `continue`). A pass promotes to the
 * next planned step or completes at the last; a breach rolls back to the step before (with
 * auto-rollback) or stops naming the command to run (exit 1); an undecided stage never
 * promotes: it stops with the reason (exit 2), leaving the stack where it is to resume.
 */
export function decideAfterBake(
  outcome: Exclude<BakeOutcome, { kind: "wait" }>,
  ctx: RolloutContext,
): RolloutAction {
  const at = ctx.percentage;
  if (outcome.kind === "promote") {
    const to = nextStep(ctx.plannedSteps, at);
    return to === undefined
      ? { kind: "complete", percentage: at }
      : { kind: "promote", from: at, to };
  }
  if (outcome.kind === "hold") {
    return {
      kind: "hold",
      exitCode: 2,
      message: `stage ${at}% could not be judged, so it is not promoted (the stack stays at ${at}%): ${outcome.reason}\nfix what is named, then resume with: genesis rollout --stack ${ctx.stack}`,
    };
  }
  const to = previousStep(ctx.stackSteps, at);
  if (ctx.autoRollback && at > to) {
    return { kind: "rollback", from: at, to, breach: outcome.breach };
  }
  const b = outcome.breach;
  const advice =
    at > to
      ? `genesis:autoRollback is off; roll back with: genesis rollback --stack ${ctx.stack} (to ${to}%)`
      : "there is no lower step to roll back to";
  return {
    kind: "hold",
    exitCode: 1,
    message: `stage ${at}% breached ${b.check}: ${b.reason} (value ${b.value}, threshold ${b.threshold})\nthe stack stays at ${at}%; ${advice}`,
  };
}
