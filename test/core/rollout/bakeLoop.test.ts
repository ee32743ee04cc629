import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  BakeMeasurement,
  BakeOutcome,
  BakeState,
  startBake,
  stepBake,
} from "../../../core/rollout/bakeLoop";
import { BakeRules } from "../../../core/rollout/bakeRules";
import { check, health, measurement, RULES, windowChecks } from "./fixtures";

const T0 = Date.parse("2026-01-01T12:00:00Z");

/**
 * Drives a bake with a simulated clock: each tick measures `world(nowMs)` at the time the
 * loop asked for, until the loop stops. Returns the ticks' times and the final outcome.
 */
function simulate(
  world: (nowMs: number) => BakeMeasurement,
  rules: BakeRules = RULES,
  liveSinceMs = T0,
  startMs = T0,
): { ticks: number[]; outcome: Exclude<BakeOutcome, { kind: "continue" }>; state: BakeState } {
  let state = startBake(25, liveSinceMs, rules);
  let now = startMs;
  const ticks: number[] = [];
  for (let i = 0; i < 1000; i++) {
    ticks.push(now);
    const r = stepBake(state, world(now), rules);
    state = r.state;
    if (r.outcome.kind !== "continue") return { ticks, outcome: r.outcome, state };
    now = r.outcome.nextTickMs;
  }
  throw new Error("the bake never ended");
}

const at = (s: number) => T0 + s * 1000;

describe("bake loop (simulated clock)", () => {
  it("measures every scrape interval and passes at the window's end, not before", () => {
    const r = simulate((now) => measurement(now));
    deepStrictEqual(r.ticks, [at(0), at(15), at(30), at(45), at(60)]);
    strictEqual(r.outcome.kind, "passed");
    strictEqual(r.state.samples.length, 5);
    deepStrictEqual(r.state.samples[0], {
      atMs: at(0),
      percentage: 25,
      errorRatePercent: 0.1,
      latencyP95Ms: 120,
      healthy: 5,
    });
  });

  it("lands the last tick exactly on the window's end when scrapes do not divide it", () => {
    const r = simulate((now) => measurement(now), { ...RULES, windowSeconds: 70 });
    deepStrictEqual(r.ticks, [at(0), at(15), at(30), at(45), at(60), at(70)]);
    strictEqual(r.outcome.kind, "passed");
  });

  it("a resumed stage keeps the time it already baked", () => {
    const r = simulate((now) => measurement(now), RULES, at(-50), at(0));
    deepStrictEqual(r.ticks, [at(0), at(10)]);
    strictEqual(r.outcome.kind, "passed");
  });

  it("a marginal error-rate breach (1.2x) is judged only at the window's end", () => {
    const r = simulate((now) =>
      measurement(now, {
        errorRatePercent: 1.2,
        severeErrorRatePercent: 1.2,
        window: windowChecks({ "error rate": "fail" }),
      }),
    );
    deepStrictEqual(r.ticks, [at(0), at(15), at(30), at(45), at(60)]);
    strictEqual(r.outcome.kind, "breach");
    if (r.outcome.kind === "breach") {
      deepStrictEqual(r.outcome.breach, {
        check: "error rate",
        value: "v",
        threshold: "t",
        reason: "error rate fail over the validation window",
        detectedMs: at(60),
        percentage: 25,
      });
    }
  });

  it("P95 and canary-vs-stable failures at the window's end are breaches too", () => {
    for (const name of ["p95 latency", "canary vs stable"]) {
      const window =
        name === "canary vs stable"
          ? [...windowChecks(), check(name, "fail")]
          : windowChecks({ [name]: "fail" });
      const r = simulate((now) => measurement(now, { window }));
      strictEqual(r.outcome.kind, "breach", name);
      if (r.outcome.kind === "breach") strictEqual(r.outcome.breach.check, name);
    }
  });

  it("the severe fast path breaches at the first measurement at or above 10x", () => {
    const onset = at(20);
    const r = simulate((now) =>
      measurement(now, { severeErrorRatePercent: now >= onset ? 10 : 9.99 }),
    );
    deepStrictEqual(r.ticks, [at(0), at(15), at(30)]);
    strictEqual(r.outcome.kind, "breach");
    if (r.outcome.kind === "breach") {
      deepStrictEqual(r.outcome.breach, {
        check: "severe error rate",
        value: "10.00%",
        threshold: "< 10.00%",
        reason: "error rate over the last 60 s 10.00% >= severe threshold 10.00% (fast path)",
        detectedMs: at(30),
        percentage: 25,
      });
    }
  });

  it("the severe fast path honours its `for`: it must hold on every tick for that long", () => {
    const rules = { ...RULES, severeForSeconds: 30 };
    // Severe at 15 s, gone at 30 s, back from 45 s on: fires at 45 + 30 = 75 s > window end.
    const severeAt = (now: number) => now === at(15) || now >= at(45);
    const r1 = simulate(
      (now) => measurement(now, { severeErrorRatePercent: severeAt(now) ? 50 : 0 }),
      { ...rules, windowSeconds: 120 },
    );
    strictEqual(r1.outcome.kind, "breach");
    if (r1.outcome.kind === "breach") strictEqual(r1.outcome.breach.detectedMs, at(75));
  });

  it("no severe data never breaches on the fast path (NaN or missing)", () => {
    const r = simulate((now) =>
      measurement(now, { severeErrorRatePercent: now === at(15) ? Number.NaN : undefined }),
    );
    strictEqual(r.outcome.kind, "passed");
  });

  it("the app failing health `healthFailureLimit` times in a row breaches; a pass resets the count", () => {
    const flapping = (now: number) =>
      measurement(now, {
        health: now === at(15) || now === at(45) ? health("app health") : health(),
      });
    strictEqual(simulate(flapping).outcome.kind, "passed");
    const down = simulate((now) =>
      measurement(now, { health: now >= at(15) ? health("app health") : health() }),
    );
    strictEqual(down.outcome.kind, "breach");
    if (down.outcome.kind === "breach") {
      strictEqual(down.outcome.breach.check, "app health");
      strictEqual(down.outcome.breach.detectedMs, at(45));
      strictEqual(down.outcome.breach.value, "3 failed in a row");
      strictEqual(
        down.outcome.breach.reason,
        "application health failed 3 times in a row >= limit 3: app health error",
      );
    }
  });

  it("cannot decide (fails closed) when a check is inconclusive or a component is down at the end", () => {
    const lowTraffic = simulate((now) =>
      measurement(now, { window: windowChecks({ "request count": "inconclusive" }) }),
    );
    strictEqual(lowTraffic.outcome.kind, "undecided");
    if (lowTraffic.outcome.kind === "undecided") {
      strictEqual(lowTraffic.outcome.reason, "request count: request count inconclusive");
    }
    const grafanaDown = simulate((now) => measurement(now, { health: health("grafana health") }));
    strictEqual(grafanaDown.outcome.kind, "undecided");
    const noWindow = simulate((now) => measurement(now, { window: [] }));
    deepStrictEqual(
      noWindow.outcome.kind === "undecided" ? noWindow.outcome.reason : "",
      "no SLO checks were measured",
    );
  });

  it("an error-rate query that failed at the end is undecided, not a breach and not a pass", () => {
    const r = simulate((now) =>
      measurement(now, { window: windowChecks({ "error rate": "error" }) }),
    );
    strictEqual(r.outcome.kind, "undecided");
  });
});
