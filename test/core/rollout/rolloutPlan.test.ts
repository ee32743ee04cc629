import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { planSteps, rollbackTarget, RolloutPlanError } from "../../../core/rollout/rolloutPlan";
import { nextStep, previousStep } from "../../../core/rollout/steps";
import {
  gateOutputsOf,
  gateStateFromOutputs,
  StackOperationError,
} from "../../../core/rollout/rolloutStack";

const STEPS = [0, 5, 10, 25, 50, 75, 100];

describe("rollout plan", () => {
  it("walks the stack's steps, or a --steps list", () => {
    deepStrictEqual(planSteps(STEPS, false, undefined), STEPS);
    deepStrictEqual(planSteps(STEPS, false, "25, 50,75,100"), [25, 50, 75, 100]);
    deepStrictEqual(planSteps(STEPS, true, "0,25,100"), [0, 25, 100]);
  });

  const refused: [string, boolean, string][] = [
    ["0,5,x", false, '--steps must be whole numbers separated by commas; got "0,5,x"'],
    [
      "0,7,100",
      true,
      '--steps must be only the stack\'s steps 0,5,10,25,50,75,100 (not 7); got "0,7,100"',
    ],
    ["0,10,5,100", true, '--steps must be strictly ascending; got "0,10,5,100"'],
    ["0,5,5,100", true, '--steps must be strictly ascending; got "0,5,5,100"'],
    [
      "0,7,8,100",
      false,
      '--steps must be only the stack\'s steps 0,5,10,25,50,75,100 (not 7,8); got "0,7,8,100"',
    ],
    ["0,50,1e2", true, '--steps must be whole numbers separated by commas; got "0,50,1e2"'],
    ["0,50,+100", true, '--steps must be whole numbers separated by commas; got "0,50,+100"'],
    [
      "0,5,10",
      false,
      '--steps must be ending at 100, every step from 0 on (0,5,10,25,50,75,100) unless genesis:allowStepSkip is true; got "0,5,10"',
    ],
    [
      "0,50,100",
      false,
      '--steps must be every step from 0 on (0,5,10,25,50,75,100) unless genesis:allowStepSkip is true; got "0,50,100"',
    ],
  ];
  for (const [list, skip, message] of refused) {
    it(`refuses --steps ${list} (allowStepSkip ${skip}) naming flag and value`, () => {
      throws(
        () => planSteps(STEPS, skip, list),
        (e: unknown) => {
          strictEqual((e as Error).message, message);
          return e instanceof RolloutPlanError;
        },
      );
    });
  }

  it("finds the next and previous steps", () => {
    strictEqual(nextStep(STEPS, 0), 5);
    strictEqual(nextStep(STEPS, 75), 100);
    strictEqual(nextStep(STEPS, 100), undefined);
    strictEqual(previousStep(STEPS, 25), 10);
    strictEqual(previousStep(STEPS, 5), 0);
    strictEqual(previousStep(STEPS, 0), 0);
  });

  it("rolls back one step, or to --to below the current step", () => {
    strictEqual(rollbackTarget(STEPS, 50, undefined), 25);
    strictEqual(rollbackTarget(STEPS, 50, "5"), 5);
    strictEqual(rollbackTarget(STEPS, 50, "0"), 0);
    throws(
      () => rollbackTarget(STEPS, 50, "50"),
      /^RolloutPlanError: --to must be a rollout step below the current 50%: one of 0,5,10,25; got "50"$/,
    );
    throws(() => rollbackTarget(STEPS, 50, "7"), /one of 0,5,10,25; got "7"$/);
    strictEqual(rollbackTarget(STEPS, 50, " 10 "), 10);
    for (const to of ["1e1", "+5", "5.0"]) {
      throws(
        () => rollbackTarget(STEPS, 50, to),
        (e: unknown) =>
          (e as Error).message ===
          `--to must be a rollout step below the current 50%: one of 0,5,10,25; got "${to}"`,
      );
    }
    throws(
      () => rollbackTarget(STEPS, 0, undefined),
      /^RolloutPlanError: the stack is at 0%, the first step; there is nothing to roll back$/,
    );
  });
});

describe("gate state from the stack outputs", () => {
  it("reads livePercentage, liveSince and gateRecords as the program exports them", () => {
    const records = [
      {
        time: "2026-01-01T12:00:00.000Z",
        from: 0,
        to: 5,
        decision: "promotion" as const,
        reason: "r",
        checks: [],
      },
    ];
    const state = gateStateFromOutputs({
      livePercentage: 5,
      liveSince: "2026-01-01T12:00:00.000Z",
      gateRecords: records,
      rolloutPercentage: 5,
    });
    deepStrictEqual(state, {
      percentage: 5,
      liveSinceMs: Date.parse("2026-01-01T12:00:00.000Z"),
      lastVerdicts: [],
      records,
    });
    deepStrictEqual(gateOutputsOf(state!), {
      livePercentage: 5,
      liveSince: "2026-01-01T12:00:00.000Z",
      gateRecords: records,
    });
  });

  it("is unknown (so callers fail closed) without a live percentage or a valid time", () => {
    strictEqual(gateStateFromOutputs({}), undefined);
    strictEqual(gateStateFromOutputs({ livePercentage: 5, liveSince: "yesterday" }), undefined);
    strictEqual(
      gateStateFromOutputs({ livePercentage: "5", liveSince: "2026-01-01T12:00:00Z" }),
      undefined,
    );
  });
});

describe("StackOperationError", () => {
  it("names the operation that failed and why", () => {
    const e = new StackOperationError("up", "rollout gate: blocked 5% -> 10%");
    deepStrictEqual(
      [e.name, e.operation, e.message],
      ["StackOperationError", "up", "pulumi up failed: rollout gate: blocked 5% -> 10%"],
    );
  });
});
