import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { decideRollout, gateQuestion } from "../../../core/gate/decideRollout";
import { decideWithoutMeasuring } from "../../../core/rollout/decide";
import { describeTransition, transitionProblems } from "../../../core/rollout/steps";
import { renderDecisionTable } from "../../../core/gate/decisionTable";
import { CheckResult, GateState } from "../../../core/gate/types";
import { SETTINGS } from "./fixtures";

const STEPS = SETTINGS.steps;
/** Whether the first phase leaves the gate's promotion to be measured. */
const needsEvaluation = (
  state: GateState | undefined,
  to: number,
  nowMs: number,
  settings: typeof SETTINGS,
): boolean => decideWithoutMeasuring(gateQuestion(state, to, nowMs, settings)).phase === "measure";
const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const pass = (name: string): CheckResult => ({
  name,
  value: "1",
  threshold: "1",
  verdict: "pass",
  reason: `${name} ok`,
});
const failing: CheckResult = {
  name: "error rate",
  value: "2.00%",
  threshold: "< 1.00%",
  verdict: "fail",
  reason: "error rate 2.00% >= threshold 1.00%",
};
const state5: GateState = { percentage: 5, liveSinceMs: T0, lastVerdicts: [], records: [] };

describe("transitionProblems", () => {
  const rows: [number, number, boolean, string[]][] = [
    [5, 10, false, []],
    [5, 5, false, []],
    [50, 0, false, []],
    [0, 5, false, []],
    [5, 25, true, []],
    [
      5,
      25,
      false,
      [
        "cannot promote from 5% to 25%: it skips 10%; the next step is 10% (set genesis:allowStepSkip to true to skip steps)",
      ],
    ],
    [
      0,
      50,
      false,
      [
        "cannot promote from 0% to 50%: it skips 5%, 10%, 25%; the next step is 5% (set genesis:allowStepSkip to true to skip steps)",
      ],
    ],
    [
      5,
      7,
      true,
      ["cannot move from 5% to 7%: 7 is not a rollout step; allowed steps are 0,5,10,25,50,75,100"],
    ],
    [
      50,
      30,
      false,
      [
        "cannot move from 50% to 30%: 30 is not a rollout step; allowed steps are 0,5,10,25,50,75,100",
      ],
    ],
  ];
  for (const [from, to, skip, want] of rows) {
    it(`${from} -> ${to} (allowStepSkip ${skip})`, () => {
      deepStrictEqual(transitionProblems(STEPS, skip, from, to), want);
    });
  }
  it("describes transitions for the diff", () => {
    deepStrictEqual(
      [
        describeTransition(5, 10),
        describeTransition(25, 10),
        describeTransition(5, 5),
        describeTransition(undefined, 5),
      ],
      ["promotion 5% -> 10%", "rollback 25% -> 10%", "no change at 5%", "initial 5%"],
    );
  });
});

describe("decideRollout", () => {
  it("creates the gate at the stack's percentage with a record", () => {
    const d = decideRollout({
      state: undefined,
      targetPercentage: 5,
      nowMs: T0,
      settings: SETTINGS,
    });
    deepStrictEqual(d.outcome, "apply");
    deepStrictEqual(d.state, {
      percentage: 5,
      liveSinceMs: T0,
      lastVerdicts: [],
      records: [d.record],
    });
    deepStrictEqual(d.record, {
      time: "2026-01-01T00:00:00.000Z",
      from: 5,
      to: 5,
      decision: "initial",
      reason: "gate created at 5%; there is no earlier stage to judge",
      checks: [],
    });
  });

  it("promotes when every check passed, and the new stage goes live now", () => {
    strictEqual(needsEvaluation(state5, 10, T0 + 1000, SETTINGS), true);
    const checks = [pass("a"), pass("b")];
    const d = decideRollout({
      state: state5,
      targetPercentage: 10,
      nowMs: T0 + 1000,
      settings: SETTINGS,
      checks,
    });
    deepStrictEqual(d.outcome, "apply");
    deepStrictEqual(d.state, {
      percentage: 10,
      liveSinceMs: T0 + 1000,
      lastVerdicts: checks,
      records: [d.record],
    });
    strictEqual(d.record.reason, "promoted from 5% to 10%: all 2 checks passed");
  });

  it("blocks on a failed check, keeps the old stage, starts a cool-down and shows the table", () => {
    const checks = [pass("a"), failing];
    const d = decideRollout({
      state: state5,
      targetPercentage: 10,
      nowMs: T0 + 1000,
      settings: SETTINGS,
      checks,
    });
    deepStrictEqual(d.outcome, "block");
    deepStrictEqual(d.state, {
      ...state5,
      lastVerdicts: checks,
      records: [d.record],
      cooldown: { percentage: 10, untilMs: T0 + 1000 + 300_000, cause: "blocked" },
    });
    strictEqual(d.record.reason, "promotion from 5% to 10% blocked (fail): failed: error rate");
    strictEqual(d.message, `${d.record.reason}\n${renderDecisionTable(checks)}`);
  });

  it("blocks an inconclusive promotion (fails closed), naming the undecided checks", () => {
    const undecided: CheckResult = {
      ...failing,
      name: "p95 latency",
      verdict: "error",
      reason: "P95 latency query failed: x",
    };
    const d = decideRollout({
      state: state5,
      targetPercentage: 10,
      nowMs: T0,
      settings: SETTINGS,
      checks: [pass("a"), undecided],
    });
    strictEqual(d.outcome, "block");
    strictEqual(
      d.record.reason,
      "promotion from 5% to 10% blocked (inconclusive): could not be run: p95 latency",
    );
  });

  it("blocks a promotion that has no checks", () => {
    const d = decideRollout({ state: state5, targetPercentage: 10, nowMs: T0, settings: SETTINGS });
    strictEqual(
      d.record.reason,
      "promotion from 5% to 10% blocked (inconclusive): no checks were evaluated",
    );
  });

  it("rolls back without checks, recording where from, and cools the step down", () => {
    const s: GateState = { ...state5, percentage: 25 };
    strictEqual(needsEvaluation(s, 10, T0, SETTINGS), false);
    const d = decideRollout({
      state: s,
      targetPercentage: 10,
      nowMs: T0 + 5000,
      settings: SETTINGS,
    });
    deepStrictEqual(d.outcome, "apply");
    deepStrictEqual(d.state, {
      percentage: 10,
      liveSinceMs: T0 + 5000,
      lastVerdicts: [],
      records: [d.record],
      cooldown: { percentage: 25, untilMs: T0 + 5000 + 300_000, cause: "rollback" },
      rolledBackFrom: 25,
    });
    strictEqual(
      d.record.reason,
      "rolled back from 25% to 10%; health and SLOs are not checked for a rollback",
    );
  });

  it("does nothing on no change", () => {
    const d = decideRollout({ state: state5, targetPercentage: 5, nowMs: T0, settings: SETTINGS });
    deepStrictEqual([d.outcome, d.state, d.record.decision], ["apply", state5, "no-change"]);
  });

  it("refuses a skipped step even in update, without a cool-down", () => {
    const d = decideRollout({ state: state5, targetPercentage: 50, nowMs: T0, settings: SETTINGS });
    strictEqual(d.outcome, "block");
    strictEqual(d.state.cooldown, undefined);
    strictEqual(
      d.message,
      "cannot promote from 5% to 50%: it skips 10%, 25%; the next step is 10% (set genesis:allowStepSkip to true to skip steps)",
    );
  });

  const cooling: GateState = {
    ...state5,
    cooldown: { percentage: 10, untilMs: T0 + 120_000, cause: "blocked" },
  };

  it("holds a retry of the same step during the cool-down without fetching", () => {
    strictEqual(needsEvaluation(cooling, 10, T0, SETTINGS), false);
    const d = decideRollout({
      state: cooling,
      targetPercentage: 10,
      nowMs: T0,
      settings: SETTINGS,
    });
    strictEqual(d.outcome, "block");
    strictEqual(
      d.message,
      "promotion from 5% to 10% is in cool-down after a blocked promotion until 2026-01-01T00:02:00.000Z (120 s left); set genesis:gateOverrideReason to retry sooner",
    );
    deepStrictEqual(d.state.cooldown, cooling.cooldown);
  });

  it("retries after the cool-down ends", () => {
    strictEqual(needsEvaluation(cooling, 10, T0 + 120_000, SETTINGS), true);
  });

  it("lets an override reason skip the cool-down and records it", () => {
    const settings = { ...SETTINGS, overrideReason: "fixed the bad deploy (INC-42)" };
    strictEqual(needsEvaluation(cooling, 10, T0, settings), true);
    const d = decideRollout({
      state: cooling,
      targetPercentage: 10,
      nowMs: T0,
      settings,
      checks: [pass("a")],
    });
    strictEqual(d.outcome, "apply");
    strictEqual(d.record.overrideReason, "fixed the bad deploy (INC-42)");
    strictEqual(
      d.record.reason,
      "promoted from 5% to 10%: all 1 checks passed; cool-down overridden: fixed the bad deploy (INC-42)",
    );
    strictEqual(d.state.cooldown, undefined);
  });

  it("keeps only the last 20 records", () => {
    let s: GateState = state5;
    for (let i = 0; i < 25; i++) {
      s = decideRollout({
        state: s,
        targetPercentage: i % 2 === 0 ? 0 : 5,
        nowMs: T0 + i,
        settings: { ...SETTINGS, cooldownSeconds: 0 },
        checks: [pass("a")],
      }).state;
    }
    strictEqual(s.records.length, 20);
    strictEqual(s.records[19].time, new Date(T0 + 24).toISOString());
  });
});

describe("gateQuestion", () => {
  it("asks from the gate's live stage, with its cool-down only when one is in force", () => {
    const cooldown = { percentage: 10, untilMs: T0 + 60_000, cause: "blocked" as const };
    const rules = { steps: STEPS, allowStepSkip: false, overrideReason: "" };
    deepStrictEqual(gateQuestion(state5, 10, T0 + 1000, SETTINGS), {
      live: { percentage: 5, liveSinceMs: T0 },
      requested: 10,
      nowMs: T0 + 1000,
      rules,
    });
    deepStrictEqual(gateQuestion({ ...state5, cooldown }, 10, T0 + 1000, SETTINGS), {
      live: { percentage: 5, liveSinceMs: T0, cooldown },
      requested: 10,
      nowMs: T0 + 1000,
      rules,
    });
    deepStrictEqual(gateQuestion(undefined, 5, T0, SETTINGS).live, undefined);
  });
});

describe("renderDecisionTable", () => {
  it("leaves no trailing space after a check without a reason", () => {
    strictEqual(
      renderDecisionTable([{ ...failing, reason: "" }]).split("\n")[2],
      "error rate | 2.00% | < 1.00%   | FAIL    |",
    );
  });

  it("aligns every check's value, threshold, verdict and reason", () => {
    strictEqual(
      renderDecisionTable([
        failing,
        {
          name: "stage live",
          value: "400 s",
          threshold: ">= 300 s",
          verdict: "pass",
          reason: "ok",
        },
      ]),
      [
        "check      | value | threshold | verdict | reason",
        "-----------+-------+-----------+---------+------------------------------------",
        "error rate | 2.00% | < 1.00%   | FAIL    | error rate 2.00% >= threshold 1.00%",
        "stage live | 400 s | >= 300 s  | PASS    | ok",
      ].join("\n"),
    );
  });
});
