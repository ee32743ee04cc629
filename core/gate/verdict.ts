/**
 * The rollout verdict: whether `pulumi up` must fail after the gate's decision.
 *
 * The gate itself always completes its update, so that what it decided (the blocked record,
 * the cool-down, the unchanged live percentage) is saved as its state through the ordinary
 * update answer. A blocked promotion then fails the update through a second, tiny resource,
 * the verdict, whose error carries only the message. Failing the gate's own update would
 * have to carry that state back as partial-failure details, which travel in a gRPC trailer
 * limited to 64 KiB; the gate's serialized provider alone is close to that size.
 */
import { refusedRequested } from "../rollout/decide";
import { decisionMessage } from "./decideRollout";
import { DecisionRecord } from "./types";

/** What a verdict judges: the requested percentage and the gate's last decision. */
export interface VerdictInputs {
  /** The percentage the stack asks for (`genesis:rolloutPercentage`). */
  readonly targetPercentage: number;
  /** The gate's last decision record. */
  readonly lastDecision: DecisionRecord | undefined;
}

/**
 * The message `pulumi up` must fail with (the decision's reason and, when it was judged on
 * checks, their table), or undefined when the update may succeed: it fails
 * when the gate's last decision blocked a promotion to the requested percentage, and when
 * there is no decision to read (fails closed). A decision about another percentage (the
 * stack asked for something else since) does not fail this update.
 */
export function verdictFailure(inputs: VerdictInputs): string | undefined {
  const { targetPercentage, lastDecision } = inputs;
  if (lastDecision === undefined || typeof lastDecision !== "object") {
    return `rollout gate: no decision recorded for ${targetPercentage}%; the gate's state is missing its last decision, so the update cannot be judged`;
  }
  if (!refusedRequested(lastDecision, targetPercentage)) return undefined;
  return `rollout gate: ${decisionMessage(lastDecision)}`;
}
