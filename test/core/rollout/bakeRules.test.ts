import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { bakeRulesFromConfig } from "../../../core/rollout/bakeRules";
import { appSelector, sloRules } from "../../../core/slo/sloRules";
import { CONFIG } from "./fixtures";

describe("bake rules", () => {
  it("are the stack's SLO rules (the alerts'), narrowed to the application's instance", () => {
    const rules = bakeRulesFromConfig(CONFIG, "127.0.0.1:8080", 90);
    deepStrictEqual(rules.sloRules, sloRules(CONFIG, appSelector("genesis-app", "127.0.0.1:8080")));
    deepStrictEqual(
      rules.sloRules.map((r) => [r.alert, r.comparison, r.threshold, r.forSeconds]),
      [
        ["GenesisErrorRateHigh", ">", 0.01, 60],
        ["GenesisErrorRateSevere", ">=", 0.1, 30],
        ["GenesisLatencyP95High", ">", 0.5, 60],
        ["GenesisHealthCheckFailing", "==", 0, 30],
      ],
    );
    strictEqual(rules.windowSeconds, 90);
    strictEqual(rules.shortWindowSeconds, 30);
    strictEqual(rules.severeErrorRateThresholdPercent, 10);
    strictEqual(rules.healthFailureLimit, 3);
  });
});
