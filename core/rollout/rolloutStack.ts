/**
 * The small, typed view of a Pulumi stack the rollout driver needs. The Automation API
 * (LocalWorkspace, which needs the Pulumi CLI) implements it in cli/rollout/automationStack.ts;
 * tests and the benchmark implement it in-process. Types only: no I/O here.
 */
import { DecisionRecord, GateState } from "../gate/types";

/** The config key the driver moves, with its namespace. */
export const PERCENTAGE_KEY = "genesis:rolloutPercentage";

/**
 * The stack outputs the program exports from its rollout gate: the live percentage, when
 * it went live (ISO 8601) and the recent decision records.
 */
export const GATE_OUTPUTS = Object.freeze({
  livePercentage: "livePercentage",
  liveSince: "liveSince",
  records: "gateRecords",
});

/** What a preview would change. */
export interface StackPreview {
  /** Resource operations by kind (`same`, `update`, `create`, ...), as Pulumi counts them. */
  readonly changeSummary: Readonly<Record<string, number>>;
  /** The preview's text, as Pulumi printed it. */
  readonly text: string;
}

/** The operations the rollout driver performs on one stack. */
export interface RolloutStack {
  /** The stack's name. */
  readonly name: string;
  /** A config value (`genesis:rolloutPercentage`), or undefined when the stack does not set it. */
  getConfig(key: string): Promise<string | undefined>;
  /** Sets a config value in the stack's settings file. */
  setConfig(key: string, value: string): Promise<void>;
  /** Runs `pulumi up`; rejects with Pulumi's message when the update fails. */
  up(message: string): Promise<void>;
  /** Runs `pulumi preview`; rejects with Pulumi's message when the preview fails. */
  preview(message: string): Promise<StackPreview>;
  /** The stack's outputs, unwrapped (secrets included as plain values). */
  outputs(): Promise<Readonly<Record<string, unknown>>>;
}

/** Raised when a stack operation failed; `operation` names it. */
export class StackOperationError extends Error {
  constructor(
    /** `up`, `preview`, `setConfig`, ... */
    readonly operation: string,
    message: string,
  ) {
    super(`pulumi ${operation} failed: ${message}`);
    this.name = "StackOperationError";
  }
}

/**
 * The rollout gate's state from the stack outputs ({@link GATE_OUTPUTS}), when they hold a
 * valid live percentage and time; undefined otherwise (the caller fails closed). The
 * cool-down is not exported, so it is absent here.
 */
export function gateStateFromOutputs(
  outputs: Readonly<Record<string, unknown>>,
): GateState | undefined {
  const percentage = outputs[GATE_OUTPUTS.livePercentage];
  const since = outputs[GATE_OUTPUTS.liveSince];
  const liveSinceMs = typeof since === "string" ? Date.parse(since) : Number.NaN;
  if (
    typeof percentage !== "number" ||
    !Number.isInteger(percentage) ||
    Number.isNaN(liveSinceMs)
  ) {
    return undefined;
  }
  const records = outputs[GATE_OUTPUTS.records];
  return {
    percentage,
    liveSinceMs,
    lastVerdicts: [],
    records: Array.isArray(records) ? (records as DecisionRecord[]) : [],
  };
}

/** The stack outputs of gate state `state`, as the program exports them. */
export function gateOutputsOf(state: GateState): Record<string, unknown> {
  return {
    [GATE_OUTPUTS.livePercentage]: state.percentage,
    [GATE_OUTPUTS.liveSince]: new Date(state.liveSinceMs).toISOString(),
    [GATE_OUTPUTS.records]: state.records,
  };
}
