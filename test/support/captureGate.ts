/**
 * Runs the gate's program piece under `pulumi.runtime.setMocks` and captures what the engine
 * would receive: the serialized provider (`__provider`) and the inputs. Used to drive the
 * real dynamic-provider host in tests.
 */
import * as pulumi from "@pulumi/pulumi";
import { GateSettings } from "../../core/gate/types";

/** What `new RolloutGate(...)` registers. */
export interface CapturedGate {
  /** The resource type token. */
  readonly type: string;
  /** The resource name. */
  readonly name: string;
  /** The inputs, including `__provider` (the provider's JavaScript source). */
  readonly inputs: Record<string, unknown>;
}

/** Declares one RolloutGate under mocks and resolves to what the engine saw. */
export async function captureRolloutGate(
  targetPercentage: number,
  settings: GateSettings,
): Promise<CapturedGate> {
  let captured: CapturedGate | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        captured = { type: args.type, name: args.name, inputs: args.inputs };
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    "genesis",
    "test",
    false,
  );
  const { RolloutGate } = await import("../../components/gates/rolloutGate");
  const gate = new RolloutGate("gate", { targetPercentage, settings });
  await new Promise<void>((resolve) => gate.urn.apply(() => resolve()));
  if (captured === undefined) throw new Error("the mock monitor saw no resource");
  return captured;
}
