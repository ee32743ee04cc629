import { strictEqual } from "node:assert/strict";
import { DecisionKind, DecisionRecord } from "../../../core/gate/types";
import { verdictFailure } from "../../../core/gate/verdict";

const record = (decision: DecisionKind, from: number, to: number): DecisionRecord => ({
  time: "2026-01-01T00:00:00.000Z",
  from,
  to,
  decision,
  reason: `${decision} ${from}% -> ${to}%`,
  checks: [],
});
const TABLE = "promotion from 5% to 10% blocked (fail): failed: error rate\ncheck | value";

describe("verdictFailure", () => {
  const rows: [
    string,
    number,
    DecisionRecord | undefined,
    string | undefined,
    string | undefined,
  ][] = [
    ["a promotion passes", 10, record("promotion", 5, 10), "promoted", undefined],
    ["the first stage passes", 5, record("initial", 5, 5), "created", undefined],
    ["a rollback always passes", 0, record("rollback", 50, 0), "rolled back", undefined],
    ["no change passes", 5, record("no-change", 5, 5), "no change", undefined],
    [
      "a blocked promotion to the requested step fails with the gate's message",
      10,
      record("blocked", 5, 10),
      TABLE,
      `rollout gate: ${TABLE}`,
    ],
    [
      "without a message, the record's reason is the failure",
      10,
      record("blocked", 5, 10),
      undefined,
      "rollout gate: blocked 5% -> 10%",
    ],
    [
      "a block of another percentage (the stack asks for the live one again) passes",
      5,
      record("blocked", 5, 10),
      TABLE,
      undefined,
    ],
    [
      "no decision at all fails closed, naming the percentage",
      25,
      undefined,
      undefined,
      "rollout gate: no decision recorded for 25%; the gate's state is missing its last decision, so the update cannot be judged",
    ],
  ];
  for (const [title, targetPercentage, lastDecision, message, expected] of rows) {
    it(title, () => {
      strictEqual(verdictFailure({ targetPercentage, lastDecision, message }), expected);
    });
  }
});
