/**
 * The gate's state as a deployed stack exports it (its outputs, read through the Pulumi
 * CLI): the one place the operator commands open a stack for it. Each command words what it
 * cannot get in its own way.
 */
import { GateState } from "../core/gate/types";
import { gateStateFromOutputs } from "../core/rollout/rolloutStack";
import { rolloutEnvironment } from "./commands/rollout";

/** The gate's state, outputs without it, or outputs that could not be read and why. */
export type StackGateState =
  | { readonly kind: "state"; readonly gate: GateState }
  | { readonly kind: "missing" }
  | { readonly kind: "unreadable"; readonly error: unknown };

/** Reads stack `stack`'s outputs (project `projectDir`) for the gate's state. */
export async function readStackGateState(
  stack: string,
  projectDir: string,
): Promise<StackGateState> {
  let outputs: Readonly<Record<string, unknown>>;
  try {
    outputs = await (await rolloutEnvironment().openStack(stack, projectDir)).outputs();
  } catch (error) {
    return { kind: "unreadable", error };
  }
  const gate = gateStateFromOutputs(outputs);
  return gate === undefined ? { kind: "missing" } : { kind: "state", gate };
}
