/**
 * The stand-in stack of `npm run demo`: a {@link RolloutStack} whose `up` runs the rollout
 * gate and the rollout verdict exactly as the program declares them (captured from index.ts
 * under mocks) in Pulumi's own dynamic-provider host, calling Check, Diff and Update as the
 * engine does; then it writes the live percentage to the flagd flag file the reference
 * service reads, as the program's flag-file resource would.
 *
 * What it leaves out, and a real `pulumi up` adds: the state backend (state lives in memory
 * here), the preview's full plan, every other resource of the program (the Docker provider
 * creating the containers, networks and volumes) and policy packs.
 */
import { writeFileSync } from "node:fs";
import { renderFlagdFlags } from "../core/render/flagdFlags";
import { GateState } from "../core/gate/types";
import {
  gateOutputsOf,
  PERCENTAGE_KEY,
  RolloutStack,
  StackOperationError,
  StackPreview,
} from "../core/rollout/rolloutStack";
import { ProviderHost } from "../test/support/providerHost";

type Props = Record<string, unknown>;

/** What the stand-in stack is built from. */
export interface DemoStackOptions {
  /** The stack's name. */
  readonly name: string;
  /** The running provider host. */
  readonly host: ProviderHost;
  /** The gate's inputs as the program declared them (with `__provider`). */
  readonly gateInputs: Props;
  /** The verdict's serialized provider (`__provider`). */
  readonly verdictProvider: string;
  /** The percentage the stack starts at (the gate's Create). */
  readonly percentage: number;
  /** The flag file the reference service reads. */
  readonly flagFile: string;
  /** Told about each engine call, for the narrative (`gate Update: promotion 0% -> 5%`). */
  readonly onEngineCall?: (line: string) => void;
}

/** The stand-in stack, with the gate's state for the demo's own checks. */
export interface DemoStack extends RolloutStack {
  /** The gate's state (its outputs' `state`). */
  gate(): GateState;
}

/** Creates the gate (its Create in the host) and returns the stack. */
export async function openDemoStack(o: DemoStackOptions): Promise<DemoStack> {
  const config = new Map<string, string>([[PERCENTAGE_KEY, String(o.percentage)]]);
  const tell = o.onEngineCall ?? (() => undefined);
  const created = await o.host.create({ ...o.gateInputs, targetPercentage: o.percentage });
  let gateOuts: Props = created.outs;
  let verdictOlds: Props | undefined;
  const deliver = () =>
    writeFileSync(o.flagFile, renderFlagdFlags((gateOuts.state as GateState).percentage));
  deliver();

  /** Check and Diff, as a preview and every update start: the checked inputs and whether they change anything. */
  const plan = async (target: number): Promise<{ inputs: Props; changes: boolean }> => {
    const news = { ...o.gateInputs, targetPercentage: target };
    const checked = await o.host.check(gateOuts, news);
    if (checked.failures.length > 0) {
      throw new StackOperationError("up", checked.failures.map((f) => f.reason).join("; "));
    }
    const diff = await o.host.diff("rollout-gate", gateOuts, checked.inputs);
    return { inputs: checked.inputs, changes: diff !== "none" };
  };

  const stack: DemoStack = {
    name: o.name,
    gate: () => gateOuts.state as GateState,
    async getConfig(key) {
      return config.get(key);
    },
    async setConfig(key, value) {
      config.set(key, value);
    },
    async up() {
      const target = Number(config.get(PERCENTAGE_KEY));
      let step: { inputs: Props; changes: boolean };
      try {
        step = await plan(target);
      } catch (e) {
        throw e instanceof StackOperationError
          ? e
          : new StackOperationError("up", (e as { details?: string }).details ?? String(e));
      }
      if (!step.changes) return;
      // The gate's Update always completes and its outputs are saved (a blocked promotion
      // keeps the old stage); the verdict after it fails the update when the gate blocked.
      gateOuts = await o.host.update("rollout-gate", gateOuts, step.inputs);
      const decision = gateOuts.lastDecision as { decision: string; reason: string };
      tell(`gate Update in the provider host: ${decision.decision}: ${decision.reason}`);
      deliver();
      const verdictNews = {
        __provider: o.verdictProvider,
        targetPercentage: target,
        lastDecision: gateOuts.lastDecision,
      };
      try {
        if (verdictOlds === undefined) await o.host.create(verdictNews);
        else await o.host.update("rollout-verdict", verdictOlds, verdictNews);
        verdictOlds = verdictNews;
      } catch (e) {
        throw new StackOperationError("up", (e as { details?: string }).details ?? String(e));
      }
    },
    async preview(): Promise<StackPreview> {
      const target = Number(config.get(PERCENTAGE_KEY));
      const step = await plan(target);
      return {
        changeSummary: step.changes ? { update: 1 } : { same: 1 },
        text: String(step.inputs.transition ?? ""),
      };
    },
    async outputs() {
      return {
        ...gateOutputsOf(gateOuts.state as GateState),
        rolloutPercentage: Number(config.get(PERCENTAGE_KEY)),
      };
    },
  };
  return stack;
}
