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
): { ticks: number[]; outcome: Exclude<BakeOutcome, { kind: "wait" }>; state: BakeState } {
  let state = startBake(25, liveSinceMs, rules);
  let now = startMs;
  const ticks: number[] = [];
  for (let i = 0; i < 1000; i++) {
    ticks.push(now);
    const r = stepBake(state, world(now), rules);
    state = r.state;
    if (r.outcome.kind !== "wait") return { ticks, outcome: r.outcome, state };
    now = r.outcome.nextTickMs;
  }
  throw new Error("the bake never ended");
}

const at = (s: number) => T0 + s * 1000;

describe("bake loop (simulated clock)", () => {
  it("measures every scrape interval and passes at the window's end, not before", () => {
    const r = simulate((now) => measurement(now));
    deepStrictEqual(r.ticks, [at(0), at(15), at(30), at(45), at(60)]);
    strictEqual(r.outcome.kind, "promote");
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
    strictEqual(r.outcome.kind, "promote");
  });

  it("a resumed stage keeps the time it already baked", () => {
    const r = simulate((now) => measurement(now), RULES, at(-50), at(0));
    deepStrictEqual(r.ticks, [at(0), at(10)]);
    strictEqual(r.outcome.kind, "promote");
  });

  it("a marginal error-rate breach (1.2x) breaches only at the window's end", () => {
    const r = simulate((now) =>
      measurement(now, {
        errorRatePercent: 1.2,
        shortErrorRatio: 0.012,
        window: windowChecks({ "error rate": "fail" }),
      }),
    );
    deepStrictEqual(r.ticks, [at(0), at(15), at(30), at(45), at(60)]);
    strictEqual(r.outcome.kind, "rollback");
    if (r.outcome.kind === "rollback") {
      deepStrictEqual(r.outcome.breach, {
        check: "error rate",
        value: "1.20%",
        threshold: "> 1.00% for 60 s breaches",
        reason:
          "GenesisErrorRateHigh: error rate over the last 30 s 1.20% > 1.00%, held 60 s >= 60 s",
        detectedMs: at(60),
        percentage: 25,
      });
    }
  });

  it("the window's own verdict breaches at the end when the short-window rule did not hold throughout", () => {
    const r = simulate((now) =>
      measurement(now, {
        shortErrorRatio: now === at(30) ? 0.001 : 0.012,
        window: windowChecks({ "error rate": "fail" }),
      }),
    );
    strictEqual(r.outcome.kind, "rollback");
    if (r.outcome.kind === "rollback") {
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
      strictEqual(r.outcome.kind, "rollback", name);
      if (r.outcome.kind === "rollback") strictEqual(r.outcome.breach.check, name);
    }
  });

  it("a P95 above the threshold on every tick breaches by its SLO rule at the window's end", () => {
    const r = simulate((now) => measurement(now, { shortLatencyP95Seconds: 0.6 }));
    strictEqual(r.outcome.kind, "rollback");
    if (r.outcome.kind === "rollback") {
      strictEqual(r.outcome.breach.check, "p95 latency");
      strictEqual(r.outcome.breach.value, "600 ms");
      strictEqual(r.outcome.breach.detectedMs, at(60));
    }
  });

  it("the severe fast path breaches once 10x has held for two scrapes, long before the window ends", () => {
    const rules = { ...RULES, windowSeconds: 300 };
    const onset = at(20);
    const r = simulate(
      (now) => measurement(now, { shortErrorRatio: now >= onset ? 0.1 : 0.0999 }),
      rules,
    );
    deepStrictEqual(r.ticks, [at(0), at(15), at(30), at(45), at(60)]);
    strictEqual(r.outcome.kind, "rollback");
    if (r.outcome.kind === "rollback") {
      deepStrictEqual(r.outcome.breach, {
        check: "severe error rate",
        value: "10.00%",
        threshold: ">= 10.00% for 30 s breaches",
        reason:
          "GenesisErrorRateSevere: severe error rate over the last 30 s 10.00% >= 10.00%, held 30 s >= 30 s",
        detectedMs: at(60),
        percentage: 25,
      });
    }
  });

  it("ticks just after each scrape and dates a new breach to the scrape that showed it: severe within 3 scrapes of onset", () => {
    const rules = { ...RULES, windowSeconds: 300 };
    // Prometheus scrapes at 5 s + 15 s k; the fault starts at 21 s and first shows at 35 s.
    const lastScrape = (now: number) => T0 + (Math.floor((now - T0 - 5000) / 15000) * 15000 + 5000);
    const onset = at(21);
    const r = simulate(
      (now) =>
        measurement(now, {
          lastScrapeMs: lastScrape(now),
          shortErrorRatio: lastScrape(now) >= at(35) ? 0.5 : 0,
        }),
      rules,
    );
    deepStrictEqual(r.ticks, [at(0), at(5.25), at(20.25), at(35.25), at(50.25), at(65.25)]);
    strictEqual(r.outcome.kind, "rollback");
    if (r.outcome.kind === "rollback") {
      strictEqual(r.outcome.breach.detectedMs, at(65.25));
      strictEqual((r.outcome.breach.detectedMs - onset) / 15000 <= 3, true);
    }
  });

  it("the severe `for` must hold at every tick: one miss starts it again", () => {
    const rules = { ...RULES, windowSeconds: 120 };
    const severeAt = (now: number) => now === at(15) || now >= at(45);
    const r = simulate(
      (now) => measurement(now, { shortErrorRatio: severeAt(now) ? 0.5 : 0 }),
      rules,
    );
    strictEqual(r.outcome.kind, "rollback");
    if (r.outcome.kind === "rollback") {
      strictEqual(r.outcome.breach.check, "severe error rate");
      strictEqual(r.outcome.breach.detectedMs, at(75));
    }
  });

  it("no short-window data never breaches a rule (NaN or missing)", () => {
    const r = simulate((now) =>
      measurement(now, {
        shortErrorRatio: now === at(15) ? Number.NaN : undefined,
        shortLatencyP95Seconds: undefined,
      }),
    );
    strictEqual(r.outcome.kind, "promote");
  });

  it("the app failing health `healthFailureLimit` times in a row breaches; a pass resets the count", () => {
    const flapping = (now: number) =>
      measurement(now, {
        health: now === at(15) || now === at(45) ? health("app health") : health(),
      });
    strictEqual(simulate(flapping).outcome.kind, "promote");
    const down = simulate((now) =>
      measurement(now, { health: now >= at(15) ? health("app health") : health() }),
    );
    strictEqual(down.outcome.kind, "rollback");
    if (down.outcome.kind === "rollback") {
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
    strictEqual(lowTraffic.outcome.kind, "hold");
    if (lowTraffic.outcome.kind === "hold") {
      strictEqual(lowTraffic.outcome.reason, "request count: request count inconclusive");
    }
    const grafanaDown = simulate((now) => measurement(now, { health: health("grafana health") }));
    strictEqual(grafanaDown.outcome.kind, "hold");
    const noWindow = simulate((now) => measurement(now, { window: [] }));
    deepStrictEqual(
      noWindow.outcome.kind === "hold" ? noWindow.outcome.reason : "",
      "no SLO checks were measured",
    );
  });

  it("an error-rate query that failed at the end is undecided, not a breach and not a pass", () => {
    const r = simulate((now) =>
      measurement(now, { window: windowChecks({ "error rate": "error" }) }),
    );
    strictEqual(r.outcome.kind, "hold");
  });
});

describe("bake loop: one tick", () => {
  /** The state after ticks at `times` (s) of healthy measurements, then `m` judged. */
  const after = (times: number[], m: BakeMeasurement, rules: BakeRules = RULES) => {
    let state = startBake(25, T0, rules);
    for (const s of times) state = stepBake(state, measurement(at(s)), rules).state;
    return stepBake(state, m, rules);
  };

  it("a value exactly at a `>` rule's threshold does not hold it: the stage passes", () => {
    const r = simulate((now) =>
      measurement(now, { shortErrorRatio: 0.01, shortLatencyP95Seconds: 0.5 }),
    );
    strictEqual(r.outcome.kind, "promote");
  });

  it("an infinite short-window figure is no data: it breaches no rule", () => {
    const r = simulate((now) =>
      measurement(now, {
        shortErrorRatio: Number.POSITIVE_INFINITY,
        shortLatencyP95Seconds: Number.POSITIVE_INFINITY,
      }),
    );
    strictEqual(r.outcome.kind, "promote");
  });

  it("keeps each tick's figures and how many health checks passed, leaving out unknown figures", () => {
    const r = after(
      [0],
      measurement(at(15), {
        health: health("grafana health", "app health"),
        errorRatePercent: undefined,
        latencyP95Ms: undefined,
      }),
    );
    deepStrictEqual(r.state.samples, [
      { atMs: at(0), percentage: 25, errorRatePercent: 0.1, latencyP95Ms: 120, healthy: 5 },
      { atMs: at(15), percentage: 25, healthy: 3 },
    ]);
  });

  it("a condition first seen is dated to the scrape that showed it, but never before the previous tick nor after now", () => {
    const severe = (atS: number, lastScrapeS: number) =>
      measurement(at(atS), { shortErrorRatio: 0.5, lastScrapeMs: at(lastScrapeS) });
    // The scrape that showed it (20 s) came after the previous tick (15 s).
    deepStrictEqual(after([0, 15], severe(30, 20)).state.holdingSinceMs, {
      GenesisErrorRateHigh: at(20),
      GenesisErrorRateSevere: at(20),
    });
    // A stale scrape (-10 s) dates it to the previous tick (0 s).
    deepStrictEqual(after([0], severe(15, -10)).state.holdingSinceMs, {
      GenesisErrorRateHigh: at(0),
      GenesisErrorRateSevere: at(0),
    });
    // A scrape stamped after the tick (clock skew) dates it to the tick.
    deepStrictEqual(after([0], severe(15, 16)).state.holdingSinceMs, {
      GenesisErrorRateHigh: at(15),
      GenesisErrorRateSevere: at(15),
    });
  });

  it("the next tick is just after Prometheus's next scrape, or one interval on when that is not in the future", () => {
    const next = (lastScrapeS: number, rules: BakeRules = RULES) => {
      const r = after([], measurement(at(10), { lastScrapeMs: at(lastScrapeS) }), rules);
      return r.outcome.kind === "wait" ? (r.outcome.nextTickMs - T0) / 1000 : r.outcome.kind;
    };
    deepStrictEqual(
      [next(5), next(-5.25), next(-30)],
      [20.25, 25, 25], // 5 + 15 + 0.25; -5.25 + 15 + 0.25 = 10 is now: 10 + 15
    );
    // A tenth of the scrape interval after the scrape, at most 250 ms.
    strictEqual(next(9.5, { ...RULES, scrapeIntervalSeconds: 1 }), 10.6);
  });

  it("a hold names every check that did not pass, with its reason", () => {
    const r = after(
      [],
      measurement(at(60), {
        health: health("grafana health"),
        window: windowChecks({ "request count": "inconclusive" }),
      }),
    );
    deepStrictEqual(r.outcome, {
      kind: "hold",
      reason: "grafana health: grafana health error; request count: request count inconclusive",
      checks: [...health("grafana health"), ...windowChecks({ "request count": "inconclusive" })],
    });
  });

  it("the app's health breach names the limit, and says so when no app health check was measured", () => {
    const noApp = (s: number) =>
      measurement(at(s), { health: health().filter((c) => c.name !== "app health") });
    let state = startBake(25, T0, RULES);
    for (const s of [0, 15]) state = stepBake(state, noApp(s), RULES).state;
    deepStrictEqual(stepBake(state, noApp(30), RULES).outcome, {
      kind: "rollback",
      breach: {
        check: "app health",
        value: "3 failed in a row",
        threshold: "< 3 failed in a row",
        reason:
          "application health failed 3 times in a row >= limit 3: no app health check was measured",
        detectedMs: at(30),
        percentage: 25,
      },
    });
  });
});
