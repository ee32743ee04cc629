/**
 * Whether the deployed stack is where its config says, judged from the gate's state (the
 * stack outputs): the percentage live is the one the stack asks for, and the last decision
 * did not block a promotion. What the post-deployment job reads after a rollout. Pure.
 */
import { DecisionRecord, GateState } from "../gate/types";

/** The verdict on a deployed stack, with the figures it was judged on. */
export interface DeploymentStatus {
  /** pass: live as asked, the last decision not a block; fail otherwise. */
  readonly verdict: "pass" | "fail";
  /** Why, in one sentence with the figures. */
  readonly reason: string;
  /** The percentage the stack asks for (`genesis:rolloutPercentage`). */
  readonly configured: number;
  /** The percentage live (the gate's state). */
  readonly live: number;
  /** The gate's last decision record, if it kept any. */
  readonly lastDecision?: DecisionRecord;
}

/** Judges stack config asking for `configured` % against the gate's state `gate`. */
export function deploymentStatus(configured: number, gate: GateState): DeploymentStatus {
  const last = gate.records.at(-1);
  const base = {
    configured,
    live: gate.percentage,
    ...(last !== undefined ? { lastDecision: last } : {}),
  };
  const since = new Date(gate.liveSinceMs).toISOString();
  if (last?.decision === "blocked") {
    return {
      ...base,
      verdict: "fail",
      reason: `the last decision (${last.time}) blocked the promotion from ${last.from}% to ${last.to}%: ${last.reason}`,
    };
  }
  if (gate.percentage !== configured) {
    return {
      ...base,
      verdict: "fail",
      reason: `the stack asks for ${configured}% but ${gate.percentage}% is live (since ${since}): run pulumi up, or set genesis:rolloutPercentage to the live stage`,
    };
  }
  const what =
    last === undefined
      ? "no decision recorded"
      : `the last decision (${last.time}): ${last.decision} ${last.from}% -> ${last.to}%`;
  return {
    ...base,
    verdict: "pass",
    reason: `${gate.percentage}% live since ${since}, as the stack asks; ${what}`,
  };
}
