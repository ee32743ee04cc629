import { deepStrictEqual } from "node:assert/strict";
import { DecisionRecord, GateState } from "../../../core/gate/types";
import { deploymentStatus } from "../../../core/rollout/deploymentStatus";

const record = (
  decision: DecisionRecord["decision"],
  from: number,
  to: number,
): DecisionRecord => ({
  time: "2026-03-02T12:00:00.000Z",
  from,
  to,
  decision,
  reason: decision === "blocked" ? "error rate 2.00% >= threshold 1.00%" : `${decision}`,
  checks: [],
});
const gate = (percentage: number, records: DecisionRecord[]): GateState => ({
  percentage,
  liveSinceMs: Date.parse("2026-03-02T11:00:00Z"),
  lastVerdicts: [],
  records,
});

describe("deploymentStatus", () => {
  const rows: [string, number, GateState, "pass" | "fail", string][] = [
    [
      "live as asked after a promotion: pass",
      25,
      gate(25, [record("promotion", 10, 25)]),
      "pass",
      "25% live since 2026-03-02T11:00:00.000Z, as the stack asks; the last decision (2026-03-02T12:00:00.000Z): promotion 10% -> 25%",
    ],
    [
      "a blocked promotion: fail, with the gate's reason",
      50,
      gate(25, [record("promotion", 10, 25), record("blocked", 25, 50)]),
      "fail",
      "the last decision (2026-03-02T12:00:00.000Z) blocked the promotion from 25% to 50%: error rate 2.00% >= threshold 1.00%",
    ],
    [
      "config ahead of the live stage without a block (pulumi up not run): fail",
      50,
      gate(25, [record("promotion", 10, 25)]),
      "fail",
      "the stack asks for 50% but 25% is live (since 2026-03-02T11:00:00.000Z): run pulumi up, or set genesis:rolloutPercentage to the live stage",
    ],
    [
      "no record yet, live as asked: pass",
      0,
      gate(0, []),
      "pass",
      "0% live since 2026-03-02T11:00:00.000Z, as the stack asks; no decision recorded",
    ],
  ];
  for (const [title, configured, state, verdict, reason] of rows) {
    it(title, () => {
      const s = deploymentStatus(configured, state);
      deepStrictEqual(
        [s.verdict, s.reason, s.configured, s.live],
        [verdict, reason, configured, state.percentage],
      );
    });
  }
});

describe("deploymentStatus: the figures it was judged on", () => {
  it("carries the last decision when the gate kept one, and no such field otherwise", () => {
    const last = record("promotion", 10, 25);
    deepStrictEqual(deploymentStatus(25, gate(25, [record("initial", 10, 10), last])), {
      verdict: "pass",
      reason:
        "25% live since 2026-03-02T11:00:00.000Z, as the stack asks; the last decision (2026-03-02T12:00:00.000Z): promotion 10% -> 25%",
      configured: 25,
      live: 25,
      lastDecision: last,
    });
    deepStrictEqual(deploymentStatus(5, gate(0, [])), {
      verdict: "fail",
      reason:
        "the stack asks for 5% but 0% is live (since 2026-03-02T11:00:00.000Z): run pulumi up, or set genesis:rolloutPercentage to the live stage",
      configured: 5,
      live: 0,
    });
  });
});
