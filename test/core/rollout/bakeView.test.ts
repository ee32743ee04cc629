import { deepStrictEqual } from "node:assert/strict";
import { startBake } from "../../../core/rollout/bakeLoop";
import { bakeView } from "../../../core/rollout/bakeView";
import { check, measurement, RULES, windowChecks } from "./fixtures";

describe("bakeView", () => {
  const state = startBake(25, 0, RULES);
  const rows: [string, Parameters<typeof bakeView>[1], string][] = [
    ["before the first measurement", undefined, "scrapes n/a; alerts n/a"],
    ["window checks not in the measurement", measurement(60_000), "scrapes n/a; alerts n/a"],
    [
      "a flapping target and an alert that fired in the window",
      measurement(60_000, {
        window: [
          ...windowChecks(),
          check("scrapes in window", "fail", "3 of 20 failed"),
          check("alerts", "fail", "GenesisErrorRateHigh"),
        ],
      }),
      "scrapes 3 of 20 failed; alerts GenesisErrorRateHigh",
    ],
  ];
  for (const [name, m, window] of rows) {
    it(`shows the whole-window checks: ${name}`, () =>
      deepStrictEqual(bakeView(state, m, RULES, 60_000).window, window));
  }
});
