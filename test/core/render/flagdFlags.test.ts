import { deepStrictEqual, throws } from "node:assert/strict";
import { FlagdCore } from "@openfeature/flagd-core";
import { renderFlagdFlags } from "../../../core/render/flagdFlags";

describe("renderFlagdFlags", () => {
  it("renders fractional targeting with the canary first", () => {
    const doc = JSON.parse(renderFlagdFlags(25));
    deepStrictEqual(doc.flags["genesis-rollout"], {
      state: "ENABLED",
      variants: { stable: "stable", canary: "canary" },
      defaultVariant: "stable",
      targeting: {
        fractional: [
          { cat: [{ var: "$flagd.flagKey" }, { var: "targetingKey" }] },
          ["canary", 25],
          ["stable", 75],
        ],
      },
    });
  });

  it("is read by flagd's own evaluator, and canary users stay canary as the percentage grows", () => {
    const canaryAt = (p: number): Set<string> => {
      const core = new FlagdCore();
      core.setConfigurations(renderFlagdFlags(p));
      const users = new Set<string>();
      for (let i = 0; i < 2000; i++) {
        const r = core.resolveStringEvaluation("genesis-rollout", "stable", {
          targetingKey: `user-${i}`,
        });
        if (r.value === "canary") users.add(`user-${i}`);
      }
      return users;
    };
    const sizes: number[] = [];
    let previous = new Set<string>();
    for (const p of [0, 5, 10, 25, 50, 75, 100]) {
      const now = canaryAt(p);
      for (const u of previous) if (!now.has(u)) throw new Error(`${u} left the canary at ${p}%`);
      sizes.push(now.size);
      previous = now;
    }
    deepStrictEqual(sizes[0], 0);
    deepStrictEqual(sizes[6], 2000);
    deepStrictEqual(
      sizes.map((n, i) => Math.abs(n / 2000 - [0, 5, 10, 25, 50, 75, 100][i] / 100) < 0.03),
      [true, true, true, true, true, true, true],
    );
  });

  it("refuses a percentage outside 0..100, naming it", () => {
    throws(() => renderFlagdFlags(150), {
      message: "percentage must be a whole number from 0 to 100; got 150",
    });
  });
});
