import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { QueryOutcome } from "../../../core/gate/prometheusResponse";
import { GateState } from "../../../core/gate/types";
import { RegressionInput } from "../../../core/signoff/finalValidation";
import {
  evaluateSignoff,
  renderSignoff,
  signoffQueries,
  SIGNOFF_RULES,
} from "../../../core/signoff/signoff";
import { SloAlertName, sloRules } from "../../../core/slo/sloRules";
import { completedStack } from "../../support/stacks";

const NOW = Date.parse("2026-03-04T12:00:00Z");
const AT_100: GateState = {
  percentage: 100,
  liveSinceMs: NOW - 50 * 3600_000,
  lastVerdicts: [],
  records: [],
};
const value = (v: number): QueryOutcome => ({
  kind: "samples",
  samples: [{ labels: {}, value: v, timestampSeconds: 0 }],
});
const allHeld = Object.fromEntries(SIGNOFF_RULES.map((a) => [a, value(0)]));
const production = (values: Record<string, unknown> = {}) =>
  completedStack("production", { rolloutPercentage: 100, ...values });
const REGRESSION_OK: RegressionInput = {
  baseline: {
    kind: "period",
    period: { fromMs: NOW - 60 * 3600_000 - 300_000, toMs: NOW - 60 * 3600_000 },
    source:
      "the 0% stage's validation window before the promotion 0% -> 5% at 2026-03-02T00:00:00.000Z",
  },
  baselineFigures: { errorRatio: value(0.0004), latencyP95Seconds: value(0.17) },
  signoffPeriod: { fromMs: NOW - 48 * 3600_000, toMs: NOW },
  signoffFigures: { errorRatio: value(0.0005), latencyP95Seconds: value(0.18) },
  tolerancePercent: 10,
  errorRateObjectivePercent: 0.1,
};
/** Stage 5's inputs, all given and passing. */
const STAGE5 = {
  stack: "production",
  regression: REGRESSION_OK,
  testResults: {
    path: "test-results.json",
    text: JSON.stringify({ stats: { tests: 1000, passes: 995 }, failures: [] }),
  },
  securityReport: {
    path: "security.json",
    text: JSON.stringify({
      stack: "production",
      environment: "production",
      results: [],
      exitCode: 0,
    }),
  },
};

describe("final sign-off", () => {
  it("asks Prometheus whether each SLO rule's condition held for its for duration in the period", () => {
    const q = signoffQueries(sloRules(production(), 'instance="app:8080"'), 48 * 3600, 15);
    deepStrictEqual(Object.keys(q), [
      "GenesisErrorRateHigh",
      "GenesisErrorRateSevere",
      "GenesisLatencyP95High",
      "GenesisHealthCheckFailing",
    ]);
    strictEqual(
      q.GenesisHealthCheckFailing,
      'max(max_over_time((min_over_time(((up{instance="app:8080"}) == bool 0)[60s:15s]))[172800s:15s]))',
    );
  });

  it("passes after 48 h at 100 % with every rule held and every approval given", () => {
    const r = evaluateSignoff({
      ...STAGE5,
      config: production({ signoffApprovals: ["deployment-lead", "on-call", "security-lead"] }),
      gate: AT_100,
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(r.verdict, "pass");
    deepStrictEqual(r.missingApprovals, []);
    deepStrictEqual(
      r.checks.map((c) => [c.name, c.value, c.verdict]),
      [
        ["at 100%", "100% live", "pass"],
        ["time at 100%", "50.0 h", "pass"],
        ["GenesisErrorRateHigh held", "held", "pass"],
        ["GenesisErrorRateSevere held", "held", "pass"],
        ["GenesisLatencyP95High held", "held", "pass"],
        ["GenesisHealthCheckFailing held", "held", "pass"],
        ["p95 vs baseline", "180 ms vs baseline 170 ms (+5.9%)", "pass"],
        ["error rate vs baseline", "0.050% vs baseline 0.040% (+25.0%)", "pass"],
        ["suite pass rate", "99.5% (995 of 1000)", "pass"],
        ["security scan", "exit 0", "pass"],
      ],
    );
    strictEqual(
      renderSignoff("production", r, "<table>"),
      [
        "final sign-off of production: PASS",
        "objectives: error rate < 0.1%, P95 < 200 ms; rollback triggers: error rate < 1%, P95 < 500 ms",
        "<table>",
        "approvals: all given",
      ].join("\n"),
    );
  });

  it("Stage 5's inputs missing: each check inconclusive naming what to pass, never a pass", () => {
    const r = evaluateSignoff({
      stack: "production",
      config: production({ signoffApprovals: ["deployment-lead", "on-call", "security-lead"] }),
      gate: AT_100,
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(r.verdict, "inconclusive");
    deepStrictEqual(r.checks.slice(6), [
      {
        name: "p95 vs baseline",
        value: "not measured",
        threshold: "<= baseline + tolerance",
        verdict: "inconclusive",
        reason: "the sign-off period was not compared with a baseline",
      },
      {
        name: "error rate vs baseline",
        value: "not measured",
        threshold: "<= baseline + tolerance",
        verdict: "inconclusive",
        reason: "the sign-off period was not compared with a baseline",
      },
      {
        name: "suite pass rate",
        value: "not given",
        threshold: ">= 98%",
        verdict: "inconclusive",
        reason: "no test results: pass the pipeline's mocha JSON report with --test-results <file>",
      },
      {
        name: "security scan",
        value: "not given",
        threshold: "exit code 0 (no mandatory rule violated)",
        verdict: "inconclusive",
        reason:
          "no security scan: run genesis security-check --stack production --json > <file> and pass it with --security-report <file>",
      },
    ]);
  });

  it("lists the approvals still missing, with the people from stack config, and does not pass", () => {
    const r = evaluateSignoff({
      ...STAGE5,
      config: production({ signoffApprovals: ["on-call"], securityLeadEmail: "sec@example.org" }),
      gate: AT_100,
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(r.verdict, "fail");
    deepStrictEqual(r.missingApprovals, [
      { role: "deployment-lead", person: "lead@example.org" },
      { role: "security-lead", person: "sec@example.org" },
    ]);
  });

  it("fails before the required time, saying how long is left", () => {
    const r = evaluateSignoff({
      ...STAGE5,
      config: production(),
      gate: { ...AT_100, liveSinceMs: NOW - 36 * 3600_000 },
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(r.verdict, "fail");
    strictEqual(
      r.checks[1].reason,
      "at 100% for 36.0 h < 48 h; 12.0 h left (from 2026-03-05T00:00:00.000Z)",
    );
  });

  it("fails when a rule fired in the period, and when the stack is not at 100 %", () => {
    const fired = evaluateSignoff({
      ...STAGE5,
      config: production(),
      gate: AT_100,
      nowMs: NOW,
      held: { ...allHeld, GenesisLatencyP95High: value(1) },
    });
    strictEqual(fired.verdict, "fail");
    strictEqual(fired.checks.find((c) => c.name === "GenesisLatencyP95High held")?.value, "fired");
    const at75 = evaluateSignoff({
      ...STAGE5,
      config: production({ rolloutPercentage: 75 }),
      gate: { ...AT_100, percentage: 75 },
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(at75.verdict, "fail");
    strictEqual(at75.checks[0].reason, "the stack is at 75% (configured 75%), not 100%");
  });

  it("cannot decide without data or without the gate's state: never a pass", () => {
    const noData = evaluateSignoff({
      ...STAGE5,
      config: production({ signoffApprovals: ["deployment-lead", "on-call", "security-lead"] }),
      gate: AT_100,
      nowMs: NOW,
      held: { ...allHeld, GenesisErrorRateHigh: { kind: "empty" } },
    });
    strictEqual(noData.verdict, "inconclusive");
    const noGate = evaluateSignoff({
      ...STAGE5,
      config: production({ signoffApprovals: ["deployment-lead", "on-call", "security-lead"] }),
      gateUnavailable: "pulumi stack select failed",
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(noGate.verdict, "inconclusive");
    strictEqual(noGate.checks[0].reason, "the gate's state is unknown: pulumi stack select failed");
  });
});

describe("final sign-off: each check in full", () => {
  const ALL_APPROVALS = { signoffApprovals: ["deployment-lead", "on-call", "security-lead"] };
  const HELD_THRESHOLD = "never fired in the last 48 h";

  it("exactly the required time at 100 % passes, with when it began", () => {
    const r = evaluateSignoff({
      ...STAGE5,
      config: production(ALL_APPROVALS),
      gate: { ...AT_100, liveSinceMs: NOW - 48 * 3600_000 },
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(r.verdict, "pass");
    deepStrictEqual(r.checks.slice(0, 2), [
      {
        name: "at 100%",
        value: "100% live",
        threshold: "100% live",
        verdict: "pass",
        reason: "the stack is at 100%",
      },
      {
        name: "time at 100%",
        value: "48.0 h",
        threshold: ">= 48 h",
        verdict: "pass",
        reason: "at 100% since 2026-03-02T12:00:00.000Z: 48.0 h >= 48 h",
      },
    ]);
  });

  it("short of the required time: fails with the time left", () => {
    const r = evaluateSignoff({
      ...STAGE5,
      config: production(ALL_APPROVALS),
      gate: { ...AT_100, liveSinceMs: NOW - 47.5 * 3600_000 },
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(r.verdict, "fail");
    deepStrictEqual(r.checks[1], {
      name: "time at 100%",
      value: "47.5 h",
      threshold: ">= 48 h",
      verdict: "fail",
      reason: "at 100% for 47.5 h < 48 h; 0.5 h left (from 2026-03-04T12:30:00.000Z)",
    });
  });

  it("live and configured must both be 100 %; the time is counted only when live is", () => {
    const rows: [number, number, string, string, string[]][] = [
      [
        100,
        75,
        "100% live, 75% configured",
        "the stack is at 100% (configured 75%), not 100%",
        ["at 100%", "time at 100%"],
      ],
      [
        75,
        100,
        "75% live, 100% configured",
        "the stack is at 75% (configured 100%), not 100%",
        ["at 100%"],
      ],
    ];
    for (const [live, configured, value, reason, names] of rows) {
      const r = evaluateSignoff({
        ...STAGE5,
        config: production({ ...ALL_APPROVALS, rolloutPercentage: configured }),
        gate: { ...AT_100, percentage: live },
        nowMs: NOW,
        held: allHeld,
      });
      strictEqual(r.verdict, "fail");
      deepStrictEqual(r.checks[0], {
        name: "at 100%",
        value,
        threshold: "100% live",
        verdict: "fail",
        reason,
      });
      deepStrictEqual(
        r.checks.filter((c) => c.name.includes("100%")).map((c) => c.name),
        names,
      );
    }
  });

  it("without the gate's state and no reason given: inconclusive, no time at 100 %", () => {
    const r = evaluateSignoff({
      ...STAGE5,
      config: production(ALL_APPROVALS),
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(r.verdict, "inconclusive");
    deepStrictEqual(r.checks[0], {
      name: "at 100%",
      value: "unknown",
      threshold: "100% live",
      verdict: "inconclusive",
      reason: "the gate's state is unknown: no stack outputs",
    });
    strictEqual(r.checks[1].name, "GenesisErrorRateHigh held");
  });

  it("each rule's answer: held, fired, not measured, failed, no data (empty or NaN)", () => {
    const held = (outcomes: Partial<Record<SloAlertName, QueryOutcome>>) =>
      evaluateSignoff({
        ...STAGE5,
        config: production(ALL_APPROVALS),
        gate: AT_100,
        nowMs: NOW,
        held: outcomes,
      }).checks.filter((c) => c.name.endsWith(" held"));
    deepStrictEqual(
      held({
        GenesisErrorRateHigh: value(0),
        GenesisErrorRateSevere: value(1),
        GenesisLatencyP95High: { kind: "error", reason: "Prometheus error (HTTP 422) bad" },
      }),
      [
        {
          name: "GenesisErrorRateHigh held",
          value: "held",
          threshold: HELD_THRESHOLD,
          verdict: "pass",
          reason: "GenesisErrorRateHigh never fired in the last 48 h",
        },
        {
          name: "GenesisErrorRateSevere held",
          value: "fired",
          threshold: HELD_THRESHOLD,
          verdict: "fail",
          reason:
            "GenesisErrorRateSevere's condition held for its for duration within the last 48 h",
        },
        {
          name: "GenesisLatencyP95High held",
          value: "error",
          threshold: HELD_THRESHOLD,
          verdict: "error",
          reason: "GenesisLatencyP95High query failed: Prometheus error (HTTP 422) bad",
        },
        {
          name: "GenesisHealthCheckFailing held",
          value: "not measured",
          threshold: HELD_THRESHOLD,
          verdict: "inconclusive",
          reason: "GenesisHealthCheckFailing was not measured",
        },
      ],
    );
    deepStrictEqual(
      held({
        GenesisErrorRateHigh: { kind: "empty" },
        GenesisErrorRateSevere: value(NaN),
      })
        .slice(0, 2)
        .map((c) => [c.value, c.verdict, c.reason]),
      [
        ["no data", "inconclusive", "no data for GenesisErrorRateHigh over the last 48 h"],
        ["no data", "inconclusive", "no data for GenesisErrorRateSevere over the last 48 h"],
      ],
    );
  });

  it("renders the missing approvals with who holds each, or that nobody is named", () => {
    const r = evaluateSignoff({
      ...STAGE5,
      config: production({ signoffApprovals: ["on-call"] }),
      gate: AT_100,
      nowMs: NOW,
      held: allHeld,
    });
    strictEqual(
      renderSignoff("production", r, "<table>"),
      [
        "final sign-off of production: FAIL",
        "objectives: error rate < 0.1%, P95 < 200 ms; rollback triggers: error rate < 1%, P95 < 500 ms",
        "<table>",
        "approvals still missing:",
        "- deployment-lead: lead@example.org (add deployment-lead to genesis:signoffApprovals)",
        "- security-lead: (nobody named in stack config) (add security-lead to genesis:signoffApprovals)",
      ].join("\n"),
    );
  });
});
