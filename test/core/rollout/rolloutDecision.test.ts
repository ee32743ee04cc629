import { deepStrictEqual } from "node:assert/strict";
import { Breach } from "../../../core/rollout/bakeLoop";
import { decideAfterBake, RolloutContext } from "../../../core/rollout/rolloutDecision";

const STEPS = [0, 5, 10, 25, 50, 75, 100];
const ctx = (over: Partial<RolloutContext> = {}): RolloutContext => ({
  stack: "production",
  plannedSteps: STEPS,
  stackSteps: STEPS,
  percentage: 25,
  autoRollback: true,
  ...over,
});
const BREACH: Breach = {
  check: "error rate",
  value: "1.20%",
  threshold: "< 1.00%",
  reason: "canary error rate 1.20% >= threshold 1.00% over the validation window",
  detectedMs: 0,
  percentage: 25,
};

describe("decision after a bake", () => {
  it("a pass promotes to the next planned step, and completes at the last", () => {
    deepStrictEqual(decideAfterBake({ kind: "promote", checks: [] }, ctx()), {
      kind: "promote",
      from: 25,
      to: 50,
    });
    deepStrictEqual(
      decideAfterBake({ kind: "promote", checks: [] }, ctx({ plannedSteps: [0, 25, 100] })),
      { kind: "promote", from: 25, to: 100 },
    );
    deepStrictEqual(decideAfterBake({ kind: "promote", checks: [] }, ctx({ percentage: 100 })), {
      kind: "complete",
      percentage: 100,
    });
  });

  it("a breach with auto-rollback goes to the stack's step before", () => {
    deepStrictEqual(
      decideAfterBake({ kind: "rollback", breach: BREACH }, ctx({ plannedSteps: [0, 25, 100] })),
      { kind: "rollback", from: 25, to: 10, breach: BREACH },
    );
  });

  it("a breach without auto-rollback stops (exit 1) and names the command to run", () => {
    deepStrictEqual(
      decideAfterBake({ kind: "rollback", breach: BREACH }, ctx({ autoRollback: false })),
      {
        kind: "hold",
        exitCode: 1,
        message:
          "stage 25% breached error rate: canary error rate 1.20% >= threshold 1.00% over the validation window (value 1.20%, threshold < 1.00%)\nthe stack stays at 25%; genesis:autoRollback is off; roll back with: genesis rollback --stack production (to 10%)",
      },
    );
  });

  it("a breach at 0% has nowhere to go", () => {
    deepStrictEqual(
      decideAfterBake(
        { kind: "rollback", breach: { ...BREACH, percentage: 0 } },
        ctx({ percentage: 0 }),
      ),
      {
        kind: "hold",
        exitCode: 1,
        message:
          "stage 0% breached error rate: canary error rate 1.20% >= threshold 1.00% over the validation window (value 1.20%, threshold < 1.00%)\nthe stack stays at 0%; there is no lower step to roll back to",
      },
    );
  });

  it("an undecided stage never promotes: it stops with exit 2 and says how to resume", () => {
    deepStrictEqual(
      decideAfterBake(
        { kind: "hold", reason: "request count: too little traffic", checks: [] },
        ctx(),
      ),
      {
        kind: "hold",
        exitCode: 2,
        message:
          "stage 25% could not be judged, so it is not promoted (the stack stays at 25%): request count: too little traffic\nfix what is named, then resume with: genesis rollout --stack production",
      },
    );
  });
});
