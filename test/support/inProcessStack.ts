/**
 * An in-process {@link RolloutStack} in place of the Pulumi CLI, for tests and the rollout
 * benchmark: config in memory, and `up` runs the rollout gate's own decision
 * (core/gate/decideRollout, with a caller-given evaluation: the real gate probes against a
 * real Prometheus in the benchmark) and then delivers the live percentage as the flagd flag
 * file the reference service reads. Every operation is logged for assertions.
 */
import { writeFileSync } from "node:fs";
import { decideGateChange } from "../../core/gate/decideRollout";
import { CheckResult, GateSettings, GateState } from "../../core/gate/types";
import { renderFlagdFlags } from "../../core/render/flagdFlags";
import {
  gateOutputsOf,
  PERCENTAGE_KEY,
  RolloutStack,
  StackOperationError,
  StackPreview,
} from "../../core/rollout/rolloutStack";

/** Options of {@link inProcessStack}. */
export interface InProcessStackOptions {
  /** The stack's name. */
  readonly name: string;
  /** The percentage config and state start at. */
  readonly percentage: number;
  /** When that stage went live, ms since the epoch. */
  readonly liveSinceMs: number;
  /** The gate's settings. */
  readonly settings: GateSettings;
  /** The clock `up` decides with. */
  readonly nowMs: () => number;
  /** Evaluates a promotion (the gate's probes); called only when the gate needs it. */
  readonly evaluate: (
    settings: GateSettings,
    from: number,
    liveSinceMs: number,
    nowMs: number,
  ) => Promise<CheckResult[]>;
  /** Where to write the flag file after each `up`, if anywhere. */
  readonly flagFile?: string;
}

/** The in-process stack, with its operation log and a hook to fail the next `up`s. */
export interface InProcessStack extends RolloutStack {
  /** `config set genesis:rolloutPercentage 5`, `up ok 5`, `up blocked 10`, ... */
  readonly log: string[];
  /** The gate's state. */
  gate(): GateState;
  /** The config's percentage. */
  configured(): number;
  /** Makes the next `n` calls of `up` fail with `message` before the gate runs. */
  failNextUps(n: number, message: string): void;
  /** Runs `hook` at the start of each `up` (after config is read). */
  onUp?: (target: number) => void;
}

/** Builds an in-process stack. */
export function inProcessStack(o: InProcessStackOptions): InProcessStack {
  const config = new Map<string, string>([[PERCENTAGE_KEY, String(o.percentage)]]);
  let gate: GateState = {
    percentage: o.percentage,
    liveSinceMs: o.liveSinceMs,
    lastVerdicts: [],
    records: [],
  };
  const log: string[] = [];
  let failures = 0;
  let failure = "";
  const deliver = () => {
    if (o.flagFile !== undefined) writeFileSync(o.flagFile, renderFlagdFlags(gate.percentage));
  };
  deliver();
  const stack: InProcessStack = {
    name: o.name,
    log,
    gate: () => gate,
    configured: () => Number(config.get(PERCENTAGE_KEY)),
    failNextUps(n, message) {
      failures = n;
      failure = message;
    },
    async getConfig(key) {
      return config.get(key);
    },
    async setConfig(key, value) {
      config.set(key, value);
      log.push(`config set ${key.replace("genesis:", "")} ${value}`);
    },
    async up() {
      const target = Number(config.get(PERCENTAGE_KEY));
      stack.onUp?.(target);
      if (failures > 0) {
        failures--;
        log.push(`up failed ${target}`);
        throw new StackOperationError("up", failure);
      }
      const nowMs = o.nowMs();
      const d = await decideGateChange(gate, target, nowMs, o.settings, (live) =>
        o.evaluate(o.settings, live.percentage, live.liveSinceMs, nowMs),
      );
      gate = d.state;
      if (d.outcome === "block") {
        log.push(`up blocked ${target}`);
        throw new StackOperationError("up", `rollout gate: ${d.message}`);
      }
      log.push(`up ${d.record.decision} ${target}`);
      deliver();
    },
    async preview(): Promise<StackPreview> {
      const target = Number(config.get(PERCENTAGE_KEY));
      log.push(`preview ${target}`);
      return {
        changeSummary: target === gate.percentage ? { same: 1 } : { same: 0, update: 1 },
        text: `rollout gate: ${gate.percentage}% -> ${target}%`,
      };
    },
    async outputs() {
      return { ...gateOutputsOf(gate), rolloutPercentage: Number(config.get(PERCENTAGE_KEY)) };
    },
  };
  return stack;
}
