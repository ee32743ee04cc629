/**
 * The rollout gate: a Pulumi dynamic resource (`pulumi-nodejs:dynamic/gates:RolloutGate`)
 * whose update promotes only on healthy, sufficient data, always lets a rollback through
 * and keeps the recent decision records in its state. Thin: fetch (gateProbe) -> parse,
 * evaluate and decide (core/gate) -> save the decision. A blocked promotion keeps the live
 * percentage and is saved too; the RolloutVerdict declared after the gate then fails the
 * update with the reason and the check table (see core/gate/verdict.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  decideGateChange,
  decideRollout,
  gateQuestion,
  RolloutDecision,
} from "../../core/gate/decideRollout";
import { decideWithoutMeasuring } from "../../core/rollout/decide";
import { describeTransition } from "../../core/rollout/steps";
import { CheckResult, DecisionRecord, GateSettings, GateState } from "../../core/gate/types";
import { redactUrl } from "../../core/redact";
import { evaluateGateNow } from "../../io/gateProbe";

/** The value Pulumi passes for an input not known yet (during preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The arguments of a {@link RolloutGate}. */
export interface RolloutGateArgs {
  /**
   * The percentage the stack asks for (`genesis:rolloutPercentage`). Above the live one it
   * is a promotion and must pass the gate; below it, a rollback that always goes through.
   */
  readonly targetPercentage: pulumi.Input<number>;
  /** What the gate judges by and where it reaches the components (see gateSettingsFromConfig). */
  readonly settings: pulumi.Input<GateSettings>;
}

/** The inputs the provider receives, after Check. */
interface GateInputs {
  readonly targetPercentage: number;
  readonly settings: GateSettings;
  readonly transition?: string;
  readonly __provider?: string;
}

/** The state a gate's outputs hold. */
interface GateOutputs extends GateInputs {
  readonly percentage: number;
  readonly liveSince: string;
  readonly state: GateState;
  readonly records: readonly DecisionRecord[];
  readonly lastVerdicts: readonly CheckResult[];
  readonly lastDecision: DecisionRecord;
}

/** The outputs for inputs `inputs` after `decision` (JSON-clean: no undefined values). */
function outputsOf(inputs: GateInputs, decision: RolloutDecision): GateOutputs {
  const s = decision.state;
  return JSON.parse(
    JSON.stringify({
      ...inputs,
      percentage: s.percentage,
      liveSince: new Date(s.liveSinceMs).toISOString(),
      state: s,
      records: s.records,
      lastVerdicts: s.lastVerdicts,
      lastDecision: decision.record,
    }),
  ) as GateOutputs;
}

/** The live state from old outputs, or undefined when they hold none. */
function stateOf(olds: Record<string, unknown>): GateState | undefined {
  const s = olds.state as GateState | undefined;
  return s !== undefined && typeof s === "object" && typeof s.percentage === "number"
    ? s
    : undefined;
}

/**
 * What the decision's first phase refuses by the step rules for a move from `from` (the
 * gate's first stage when undefined) to `to`, as failure reasons; empty when allowed.
 */
function refusedByStepRules(
  from: number | undefined,
  to: number,
  settings: GateSettings,
): string[] {
  const first = decideWithoutMeasuring(
    gateQuestion(
      from === undefined
        ? undefined
        : { percentage: from, liveSinceMs: 0, lastVerdicts: [], records: [] },
      to,
      0,
      settings,
    ),
  );
  if (first.phase === "measure" || first.decision.basis !== "step rules") return [];
  return from === undefined
    ? [`targetPercentage must be one of ${settings.steps.join(",")}; got ${to}`]
    : [first.decision.reason];
}

/** The provider: check and diff are pure (no network I/O at preview); update fetches. */
const rolloutGateProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const to = news.targetPercentage;
    const settings = news.settings as GateSettings | string | undefined;
    if (
      to === UNKNOWN ||
      typeof settings !== "object" ||
      !Array.isArray(settings.steps) ||
      typeof settings.allowStepSkip !== "boolean"
    ) {
      return { inputs: news };
    }
    if (typeof to !== "number" || !Number.isInteger(to)) {
      return {
        inputs: news,
        failures: [
          {
            property: "targetPercentage",
            reason: `targetPercentage must be one of ${settings.steps.join(",")}; got ${JSON.stringify(to)}`,
          },
        ],
      };
    }
    const from = typeof olds.targetPercentage === "number" ? olds.targetPercentage : undefined;
    const problems = refusedByStepRules(from, to, settings);
    return {
      inputs: { ...news, transition: describeTransition(from, to) },
      failures: problems.map((reason) => ({ property: "targetPercentage", reason })),
    };
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const live = stateOf(olds)?.percentage;
    const settings = news.settings as GateSettings | undefined;
    const to = news.targetPercentage;
    if (
      live !== undefined &&
      typeof to === "number" &&
      typeof settings === "object" &&
      Array.isArray(settings.steps) &&
      typeof settings.allowStepSkip === "boolean"
    ) {
      // Check saw only the last requested percentage; the live one is in the state. A step
      // skipped from the live percentage fails the preview here, with no network I/O.
      const problems = refusedByStepRules(live, to, settings);
      if (problems.length > 0) throw new Error(`rollout gate: ${problems.join("; ")}`);
    }
    const changes =
      live === undefined ||
      news.targetPercentage !== live ||
      JSON.stringify(news.settings) !== JSON.stringify(olds.settings);
    return { changes };
  },

  async create(inputs: Record<string, unknown>) {
    const news = inputs as unknown as GateInputs;
    const decision = decideRollout({
      state: undefined,
      targetPercentage: news.targetPercentage,
      nowMs: Date.now(),
      settings: news.settings,
    });
    return { id: "rollout-gate", outs: outputsOf(news, decision) };
  },

  async update(_id: string, olds: Record<string, unknown>, newsRaw: Record<string, unknown>) {
    const news = newsRaw as unknown as GateInputs;
    const state = stateOf(olds);
    const nowMs = Date.now();
    // Two phases: only a promotion the first phase leaves to judge is measured (fetched).
    const decision = await decideGateChange(
      state,
      news.targetPercentage,
      nowMs,
      news.settings,
      (live) => evaluateGateNow(news.settings, live.percentage, live.liveSinceMs, nowMs),
    );
    // A blocked promotion is saved like any other decision (old stage, new record,
    // cool-down); the RolloutVerdict after the gate fails the update with its message.
    const outs = outputsOf(news, decision);
    return { outs };
  },
};

/** Whether any endpoint URL of `settings` carries credentials (`user:password@`, `token@`). */
export function endpointsCarryCredentials(settings: GateSettings): boolean {
  return Object.values(settings.endpoints).some((url) => redactUrl(url) !== url);
}

/**
 * A rollout gate. Raising `targetPercentage` moves the live `percentage` only when the
 * current stage has been healthy for its whole validation window (pair it with a
 * RolloutVerdict so that a blocked promotion fails the update); lowering it always
 * succeeds; no change does nothing. Preview does no network I/O; Check refuses a skipped
 * step or a percentage that is not a step. Downstream resources (the flagd flag file) should take `percentage`,
 * the percentage actually live, and depend on the gate.
 */
export class RolloutGate extends pulumi.dynamic.Resource {
  /** The percentage live now (after a blocked promotion, still the old one). */
  declare readonly percentage: pulumi.Output<number>;
  /** When the live percentage went live (ISO 8601). */
  declare readonly liveSince: pulumi.Output<string>;
  /** The most recent decision records, oldest first, at most 20. */
  declare readonly records: pulumi.Output<DecisionRecord[]>;
  /** The checks of the last evaluation. */
  declare readonly lastVerdicts: pulumi.Output<CheckResult[]>;
  /** The record of the last decision. */
  declare readonly lastDecision: pulumi.Output<DecisionRecord>;
  /** The whole gate state (percentage, live since, cool-down, records). */
  declare readonly state: pulumi.Output<GateState>;
  /** What the last Check saw: `promotion 5% -> 10%`, `rollback 25% -> 10%`, `no change at 5%`. */
  declare readonly transition: pulumi.Output<string>;

  constructor(name: string, args: RolloutGateArgs, opts: pulumi.CustomResourceOptions = {}) {
    // An endpoint may carry credentials in its URL: then the settings travel, and sit in the
    // state, as a secret (the provider still receives them in plain text, as it must).
    const settings = pulumi
      .output(args.settings)
      .apply((s) => (endpointsCarryCredentials(s) ? pulumi.secret(s) : s));
    super(
      rolloutGateProvider,
      name,
      {
        targetPercentage: args.targetPercentage,
        settings,
        transition: undefined,
        percentage: undefined,
        liveSince: undefined,
        records: undefined,
        lastVerdicts: undefined,
        lastDecision: undefined,
        state: undefined,
      },
      {
        ...opts,
        // The outputs echo the settings: never in plain text, whatever their inputs were.
        additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "settings"],
      },
      "gates",
      "RolloutGate",
    );
  }
}
