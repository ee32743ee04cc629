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
