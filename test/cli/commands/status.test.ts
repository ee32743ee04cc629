/**
 * `genesis status` with the stack's outputs from a stand-in for the Pulumi CLI (the
 * Automation API is behind RolloutEnvironment), and without any: never a pass.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  RolloutEnvironment,
  rolloutEnvironment,
  useRolloutEnvironment,
} from "../../../cli/commands/rollout";
import { DecisionRecord, GateState } from "../../../core/gate/types";
import { gateOutputsOf, RolloutStack } from "../../../core/rollout/rolloutStack";
import { runGenesis as genesis } from "../../support/genesisCli";

const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");

describe("genesis status", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-status-"));
  before(() => {
    copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    writeFileSync(
      path.join(dir, "Pulumi.s.yaml"),
      "config:\n  genesis:environment: staging\n  genesis:rolloutPercentage: 25\n",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const withOutputs = async (state: GateState | undefined) => {
    const real = rolloutEnvironment();
    const stack = {
      name: "s",
      outputs: async () => (state === undefined ? {} : gateOutputsOf(state)),
    } as unknown as RolloutStack;
    const restore: RolloutEnvironment = useRolloutEnvironment({
      ...real,
      openStack: async () => stack,
    });
    try {
      return await genesis(["status", "--stack", "s", "--project-dir", dir]);
    } finally {
      useRolloutEnvironment(restore);
    }
  };
  const record = (decision: DecisionRecord["decision"], to: number): DecisionRecord => ({
    time: "2026-03-02T12:00:00.000Z",
    from: 10,
    to,
    decision,
    reason: "canary requests 20 < minimum 100 in the last 300 s: too little traffic to judge",
    checks: [],
  });
  const at = (percentage: number, records: DecisionRecord[]): GateState => ({
    percentage,
    liveSinceMs: Date.parse("2026-03-02T11:00:00Z"),
    lastVerdicts: [],
    records,
  });

  it("live as the stack asks: exit 0", async () => {
    const r = await withOutputs(at(25, [record("promotion", 25)]));
    deepStrictEqual(
      [r.code, r.stdout],
      [
        0,
        "s: pass: 25% live since 2026-03-02T11:00:00.000Z, as the stack asks; the last decision (2026-03-02T12:00:00.000Z): promotion 10% -> 25%\n",
      ],
    );
  });

  it("the last decision blocked the promotion asked for: exit 1 with the gate's reason", async () => {
    const r = await withOutputs(at(10, [record("blocked", 25)]));
    strictEqual(r.code, 1);
    strictEqual(
      r.stdout,
      "s: fail: the last decision (2026-03-02T12:00:00.000Z) blocked the promotion from 10% to 25%: canary requests 20 < minimum 100 in the last 300 s: too little traffic to judge\n",
    );
  });

  it("outputs without the gate's state: exit 2, never a pass", async () => {
    const r = await withOutputs(undefined);
    deepStrictEqual(
      [r.code, r.stdout, r.stderr],
      [
        2,
        "",
        "genesis status: cannot judge the stack: the stack outputs have no livePercentage and liveSince\n",
      ],
    );
  });
});
