import { deepStrictEqual } from "node:assert/strict";
import { isStep, stepsBelow } from "../../../core/rollout/steps";

const STEPS = [0, 5, 10, 25, 50, 75, 100];

describe("steps", () => {
  it("isStep: whole numbers on the list only", () => {
    deepStrictEqual(
      [0, 5, 100, 7, 5.0000001, Number.NaN, -5, 150].map((n) => isStep(STEPS, n)),
      [true, true, true, false, false, false, false, false],
    );
  });
  it("stepsBelow: where a rollback may go, ascending", () => {
    deepStrictEqual(
      [stepsBelow(STEPS, 25), stepsBelow(STEPS, 0), stepsBelow(STEPS, 100)],
      [[0, 5, 10], [], [0, 5, 10, 25, 50, 75]],
    );
  });
});
