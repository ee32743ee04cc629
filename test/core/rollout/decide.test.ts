import { deepStrictEqual, strictEqual } from "node:assert/strict";
import fc from "fast-check";
import { ALL_CHECKS } from "../../../core/gate/checkCatalogue";
import { decideRollout } from "../../../core/gate/decideRollout";
import { CheckResult, CheckVerdict, GateState } from "../../../core/gate/types";
import { startBake, stepBake } from "../../../core/rollout/bakeLoop";
import {
  decideOnMeasurements,
  decideWithoutMeasuring,
  refusedRequested,
  StepQuestion,
} from "../../../core/rollout/decide";
import { SETTINGS } from "../gate/fixtures";
import { RULES } from "./fixtures";

const T0 = Date.parse("2026-03-01T00:00:00.000Z");
const RULES_OF_STEPS = { steps: SETTINGS.steps, allowStepSkip: false, overrideReason: "" };
const ask = (from: number | undefined, to: number, extra: Partial<StepQuestion> = {}) => ({
  live: from === undefined ? undefined : { percentage: from, liveSinceMs: T0 },
  requested: to,
  nowMs: T0 + 600_000,
  rules: RULES_OF_STEPS,
  ...extra,
});
const result = (name: string, verdict: CheckVerdict): CheckResult => ({
  name,
  value: "v",
  threshold: "t",
  verdict,
  reason: `${name} ${verdict}`,
});
const WINDOW_NAMES = ALL_CHECKS.filter((c) => c.group === "window" && c.name !== "stage live").map(
  (c) => c.name,
);
const HEALTH_NAMES = ALL_CHECKS.filter((c) => c.group === "health").map((c) => c.name);
const allPass = [...HEALTH_NAMES, ...WINDOW_NAMES].map((n) => result(n, "pass"));

describe("decide: phase one (without measuring)", () => {
  const rows: [string, number | undefined, number, string, string][] = [
    [
      "first stage",
      undefined,
      5,
      "promote",
      "gate created at 5%; there is no earlier stage to judge",
    ],
    [
      "first stage off the steps",
      undefined,
      7,
      "hold",
      "cannot start at 7%: 7 is not a rollout step; allowed steps are 0,5,10,25,50,75,100",
    ],
    [
      "a skip",
      5,
      25,
      "hold",
      "cannot promote from 5% to 25%: it skips 10%; the next step is 10% (set genesis:allowStepSkip to true to skip steps)",
    ],
    ["no change", 10, 10, "hold", "no change at 10%"],
    [
      "a rollback, even across steps",
      50,
      5,
      "rollback",
      "rolled back from 50% to 5%; health and SLOs are not checked for a rollback",
    ],
  ];
  for (const [what, from, to, action, reason] of rows) {
    it(`${what}: ${action}`, () => {
      const first = decideWithoutMeasuring(ask(from, to));
      strictEqual(first.phase, "decided");
      if (first.phase === "decided") {
        deepStrictEqual([first.decision.action, first.decision.reason], [action, reason]);
        deepStrictEqual(first.decision.checks, []);
      }
    });
  }

  it("a promotion to the next step must be measured, from the live stage", () => {
    deepStrictEqual(decideWithoutMeasuring(ask(5, 10)), {
      phase: "measure",
      live: { percentage: 5, liveSinceMs: T0 },
    });
  });

  it("a cool-down holds the promotion it names until it ends, unless an override reason is set", () => {
    const cooldown = { percentage: 10, untilMs: T0 + 700_000, cause: "blocked" as const };
    const live = { percentage: 5, liveSinceMs: T0, cooldown };
    const held = decideWithoutMeasuring(ask(5, 10, { live }));
    strictEqual(held.phase === "decided" && held.decision.basis, "cool-down");
    strictEqual(decideWithoutMeasuring(ask(5, 10, { live, nowMs: T0 + 700_000 })).phase, "measure");
    const overridden = ask(5, 10, { live, rules: { ...RULES_OF_STEPS, overrideReason: "hotfix" } });
    strictEqual(decideWithoutMeasuring(overridden).phase, "measure");
    strictEqual(decideOnMeasurements(overridden, { checks: allPass }).overrideReason, "hotfix");
  });
});

describe("decide: phase two (on measurements)", () => {
  const q = ask(5, 10);

  it("promotes when every check passed", () => {
    const d = decideOnMeasurements(q, { checks: allPass });
    deepStrictEqual(
      [d.action, d.kind, d.reason],
      ["promote", "promotion", `promoted from 5% to 10%: all ${allPass.length} checks passed`],
    );
  });

  it("rolls back on a failed check whose failure is a breach, naming it", () => {
    const checks = allPass.map((c) => (c.name === "p95 latency" ? result(c.name, "fail") : c));
    const d = decideOnMeasurements(q, { checks });
    deepStrictEqual([d.action, d.breach?.check], ["rollback", "p95 latency"]);
  });

  it("holds on a failed check that is not a breach, and on any check it could not judge", () => {
    for (const [name, verdict] of [
      ["alerts", "fail"],
      ["request count", "inconclusive"],
      ["grafana health", "error"],
    ] as const) {
      const checks = allPass.map((c) => (c.name === name ? result(name, verdict) : c));
      strictEqual(decideOnMeasurements(q, { checks }).action, "hold", name);
    }
    strictEqual(decideOnMeasurements(q, { checks: [] }).action, "hold");
  });

  it("waits before the window's end, and a breach seen meanwhile rolls back", () => {
    const windowEndsMs = q.nowMs + 1000;
    const failing = allPass.map((c) => (c.name === "error rate" ? result(c.name, "fail") : c));
    strictEqual(decideOnMeasurements(q, { checks: failing, windowEndsMs }).action, "wait");
    const breach = { check: "severe error rate", value: "20%", threshold: ">= 10%", reason: "r" };
    const d = decideOnMeasurements(q, { checks: allPass, windowEndsMs, breach });
    deepStrictEqual([d.action, d.reason], ["rollback", "r"]);
  });

  it("a bake that measured no SLO check over its window holds", () => {
    const healthOnly = allPass.filter((c) => HEALTH_NAMES.includes(c.name));
    strictEqual(
      decideOnMeasurements(q, { checks: healthOnly, windowEndsMs: q.nowMs }).action,
      "hold",
    );
  });

  it("the verdict refuses only a blocked promotion to the percentage asked for now", () => {
    deepStrictEqual(
      [
        refusedRequested({ decision: "blocked", to: 10 }, 10),
        refusedRequested({ decision: "blocked", to: 10 }, 25),
        refusedRequested({ decision: "promotion", to: 10 }, 10),
      ],
      [true, false, false],
    );
  });
});

describe("decide: the gate and the bake are one decision", () => {
  const verdicts: CheckVerdict[] = ["pass", "fail", "inconclusive", "error"];
  const arbitraryChecks = fc
    .tuple(
      ...[...HEALTH_NAMES, ...WINDOW_NAMES].map((n) =>
        fc.constantFrom(...verdicts).map((v) => result(n, v)),
      ),
    )
    .map((cs) => cs as CheckResult[]);

  it("for any measured checks, the gate lets the promotion through exactly when the bake promotes at the window's end", () => {
    fc.assert(
      fc.property(arbitraryChecks, (checks) => {
        const state: GateState = { percentage: 5, liveSinceMs: T0, lastVerdicts: [], records: [] };
        const gate = decideRollout({
          state,
          targetPercentage: 10,
          nowMs: T0 + 600_000,
          settings: SETTINGS,
          checks: [...checks, result("stage live", "pass")],
        });
        const bake = stepBake(
          startBake(5, T0, RULES),
          {
            atMs: T0 + RULES.windowSeconds * 1000,
            health: checks.filter((c) => HEALTH_NAMES.includes(c.name)),
            window: checks.filter((c) => WINDOW_NAMES.includes(c.name)),
          },
          RULES,
        );
        strictEqual(gate.outcome === "apply", bake.outcome.kind === "promote");
        // A breach the bake rolls back on is a blocked promotion at the gate.
        if (bake.outcome.kind === "rollback") strictEqual(gate.outcome, "block");
      }),
      { numRuns: 300 },
    );
  });
});

describe("decide: cool-downs and override reasons", () => {
  const untilMs = T0 + 700_000; // 100 s after ask()'s now
  const liveWith = (percentage: number, cause: "blocked" | "rollback") => ({
    percentage: 5,
    liveSinceMs: T0,
    cooldown: { percentage, untilMs, cause },
  });
  const hotfix = { ...RULES_OF_STEPS, overrideReason: "hotfix" };

  it("a cool-down after a rollback holds with its reason, as one after a blocked promotion", () => {
    const held = (cause: "blocked" | "rollback") =>
      decideWithoutMeasuring(ask(5, 10, { live: liveWith(10, cause) }));
    const decision = (after: string) => ({
      phase: "decided",
      decision: {
        action: "hold",
        from: 5,
        to: 10,
        kind: "blocked",
        basis: "cool-down",
        reason: `promotion from 5% to 10% is in cool-down after ${after} until 2026-03-01T00:11:40.000Z (100 s left); set genesis:gateOverrideReason to retry sooner`,
        checks: [],
      },
    });
    deepStrictEqual(held("rollback"), decision("a rollback from 10%"));
    deepStrictEqual(held("blocked"), decision("a blocked promotion"));
  });

  it("a cool-down for another step does not hold this one", () => {
    const live = liveWith(25, "blocked");
    deepStrictEqual(decideWithoutMeasuring(ask(5, 10, { live })), { phase: "measure", live });
  });

  it("a cool-down for another step, or one that has ended, neither holds nor is overridden", () => {
    const promoted = {
      action: "promote",
      from: 5,
      to: 10,
      kind: "promotion",
      reason: `promoted from 5% to 10%: all ${allPass.length} checks passed`,
      checks: allPass,
      basis: "measurements",
    };
    for (const [what, live, nowMs] of [
      ["another step", liveWith(25, "blocked"), T0 + 600_000],
      ["ended at now", liveWith(10, "blocked"), untilMs],
      ["ended before now", liveWith(10, "blocked"), untilMs + 1],
    ] as const) {
      const q = ask(5, 10, { live, nowMs, rules: hotfix });
      deepStrictEqual(decideWithoutMeasuring(q), { phase: "measure", live }, what);
      deepStrictEqual(decideOnMeasurements(q, { checks: allPass }), promoted, what);
    }
  });

  it("an override reason lifting a cool-down in force is recorded and noted", () => {
    const q = ask(5, 10, { live: liveWith(10, "blocked"), rules: hotfix });
    deepStrictEqual(decideOnMeasurements(q, { checks: allPass }), {
      action: "promote",
      from: 5,
      to: 10,
      kind: "promotion",
      reason: `promoted from 5% to 10%: all ${allPass.length} checks passed; cool-down overridden: hotfix`,
      checks: allPass,
      basis: "measurements",
      overrideReason: "hotfix",
    });
  });

  it("without an override reason, a decision on measurements notes no override", () => {
    const q = ask(5, 10, { live: liveWith(10, "blocked") });
    const d = decideOnMeasurements(q, { checks: allPass });
    deepStrictEqual(
      [d.reason, "overrideReason" in d],
      [`promoted from 5% to 10%: all ${allPass.length} checks passed`, false],
    );
  });
});

describe("decide: the reasons of phase two", () => {
  const q = ask(5, 10);
  const with_ = (verdicts: Record<string, CheckVerdict>) =>
    allPass.map((c) => (verdicts[c.name] !== undefined ? result(c.name, verdicts[c.name]) : c));

  it("a hold names the checks that did not pass, grouped by verdict, and carries no breach", () => {
    const checks = with_({
      "grafana health": "error",
      "data freshness": "inconclusive",
      "request count": "inconclusive",
      alerts: "fail",
      "scrapes in window": "fail",
    });
    deepStrictEqual(decideOnMeasurements(q, { checks }), {
      action: "hold",
      from: 5,
      to: 10,
      kind: "blocked",
      reason:
        "promotion from 5% to 10% blocked (fail): failed: scrapes in window, alerts; inconclusive: data freshness, request count; could not be run: grafana health",
      checks,
      basis: "measurements",
    });
  });

  it("a hold on checks it could not judge says inconclusive, naming each", () => {
    const d = decideOnMeasurements(q, { checks: with_({ "request count": "inconclusive" }) });
    strictEqual(
      d.reason,
      "promotion from 5% to 10% blocked (inconclusive): inconclusive: request count",
    );
    strictEqual(
      decideOnMeasurements(q, { checks: [] }).reason,
      "promotion from 5% to 10% blocked (inconclusive): no checks were evaluated",
    );
  });

  it("a bake whose checks all passed but measured no SLO check holds, saying so", () => {
    const healthOnly = allPass.filter((c) => HEALTH_NAMES.includes(c.name));
    const bake = ask(5, 5);
    deepStrictEqual(decideOnMeasurements(bake, { checks: healthOnly, windowEndsMs: bake.nowMs }), {
      action: "hold",
      from: 5,
      to: 5,
      kind: "blocked",
      reason: "promotion from 5% to 5% blocked (inconclusive): no SLO checks were measured",
      checks: healthOnly,
      basis: "measurements",
    });
  });

  it("before the window's end a stage waits, saying until when and the whole seconds left", () => {
    const windowEndsMs = q.nowMs + 1500;
    deepStrictEqual(decideOnMeasurements(q, { checks: allPass, windowEndsMs }), {
      action: "wait",
      from: 5,
      to: 10,
      kind: "blocked",
      reason: "stage 5% is in its validation window until 2026-03-01T00:10:01.500Z (2 s left)",
      checks: allPass,
      basis: "measurements",
    });
  });

  it("a breached check rolls back with the breach and the check table's names", () => {
    const checks = with_({ "error rate": "fail", "request count": "inconclusive" });
    deepStrictEqual(decideOnMeasurements(q, { checks }), {
      action: "rollback",
      from: 5,
      to: 10,
      kind: "blocked",
      reason:
        "promotion from 5% to 10% blocked (fail): failed: error rate; inconclusive: request count",
      checks,
      basis: "measurements",
      breach: {
        check: "error rate",
        value: "v",
        threshold: "t",
        reason: "error rate fail over the validation window",
      },
    });
  });
});
