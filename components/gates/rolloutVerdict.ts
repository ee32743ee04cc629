/**
 * The rollout verdict: a small dynamic resource (`pulumi-nodejs:dynamic/gates:RolloutVerdict`)
 * after the gate, that fails `pulumi up` when the gate blocked the promotion the stack asks
 * for. The gate always completes its own update so that its decision, records and cool-down
 * are saved whole; see core/gate/verdict.ts for why the failure lives here.
 */
import * as pulumi from "@pulumi/pulumi";
import { DecisionRecord } from "../../core/gate/types";
import { verdictFailure, VerdictInputs } from "../../core/gate/verdict";

/** The arguments of a {@link RolloutVerdict}: what the stack asks for and what the gate did. */
export interface RolloutVerdictArgs {
  /** The percentage the stack asks for (`genesis:rolloutPercentage`). */
  readonly targetPercentage: pulumi.Input<number>;
  /** The gate's last decision (its `lastDecision` output). */
  readonly lastDecision: pulumi.Input<DecisionRecord>;
}

/** Succeeds with the judged inputs, or throws a plain error (no partial-failure details). */
function judge(inputs: Record<string, unknown>): { id: string; outs: Record<string, unknown> } {
  const failure = verdictFailure(inputs as unknown as VerdictInputs);
  if (failure !== undefined) throw new Error(failure);
  return { id: "rollout-verdict", outs: { ...inputs, outcome: "accepted" } };
}

const judged = (props: Record<string, unknown>): string =>
  JSON.stringify([props.targetPercentage, props.lastDecision]);

/** The provider: check and diff are pure; create and update judge, with no network I/O. */
const rolloutVerdictProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { inputs: news };
  },
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { changes: judged(olds) !== judged(news) };
  },
  async create(inputs: Record<string, unknown>) {
    return judge(inputs);
  },
  async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { outs: judge(news).outs };
  },
};

/**
 * Fails the update, with the gate's reason and check table, when the gate blocked a
 * promotion to `targetPercentage`; succeeds for promotions, rollbacks and no change.
 */
export class RolloutVerdict extends pulumi.dynamic.Resource {
  /** `accepted` once the update's decision has been judged and let through. */
  declare readonly outcome: pulumi.Output<string>;

  constructor(name: string, args: RolloutVerdictArgs, opts: pulumi.CustomResourceOptions = {}) {
    super(
      rolloutVerdictProvider,
      name,
      {
        targetPercentage: args.targetPercentage,
        lastDecision: args.lastDecision,
        outcome: undefined,
      },
      opts,
      "gates",
      "RolloutVerdict",
    );
  }
}
