/**
 * The small, typed view of a Pulumi stack the rollout driver needs. The Automation API
 * (LocalWorkspace, which needs the Pulumi CLI) implements it in cli/rollout/automationStack.ts;
 * tests and the benchmark implement it in-process. Types only: no I/O here.
 */
import { DecisionRecord, GateState } from "../gate/types";

/** The config key the driver moves, with its namespace. */
export const PERCENTAGE_KEY = "genesis:rolloutPercentage";

/** The stack output that holds the rollout gate's state (percentage, liveSince, records). */
export const GATE_STATE_OUTPUT = "rolloutGateState";

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

/** The rollout gate's state from the stack outputs, when the outputs hold a valid one. */
export function gateStateFromOutputs(
  outputs: Readonly<Record<string, unknown>>,
): GateState | undefined {
  const s = outputs[GATE_STATE_OUTPUT] as GateState | undefined;
  if (s === undefined || s === null || typeof s !== "object") return undefined;
  if (typeof s.percentage !== "number" || typeof s.liveSinceMs !== "number") return undefined;
  return {
    ...s,
    records: Array.isArray(s.records) ? s.records : [],
    lastVerdicts: Array.isArray(s.lastVerdicts) ? s.lastVerdicts : [],
  };
}

/** The decision records from the stack outputs (empty when there are none). */
export function gateRecordsFromOutputs(
  outputs: Readonly<Record<string, unknown>>,
): readonly DecisionRecord[] {
  return gateStateFromOutputs(outputs)?.records ?? [];
}
