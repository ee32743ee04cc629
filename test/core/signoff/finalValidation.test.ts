import { deepStrictEqual } from "node:assert/strict";
import { QueryOutcome } from "../../../core/gate/prometheusResponse";
import { CheckResult } from "../../../core/gate/types";
import {
  baselineFromRecords,
  evaluateRegression,
  evaluateSecurityReport,
  evaluateTestResults,
  InputFile,
  parseBaselineArguments,
  periodQueries,
  RegressionInput,
} from "../../../core/signoff/finalValidation";

const NOW = Date.parse("2026-03-04T12:00:00Z");
const v = (x: number): QueryOutcome => ({
  kind: "samples",
  samples: [{ labels: {}, value: x, timestampSeconds: 0 }],
});
const SOURCE =
  "the 0% stage's validation window before the promotion 0% -> 5% at 2026-03-01T10:00:00.000Z";
const BASELINE_TEXT = `baseline (${SOURCE}, 2026-03-01T09:55:00.000Z to 2026-03-01T10:00:00.000Z)`;
const SIGNOFF_TEXT =
  "over the sign-off period (2026-03-02T12:00:00.000Z to 2026-03-04T12:00:00.000Z)";
const BASE: RegressionInput = {
  baseline: {
    kind: "period",
    period: {
      fromMs: Date.parse("2026-03-01T09:55:00Z"),
      toMs: Date.parse("2026-03-01T10:00:00Z"),
    },
    source: SOURCE,
  },
  baselineFigures: { errorRatio: v(0.0004), latencyP95Seconds: v(0.17) },
  signoffPeriod: { fromMs: NOW - 48 * 3600_000, toMs: NOW },
  signoffFigures: { errorRatio: v(0.0005), latencyP95Seconds: v(0.18) },
  tolerancePercent: 10,
  errorRateObjectivePercent: 0.1,
};
const P95_ALLOWED = "<= 187 ms (baseline 170 ms + 10%)";
const ERR_ALLOWED = (base: string) =>
  `<= 0.100% (the larger of baseline ${base} + 10% and the objective 0.1%)`;

/** The P95 check of {@link BASE}: within tolerance. */
const P95_WITHIN: CheckResult = {
  name: "p95 vs baseline",
  value: "180 ms vs baseline 170 ms (+5.9%)",
  threshold: P95_ALLOWED,
  verdict: "pass",
  reason: `P95 latency ${SIGNOFF_TEXT} 180 ms <= allowed 187 ms (baseline 170 ms + 10%); ${BASELINE_TEXT}`,
};
/** Why there is no baseline when the gate's records hold no promotion from 0%. */
const NO_PROMOTION_FROM_0 =
  "the gate's records hold no promotion from 0% (they keep the last 20 decisions): pass the stable version's period with --baseline-from and --baseline-to";

// The rows are data only: code run while mocha loads the file runs outside every test, where
// Stryker cannot tell which test it serves (each mutant it reaches costs a test-runner restart).
describe("final validation: regression against the baseline", () => {
  const rows: { name: string; input: RegressionInput; expected: CheckResult[] }[] = [
    {
      name: "within tolerance, figures side by side",
      input: BASE,
      expected: [
        P95_WITHIN,
        {
          name: "error rate vs baseline",
          value: "0.050% vs baseline 0.040% (+25.0%)",
          threshold: ERR_ALLOWED("0.040%"),
          verdict: "pass",
          reason: `error rate ${SIGNOFF_TEXT} 0.050% <= allowed 0.100% (the larger of baseline 0.040% + 10% and the objective 0.1%); ${BASELINE_TEXT}`,
        },
      ],
    },
    {
      name: "P95 17.6 % over and error rate above both its allowances: both fail",
      input: {
        ...BASE,
        signoffFigures: { errorRatio: v(0.0025), latencyP95Seconds: v(0.2) },
      },
      expected: [
        {
          name: "p95 vs baseline",
          value: "200 ms vs baseline 170 ms (+17.6%)",
          threshold: P95_ALLOWED,
          verdict: "fail",
          reason: `P95 latency ${SIGNOFF_TEXT} 200 ms > allowed 187 ms (baseline 170 ms + 10%); ${BASELINE_TEXT}`,
        },
        {
          name: "error rate vs baseline",
          value: "0.250% vs baseline 0.040% (+525.0%)",
          threshold: ERR_ALLOWED("0.040%"),
          verdict: "fail",
          reason: `error rate ${SIGNOFF_TEXT} 0.250% > allowed 0.100% (the larger of baseline 0.040% + 10% and the objective 0.1%); ${BASELINE_TEXT}`,
        },
      ],
    },
    {
      name: "a baseline of 0 errors: the objective is the floor; no baseline traffic is no data",
      input: {
        ...BASE,
        baselineFigures: { errorRatio: v(0), latencyP95Seconds: v(NaN) },
        signoffFigures: { errorRatio: v(0.0009), latencyP95Seconds: v(0.18) },
      },
      expected: [
        {
          name: "p95 vs baseline",
          value: "no data",
          threshold: "<= baseline + 10%",
          verdict: "inconclusive",
          reason: `no baseline P95 latency over the baseline period (${SOURCE}, 2026-03-01T09:55:00.000Z to 2026-03-01T10:00:00.000Z): no requests were measured`,
        },
        {
          name: "error rate vs baseline",
          value: "0.090% vs baseline 0.000% (n/a from 0)",
          threshold: ERR_ALLOWED("0.000%"),
          verdict: "pass",
          reason: `error rate ${SIGNOFF_TEXT} 0.090% <= allowed 0.100% (the larger of baseline 0.000% + 10% and the objective 0.1%); ${BASELINE_TEXT}`,
        },
      ],
    },
    {
      name: "no baseline in the gate's records: inconclusive, naming the flags",
      input: { ...BASE, baseline: { kind: "unknown", reason: NO_PROMOTION_FROM_0 } },
      expected: ["P95 latency", "error rate"].map((what, i) => ({
        name: i === 0 ? "p95 vs baseline" : "error rate vs baseline",
        value: i === 0 ? "180 ms vs no baseline" : "0.050% vs no baseline",
        threshold: "<= baseline + 10%",
        verdict: "inconclusive" as const,
        reason: `no baseline to compare the ${what} with: the gate's records hold no promotion from 0% (they keep the last 20 decisions): pass the stable version's period with --baseline-from and --baseline-to`,
      })),
    },
    {
      name: "a failed query and a ratio out of domain are errors",
      input: {
        ...BASE,
        signoffFigures: {
          errorRatio: v(1.5),
          latencyP95Seconds: {
            kind: "error",
            reason: "Prometheus error (HTTP 422) execution: boom",
          },
        },
      },
      expected: [
        {
          name: "p95 vs baseline",
          value: "error",
          threshold: "<= baseline + 10%",
          verdict: "error",
          reason: "P95 latency query failed: Prometheus error (HTTP 422) execution: boom",
        },
        {
          name: "error rate vs baseline",
          value: "error",
          threshold: "<= baseline + 10%",
          verdict: "error",
          reason: `Prometheus answered error rate 1.5 ${SIGNOFF_TEXT}: not a ratio (0 to 1)`,
        },
      ],
    },
    {
      name: "a P95 below the baseline, under 100 ms to a tenth; an error rate over the objective within the baseline's tolerance",
      input: {
        ...BASE,
        baselineFigures: { errorRatio: v(0.002), latencyP95Seconds: v(0.1234) },
        signoffFigures: { errorRatio: v(0.0021), latencyP95Seconds: v(0.0953) },
      },
      expected: [
        {
          name: "p95 vs baseline",
          value: "95.3 ms vs baseline 123 ms (-22.8%)",
          threshold: "<= 136 ms (baseline 123 ms + 10%)",
          verdict: "pass",
          reason: `P95 latency ${SIGNOFF_TEXT} 95.3 ms <= allowed 136 ms (baseline 123 ms + 10%); ${BASELINE_TEXT}`,
        },
        {
          name: "error rate vs baseline",
          value: "0.210% vs baseline 0.200% (+5.0%)",
          threshold: "<= 0.220% (the larger of baseline 0.200% + 10% and the objective 0.1%)",
          verdict: "pass",
          reason: `error rate ${SIGNOFF_TEXT} 0.210% <= allowed 0.220% (the larger of baseline 0.200% + 10% and the objective 0.1%); ${BASELINE_TEXT}`,
        },
      ],
    },
    {
      name: "unchanged figures, 0 errors in both periods included",
      input: {
        ...BASE,
        baselineFigures: { errorRatio: v(0), latencyP95Seconds: v(0.17) },
        signoffFigures: { errorRatio: v(0), latencyP95Seconds: v(0.17) },
      },
      expected: [
        {
          name: "p95 vs baseline",
          value: "170 ms vs baseline 170 ms (+0.0%)",
          threshold: P95_ALLOWED,
          verdict: "pass",
          reason: `P95 latency ${SIGNOFF_TEXT} 170 ms <= allowed 187 ms (baseline 170 ms + 10%); ${BASELINE_TEXT}`,
        },
        {
          name: "error rate vs baseline",
          value: "0.000% vs baseline 0.000% (+0.0%)",
          threshold: ERR_ALLOWED("0.000%"),
          verdict: "pass",
          reason: `error rate ${SIGNOFF_TEXT} 0.000% <= allowed 0.100% (the larger of baseline 0.000% + 10% and the objective 0.1%); ${BASELINE_TEXT}`,
        },
      ],
    },
    {
      name: "a P95 exactly at its allowance passes (float noise aside); every response an error is a ratio, and fails",
      input: {
        ...BASE,
        tolerancePercent: 5,
        baselineFigures: { errorRatio: v(0.0004), latencyP95Seconds: v(0.172) },
        signoffFigures: { errorRatio: v(1), latencyP95Seconds: v(0.1806) },
      },
      expected: [
        {
          name: "p95 vs baseline",
          value: "181 ms vs baseline 172 ms (+5.0%)",
          threshold: "<= 181 ms (baseline 172 ms + 5%)",
          verdict: "pass",
          reason: `P95 latency ${SIGNOFF_TEXT} 181 ms <= allowed 181 ms (baseline 172 ms + 5%); ${BASELINE_TEXT}`,
        },
        {
          name: "error rate vs baseline",
          value: "100.000% vs baseline 0.040% (+249900.0%)",
          threshold: "<= 0.100% (the larger of baseline 0.040% + 5% and the objective 0.1%)",
          verdict: "fail",
          reason: `error rate ${SIGNOFF_TEXT} 100.000% > allowed 0.100% (the larger of baseline 0.040% + 5% and the objective 0.1%); ${BASELINE_TEXT}`,
        },
      ],
    },
    {
      name: "a negative P95 is an error; no sign-off traffic and no baseline figures are no data",
      input: {
        ...BASE,
        baselineFigures: undefined,
        signoffFigures: { errorRatio: v(NaN), latencyP95Seconds: v(-0.01) },
      },
      expected: [
        {
          name: "p95 vs baseline",
          value: "error",
          threshold: "<= baseline + 10%",
          verdict: "error",
          reason: `Prometheus answered P95 latency -0.01 ${SIGNOFF_TEXT}: not a latency (a finite number of seconds, 0 or more)`,
        },
        {
          name: "error rate vs baseline",
          value: "no data",
          threshold: "<= baseline + 10%",
          verdict: "inconclusive",
          reason: "no baseline to compare the error rate with: the baseline was not measured",
        },
      ],
    },
    {
      name: "two series where one is expected, a negative ratio, and a baseline query that failed are errors",
      input: {
        ...BASE,
        baselineFigures: {
          errorRatio: { kind: "error", reason: "Prometheus error (HTTP 503) unavailable" },
          latencyP95Seconds: v(-1),
        },
        signoffFigures: {
          errorRatio: v(0.0005),
          latencyP95Seconds: {
            kind: "samples",
            samples: [
              { labels: { variant: "a" }, value: NaN, timestampSeconds: 0 },
              { labels: { variant: "b" }, value: 0.2, timestampSeconds: 0 },
            ],
          },
        },
      },
      expected: [
        {
          name: "p95 vs baseline",
          value: "error",
          threshold: "<= baseline + 10%",
          verdict: "error",
          reason: `P95 latency query answered 2 series ${SIGNOFF_TEXT}; expected one`,
        },
        {
          name: "error rate vs baseline",
          value: "error",
          threshold: "<= baseline + 10%",
          verdict: "error",
          reason: "baseline error rate query failed: Prometheus error (HTTP 503) unavailable",
        },
      ],
    },
    {
      name: "a negative error ratio over the baseline period is an error",
      input: {
        ...BASE,
        baselineFigures: { errorRatio: v(-0.5), latencyP95Seconds: v(0.17) },
      },
      expected: [
        P95_WITHIN,
        {
          name: "error rate vs baseline",
          value: "error",
          threshold: "<= baseline + 10%",
          verdict: "error",
          reason: `Prometheus answered baseline error rate -0.5 over the baseline period (${SOURCE}, 2026-03-01T09:55:00.000Z to 2026-03-01T10:00:00.000Z): not a ratio (0 to 1)`,
        },
      ],
    },
  ];
  for (const r of rows) {
    it(r.name, () => deepStrictEqual(evaluateRegression(r.input), r.expected));
  }

  it("no baseline without records, or once the promotion from 0% has left them", () => {
    const later = {
      time: "2026-03-01T12:00:00.000Z",
      from: 5,
      to: 10,
      decision: "promotion" as const,
      reason: "",
      checks: [],
    };
    deepStrictEqual(
      [baselineFromRecords([], 300), baselineFromRecords([later], 300)],
      [
        { kind: "unknown", reason: NO_PROMOTION_FROM_0 },
        { kind: "unknown", reason: NO_PROMOTION_FROM_0 },
      ],
    );
  });

  it("the baseline is the 0% stage's window before the first promotion from 0%", () => {
    deepStrictEqual(
      baselineFromRecords(
        [
          {
            time: "2026-02-28T10:00:00.000Z",
            from: 0,
            to: 0,
            decision: "initial",
            reason: "",
            checks: [],
          },
          {
            time: "2026-03-01T10:00:00.000Z",
            from: 0,
            to: 5,
            decision: "promotion",
            reason: "",
            checks: [],
          },
          {
            time: "2026-03-01T12:00:00.000Z",
            from: 5,
            to: 10,
            decision: "promotion",
            reason: "",
            checks: [],
          },
        ],
        300,
      ),
      BASE.baseline,
    );
  });

  it("queries all of the application's traffic over the period", () => {
    deepStrictEqual(
      periodQueries({ appJob: "genesis-app", appInstance: "app:8080", statusLabel: "code" }, 300),
      {
        errorRatio:
          '(sum(increase(http_requests_total{job="genesis-app",instance="app:8080",code=~"5.."}[300s])) or vector(0)) / sum(increase(http_requests_total{job="genesis-app",instance="app:8080"}[300s]))',
        latencyP95Seconds:
          'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="genesis-app",instance="app:8080"}[300s])))',
      },
    );
  });
});

describe("final validation: --baseline-from and --baseline-to", () => {
  const rows: [string, string | undefined, string | undefined, unknown][] = [
    ["neither: the gate's records decide", undefined, undefined, {}],
    [
      "both, with time zones",
      "2026-03-01T09:00:00+01:00",
      "2026-03-01T09:30:00Z",
      {
        baseline: {
          kind: "period",
          period: {
            fromMs: Date.parse("2026-03-01T08:00:00Z"),
            toMs: Date.parse("2026-03-01T09:30:00Z"),
          },
          source: "--baseline-from/--baseline-to",
        },
      },
    ],
    [
      "one without the other",
      "2026-03-01T09:00:00Z",
      undefined,
      {
        problems: [
          "--baseline-to is required with --baseline-from: give both ends of the stable version's period; got nothing",
        ],
      },
    ],
    [
      "not a date-time",
      "yesterday",
      "2026-03-01T09:00:00Z",
      {
        problems: [
          '--baseline-from must be an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00; got "yesterday"',
        ],
      },
    ],
    [
      "reversed",
      "2026-03-01T10:00:00Z",
      "2026-03-01T09:00:00Z",
      {
        problems: [
          '--baseline-from must be before --baseline-to (2026-03-01T09:00:00Z); got "2026-03-01T10:00:00Z"',
        ],
      },
    ],
    [
      "the other without the one",
      undefined,
      "2026-03-01T09:00:00Z",
      {
        problems: [
          "--baseline-from is required with --baseline-to: give both ends of the stable version's period; got nothing",
        ],
      },
    ],
    [
      "equal ends",
      "2026-03-01T10:00:00Z",
      "2026-03-01T10:00:00Z",
      {
        problems: [
          '--baseline-from must be before --baseline-to (2026-03-01T10:00:00Z); got "2026-03-01T10:00:00Z"',
        ],
      },
    ],
    [
      "ending now",
      "2026-03-04T11:00:00Z",
      "2026-03-04T12:00:00Z",
      {
        baseline: {
          kind: "period",
          period: { fromMs: NOW - 3600_000, toMs: NOW },
          source: "--baseline-from/--baseline-to",
        },
      },
    ],
    [
      "in the future",
      "2026-03-01T10:00:00Z",
      "2026-03-09T09:00:00Z",
      {
        problems: [
          '--baseline-to must not be in the future (now 2026-03-04T12:00:00.000Z); got "2026-03-09T09:00:00Z"',
        ],
      },
    ],
  ];
  for (const [name, from, to, expected] of rows) {
    it(name, () => deepStrictEqual(parseBaselineArguments(from, to, NOW), expected));
  }
});

const json = (path: string, o: unknown): InputFile => ({ path, text: JSON.stringify(o) });

describe("final validation: the suite's pass rate (mocha JSON report)", () => {
  const rows: [string, InputFile | undefined, CheckResult["verdict"], string, string][] = [
    [
      "exactly 98 % passes",
      json("r.json", { stats: { tests: 1000, passes: 980 } }),
      "pass",
      "98.0% (980 of 1000)",
      "980 of 1000 tests passed in r.json: 98.0% >= 98%",
    ],
    [
      "97.9 % fails, naming the first failures",
      json("r.json", {
        stats: { tests: 1000, passes: 979 },
        failures: [
          { fullTitle: "gate a" },
          { fullTitle: "gate b" },
          { fullTitle: "c" },
          { fullTitle: "d" },
        ],
      }),
      "fail",
      "97.9% (979 of 1000)",
      "979 of 1000 tests passed in r.json: 97.9% < 98%; failed: gate a; gate b; c and 1 more",
    ],
    [
      "not given",
      undefined,
      "inconclusive",
      "not given",
      "no test results: pass the pipeline's mocha JSON report with --test-results <file>",
    ],
    [
      "unreadable",
      { path: "missing.json", error: "ENOENT" },
      "error",
      "error",
      "cannot read --test-results missing.json: ENOENT",
    ],
    [
      "not JSON",
      { path: "r.json", text: "<html>" },
      "error",
      "error",
      '--test-results r.json is not JSON: "<html>"',
    ],
    [
      "no tests",
      json("r.json", { stats: { tests: 0, passes: 0 } }),
      "error",
      "error",
      '--test-results r.json is not a mocha JSON report with tests: stats.tests must be a whole number above 0 and stats.passes one from 0 to it; got {"tests":0,"passes":0}',
    ],
    [
      "passes below 0",
      json("r.json", { stats: { tests: 10, passes: -1 } }),
      "error",
      "error",
      '--test-results r.json is not a mocha JSON report with tests: stats.tests must be a whole number above 0 and stats.passes one from 0 to it; got {"tests":10,"passes":-1}',
    ],
    [
      "more passes than tests",
      json("r.json", { stats: { tests: 10, passes: 11 } }),
      "error",
      "error",
      '--test-results r.json is not a mocha JSON report with tests: stats.tests must be a whole number above 0 and stats.passes one from 0 to it; got {"tests":10,"passes":11}',
    ],
    [
      "every test passed",
      json("r.json", { stats: { tests: 10, passes: 10 } }),
      "pass",
      "100.0% (10 of 10)",
      "10 of 10 tests passed in r.json: 100.0% >= 98%",
    ],
    [
      "none passed, no failure named",
      json("r.json", { stats: { tests: 10, passes: 0 } }),
      "fail",
      "0.0% (0 of 10)",
      "0 of 10 tests passed in r.json: 0.0% < 98%",
    ],
    [
      "three failures named, entries without a title left out",
      json("r.json", {
        stats: { tests: 100, passes: 94 },
        failures: [
          { fullTitle: "a" },
          null,
          {},
          { fullTitle: 7 },
          { fullTitle: "b" },
          { fullTitle: "c" },
        ],
      }),
      "fail",
      "94.0% (94 of 100)",
      "94 of 100 tests passed in r.json: 94.0% < 98%; failed: a; b; c",
    ],
    [
      "not JSON, quoted on one line",
      { path: "r.json", text: "  <html>\n  <body>\t\tdown </body>\n" },
      "error",
      "error",
      '--test-results r.json is not JSON: "<html> <body> down </body>"',
    ],
    [
      "not JSON, 80 characters quoted whole",
      { path: "r.json", text: "x".repeat(80) },
      "error",
      "error",
      `--test-results r.json is not JSON: "${"x".repeat(80)}"`,
    ],
    [
      "not JSON, longer quoted to 80 characters",
      { path: "r.json", text: "y".repeat(81) },
      "error",
      "error",
      `--test-results r.json is not JSON: "${"y".repeat(80)}..."`,
    ],
  ];
  for (const [name, file, verdict, value, reason] of rows) {
    it(`${verdict}: ${name}`, () =>
      deepStrictEqual(evaluateTestResults(file), {
        name: "suite pass rate",
        value,
        threshold: ">= 98%",
        verdict,
        reason,
      }));
  }
});

describe("final validation: the security scan (genesis security-check --json)", () => {
  const rows: [string, InputFile | undefined, CheckResult["verdict"], string, string][] = [
    [
      "exit 0",
      json("s.json", {
        stack: "production",
        results: [{ name: "a", level: "mandatory", violations: [] }],
        exitCode: 0,
      }),
      "pass",
      "exit 0",
      "genesis security-check of production in s.json: 1 rule, no mandatory rule violated",
    ],
    [
      "exit 1, naming the mandatory rules violated (not the advisory ones)",
      json("s.json", {
        stack: "production",
        results: [
          { name: "no-privileged", level: "mandatory", violations: [{}] },
          { name: "w", level: "advisory", violations: [{}] },
        ],
        exitCode: 1,
      }),
      "fail",
      "exit 1",
      "genesis security-check of production in s.json found mandatory rules violated: no-privileged",
    ],
    [
      "another stack's scan",
      json("s.json", { stack: "staging", results: [], exitCode: 0 }),
      "inconclusive",
      "stack staging",
      '--security-report s.json scanned stack "staging", not "production": scan the stack being signed off',
    ],
    [
      "not the command's JSON",
      json("s.json", { results: [] }),
      "error",
      "error",
      '--security-report s.json is not the JSON genesis security-check --json writes: it needs a stack, results and an exitCode of 0 or 1; got "{\\"results\\":[]}"',
    ],
    [
      "not given",
      undefined,
      "inconclusive",
      "not given",
      "no security scan: run genesis security-check --stack production --json > <file> and pass it with --security-report <file>",
    ],
    [
      "unreadable",
      { path: "s.json", error: "EACCES" },
      "error",
      "error",
      "cannot read --security-report s.json: EACCES",
    ],
    [
      "exit 0 of two rules",
      json("s.json", {
        stack: "production",
        results: [
          { name: "a", level: "mandatory", violations: [] },
          { name: "w", level: "advisory", violations: [{}] },
        ],
        exitCode: 0,
      }),
      "pass",
      "exit 0",
      "genesis security-check of production in s.json: 2 rules, no mandatory rule violated",
    ],
    [
      "exit 1 naming every mandatory rule violated, none without violations",
      json("s.json", {
        stack: "production",
        results: [
          null,
          { name: "no-privileged", level: "mandatory", violations: [{}] },
          { name: "no-host-network", level: "mandatory", violations: [] },
          { name: "read-only-root", level: "mandatory", violations: [{}, {}] },
        ],
        exitCode: 1,
      }),
      "fail",
      "exit 1",
      "genesis security-check of production in s.json found mandatory rules violated: no-privileged, read-only-root",
    ],
    [
      "exit 1 without a rule named",
      json("s.json", { stack: "production", results: [], exitCode: 1 }),
      "fail",
      "exit 1",
      "genesis security-check of production in s.json found mandatory rules violated: (not named in the report)",
    ],
    [
      "an exit code other than 0 or 1",
      json("s.json", { stack: "production", results: [], exitCode: 2 }),
      "error",
      "error",
      '--security-report s.json is not the JSON genesis security-check --json writes: it needs a stack, results and an exitCode of 0 or 1; got "{\\"stack\\":\\"production\\",\\"results\\":[],\\"exitCode\\":2}"',
    ],
    [
      "no results",
      json("s.json", { stack: "production", exitCode: 0 }),
      "error",
      "error",
      '--security-report s.json is not the JSON genesis security-check --json writes: it needs a stack, results and an exitCode of 0 or 1; got "{\\"stack\\":\\"production\\",\\"exitCode\\":0}"',
    ],
    [
      "no stack",
      json("s.json", { results: [], exitCode: 0 }),
      "error",
      "error",
      '--security-report s.json is not the JSON genesis security-check --json writes: it needs a stack, results and an exitCode of 0 or 1; got "{\\"results\\":[],\\"exitCode\\":0}"',
    ],
  ];
  for (const [name, file, verdict, value, reason] of rows) {
    it(`${verdict}: ${name}`, () =>
      deepStrictEqual(evaluateSecurityReport(file, "production"), {
        name: "security scan",
        value,
        threshold: "exit code 0 (no mandatory rule violated)",
        verdict,
        reason,
      }));
  }
});
