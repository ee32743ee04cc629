import { strictEqual } from "node:assert/strict";
import { decisionMessage } from "../../../core/gate/decideRollout";
import { CheckResult, DecisionKind, DecisionRecord } from "../../../core/gate/types";
import { verdictFailure } from "../../../core/gate/verdict";

const FAILING: CheckResult = {
  name: "error rate",
  value: "2.00%",
  threshold: "< 1.00%",
  verdict: "fail",
  reason: "error rate 2.00% >= threshold 1.00%",
};
const record = (
  decision: DecisionKind,
  from: number,
  to: number,
  checks: readonly CheckResult[] = [],
): DecisionRecord => ({
  time: "2026-01-01T00:00:00.000Z",
  from,
  to,
  decision,
  reason: `${decision} ${from}% -> ${to}%`,
  checks,
});
const JUDGED_BLOCK = record("blocked", 5, 10, [FAILING]);
/** FAILING as the check table shows it (written out: the expectation is not computed). */
const FAILING_TABLE = [
  "check      | value | threshold | verdict | reason",
  "-----------+-------+-----------+---------+------------------------------------",
  "error rate | 2.00% | < 1.00%   | FAIL    | error rate 2.00% >= threshold 1.00%",
].join("\n");

describe("verdictFailure", () => {
  const rows: [string, number, DecisionRecord | undefined, string | undefined][] = [
    ["a promotion passes", 10, record("promotion", 5, 10, [FAILING]), undefined],
    ["the first stage passes", 5, record("initial", 5, 5), undefined],
    ["a rollback always passes", 0, record("rollback", 50, 0), undefined],
    ["no change passes", 5, record("no-change", 5, 5), undefined],
    [
      "a blocked promotion to the requested step fails with the reason and the check table",
      10,
      JUDGED_BLOCK,
      `rollout gate: blocked 5% -> 10%\n${FAILING_TABLE}`,
    ],
    [
      "a block without checks (a cool-down) fails with the record's reason alone",
      10,
      record("blocked", 5, 10),
      "rollout gate: blocked 5% -> 10%",
    ],
    [
      "a block of another percentage (the stack asks for the live one again) passes",
      5,
      JUDGED_BLOCK,
      undefined,
    ],
    [
      "a decision that is not a record (a mangled stack output) fails closed too",
      25,
      "blocked" as unknown as DecisionRecord,
      "rollout gate: no decision recorded for 25%; the gate's state is missing its last decision, so the update cannot be judged",
    ],
    [
      "no decision at all fails closed, naming the percentage",
      25,
      undefined,
      "rollout gate: no decision recorded for 25%; the gate's state is missing its last decision, so the update cannot be judged",
    ],
  ];
  for (const [title, targetPercentage, lastDecision, expected] of rows) {
    it(title, () => {
      strictEqual(verdictFailure({ targetPercentage, lastDecision }), expected);
    });
  }
});

describe("decisionMessage", () => {
  it("shows the table only for a block judged on checks", () => {
    strictEqual(decisionMessage(JUDGED_BLOCK), `blocked 5% -> 10%\n${FAILING_TABLE}`);
    strictEqual(decisionMessage(record("promotion", 5, 10, [FAILING])), "promotion 5% -> 10%");
    strictEqual(decisionMessage(record("blocked", 5, 10)), "blocked 5% -> 10%");
  });
});
