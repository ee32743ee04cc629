import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { startBake } from "../../../core/rollout/bakeLoop";
import { bakeView, renderBakeLine } from "../../../core/rollout/bakeView";
import { check, health, measurement, RULES, windowChecks } from "./fixtures";

// RULES: a 60 s window, error rate < 1 %, P95 < 500 ms.
describe("bakeView", () => {
  it("before the first measurement: the stage, the whole window left, no figures", () => {
    deepStrictEqual(bakeView(startBake(25, 0, RULES), undefined, RULES, 0), {
      stage: "25%",
      secondsLeft: 60,
      windowSeconds: 60,
      errorRate: "n/a (< 1.00%)",
      latencyP95: "n/a (< 500 ms)",
      health: "?/5",
      window: "scrapes n/a; alerts n/a",
    });
  });

  it("after a measurement: the figures against their thresholds, health passing of measured", () => {
    const m = measurement(20_500, {
      errorRatePercent: 0.125,
      latencyP95Ms: 183.6,
      health: health("app health", "grafana health"),
      window: [
        ...windowChecks(),
        check("scrapes in window", "pass", "0 of 4 failed"),
        check("alerts", "pass", "none"),
      ],
    });
    deepStrictEqual(bakeView(startBake(10, 0, RULES), m, RULES, 20_500), {
      stage: "10%",
      secondsLeft: 40,
      windowSeconds: 60,
      errorRate: "0.13% (< 1.00%)",
      latencyP95: "184 ms (< 500 ms)",
      health: "3/5",
      window: "scrapes 0 of 4 failed; alerts none",
    });
  });

  it("a figure that is not a number shows n/a; a zero error rate is a figure", () => {
    const view = (errorRatePercent: number, latencyP95Ms: number) => {
      const v = bakeView(
        startBake(5, 0, RULES),
        measurement(1000, { errorRatePercent, latencyP95Ms }),
        RULES,
        1000,
      );
      return [v.errorRate, v.latencyP95];
    };
    deepStrictEqual(view(Number.NaN, Number.POSITIVE_INFINITY), [
      "n/a (< 1.00%)",
      "n/a (< 500 ms)",
    ]);
    deepStrictEqual(view(Number.NEGATIVE_INFINITY, Number.NaN), [
      "n/a (< 1.00%)",
      "n/a (< 500 ms)",
    ]);
    deepStrictEqual(view(0, 0), ["0.00% (< 1.00%)", "0 ms (< 500 ms)"]);
  });

  it("a measurement without figures shows n/a for each", () => {
    const bare = measurement(1000, { errorRatePercent: undefined, latencyP95Ms: undefined });
    const v = bakeView(startBake(5, 0, RULES), bare, RULES, 1000);
    deepStrictEqual([v.errorRate, v.latencyP95], ["n/a (< 1.00%)", "n/a (< 500 ms)"]);
  });

  it("time left counts whole seconds up, from when the stage went live, and never below 0", () => {
    const left = (liveSinceMs: number, nowMs: number) =>
      bakeView(startBake(5, liveSinceMs, RULES), undefined, RULES, nowMs).secondsLeft;
    deepStrictEqual(
      [left(0, 59_001), left(0, 59_000), left(30_000, 60_000), left(0, 60_000), left(0, 90_000)],
      [1, 1, 30, 0, 0],
    );
  });

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
      deepStrictEqual(bakeView(startBake(25, 0, RULES), m, RULES, 60_000).window, window));
  }
});

describe("renderBakeLine", () => {
  it("puts every field of the frame on one line", () => {
    strictEqual(
      renderBakeLine({
        stage: "25%",
        secondsLeft: 180,
        windowSeconds: 300,
        errorRate: "0.12% (< 1.00%)",
        latencyP95: "184 ms (< 500 ms)",
        health: "5/5",
        window: "scrapes 0 of 20 failed; alerts none",
      }),
      "stage 25% | 180 s left of 300 s | error rate 0.12% (< 1.00%) | P95 184 ms (< 500 ms) | health 5/5 | scrapes 0 of 20 failed; alerts none",
    );
  });
});
