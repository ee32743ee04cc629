import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { DecisionRecord, GateState } from "../../../core/gate/types";
import {
  DailyFacts,
  dailyStatus,
  nextMilestone,
  renderChartSvg,
  renderDailyHtml,
  renderDailyMarkdown,
} from "../../../core/report/dailyReport";
import { parsePrometheusMatrix } from "../../../core/report/prometheusMatrix";

const T = Date.parse("2026-03-02T10:00:00Z");
const rec = (
  min: number,
  decision: DecisionRecord["decision"],
  from: number,
  to: number,
): DecisionRecord => ({
  time: new Date(T + min * 60_000).toISOString(),
  from,
  to,
  decision,
  reason: `${decision} ${from}% -> ${to}%`,
  checks: [],
});
const GATE: GateState = {
  percentage: 25,
  liveSinceMs: T + 20 * 60_000,
  lastVerdicts: [],
  records: [
    rec(0, "initial", 0, 0),
    rec(10, "promotion", 0, 5),
    rec(15, "promotion", 5, 10),
    rec(20, "promotion", 10, 25),
  ],
};
const facts = (over: Partial<DailyFacts> = {}): DailyFacts => ({
  stack: "production",
  environment: "production",
  generatedMs: T + 30 * 60_000,
  configuredPercentage: 25,
  steps: [0, 5, 10, 25, 50, 75, 100],
  gate: GATE,
  health: { healthy: 5, total: 5 },
  errorRatePercent: 0.06,
  latencyP95Ms: 180,
  errorRateThresholdPercent: 1,
  latencyP95ThresholdMs: 500,
  errorRateObjectivePercent: 0.1,
  latencyP95ObjectiveMs: 200,
  validationWindowSeconds: 300,
  signoffHours: 48,
  errorRateSeries: [0, 10, 20, 30].map((m) => ({ atMs: T + m * 60_000, value: 0.1 + m / 100 })),
  latencyP95Series: [0, 10, 20, 30].map((m) => ({ atMs: T + m * 60_000, value: 150 + m })),
  roles: { deploymentLead: "lead@example.org", onCall: "oncall@example.org", securityLead: "" },
  ...over,
});

describe("daily update", () => {
  it("status: ON TRACK, AT RISK with every reason, ROLLED BACK after a rollback", () => {
    deepStrictEqual(dailyStatus(facts()), { status: "ON TRACK", reasons: [] });
    deepStrictEqual(
      dailyStatus(
        facts({ health: { healthy: 4, total: 5 }, errorRatePercent: 1, latencyP95Ms: undefined }),
      ),
      {
        status: "AT RISK",
        reasons: ["health 4/5", "error rate 1.00% >= rollback trigger 1.00%", "no P95 data"],
      },
    );
    deepStrictEqual(
      dailyStatus(
        facts({ gate: undefined, gateUnavailable: "pulumi stack output failed: no CLI" }),
      ),
      {
        status: "AT RISK",
        reasons: ["the gate's state is unknown: pulumi stack output failed: no CLI"],
      },
    );
    deepStrictEqual(dailyStatus(facts({ configuredPercentage: 50 })).reasons, [
      "the stack config asks for 50% but 25% is live: run pulumi up",
    ]);
    const rolledBack = {
      ...GATE,
      percentage: 10,
      records: [...GATE.records, rec(25, "rollback", 25, 10)],
    };
    deepStrictEqual(dailyStatus(facts({ gate: rolledBack })), {
      status: "ROLLED BACK",
      reasons: ["2026-03-02T10:25:00.000Z: rollback 25% -> 10%"],
    });
  });

  describe("status from the two tiers: objectives (0.10%, 200 ms) and triggers (1.00%, 500 ms)", () => {
    const rows: { name: string; over: Partial<DailyFacts>; status: string; reasons: string[] }[] =
      [
        {
          name: "both within their objectives",
          over: { errorRatePercent: 0.06, latencyP95Ms: 180 },
          status: "ON TRACK",
          reasons: [],
        },
        {
          name: "error rate at its objective (the plan's objective is < 0.1 %)",
          over: { errorRatePercent: 0.1 },
          status: "AT RISK",
          reasons: ["error rate 0.10% >= objective 0.10% (below the rollback trigger 1.00%)"],
        },
        {
          name: "error rate above its objective, below its trigger",
          over: { errorRatePercent: 0.45 },
          status: "AT RISK",
          reasons: ["error rate 0.45% >= objective 0.10% (below the rollback trigger 1.00%)"],
        },
        {
          name: "P95 above its objective, below its trigger",
          over: { latencyP95Ms: 320 },
          status: "AT RISK",
          reasons: ["P95 320 ms >= objective 200 ms (below the rollback trigger 500 ms)"],
        },
        {
          name: "both above their triggers, not rolled back (yet)",
          over: { errorRatePercent: 2.5, latencyP95Ms: 650 },
          status: "AT RISK",
          reasons: [
            "error rate 2.50% >= rollback trigger 1.00%",
            "P95 650 ms >= rollback trigger 500 ms",
          ],
        },
        {
          name: "no objectives known: judged on the triggers only",
          over: {
            errorRatePercent: 0.45,
            latencyP95Ms: 320,
            errorRateObjectivePercent: undefined,
            latencyP95ObjectiveMs: undefined,
          },
          status: "ON TRACK",
          reasons: [],
        },
        {
          name: "within objectives, but rolled back by the gate",
          over: {
            gate: {
              ...GATE,
              percentage: 10,
              records: [...GATE.records, rec(25, "rollback", 25, 10)],
            },
          },
          status: "ROLLED BACK",
          reasons: ["2026-03-02T10:25:00.000Z: rollback 25% -> 10%"],
        },
        {
          name: "rolled back, then promoted again: the last change decides",
          over: {
            gate: {
              ...GATE,
              records: [...GATE.records, rec(25, "rollback", 25, 10), rec(40, "promotion", 10, 25)],
            },
          },
          status: "ON TRACK",
          reasons: [],
        },
      ];
    for (const r of rows) {
      it(`${r.status}: ${r.name}`, () =>
        deepStrictEqual(dailyStatus(facts(r.over)), { status: r.status, reasons: r.reasons }));
    }
  });

  it("next milestone: the next step after the window, sign-off at 100 %, or the incident", () => {
    strictEqual(
      nextMilestone(facts()),
      "promote to 50% once 25% has been healthy for its validation window (from 2026-03-02T10:25:00.000Z)",
    );
    strictEqual(
      nextMilestone(facts({ gate: { ...GATE, percentage: 100 }, configuredPercentage: 100 })),
      "final sign-off at 2026-03-04T10:20:00.000Z, after 48 h at 100% with the SLOs held (genesis signoff)",
    );
    const rolledBack = {
      ...GATE,
      percentage: 10,
      records: [...GATE.records, rec(25, "rollback", 25, 10)],
      cooldown: { percentage: 25, untilMs: T + 30 * 60_000, cause: "rollback" as const },
    };
    strictEqual(
      nextMilestone(facts({ gate: rolledBack })),
      "investigate the incident; 25% may be retried after 2026-03-02T10:30:00.000Z",
    );
  });

  it("Markdown: status, rollout, figures, key updates, milestone, contacts", () => {
    strictEqual(
      renderDailyMarkdown(facts()),
      `# Daily update: production (production), 2026-03-02

**Status: ON TRACK**

| | |
|---|---|
| Rollout | 25% live since 2026-03-02T10:20:00.000Z; steps 0, 5, 10, 25, 50, 75, 100 |
| Error rate | 0.06% (objective < 0.10%, threshold < 1.00%) |
| P95 latency | 180 ms (objective < 200 ms, threshold < 500 ms) |
| Health | 5/5 |

## Key updates

- 2026-03-02T10:20:00.000Z: promotion 10% -> 25%
- 2026-03-02T10:15:00.000Z: promotion 5% -> 10%
- 2026-03-02T10:10:00.000Z: promotion 0% -> 5%
- 2026-03-02T10:00:00.000Z: initial 0% -> 0%

## Next milestone

promote to 50% once 25% has been healthy for its validation window (from 2026-03-02T10:25:00.000Z)

## Contacts

- Deployment lead: lead@example.org
- On-call: oncall@example.org
- Security lead: (not set in stack config)

Generated 2026-03-02T10:30:00.000Z from Prometheus and the rollout gate's state.
`,
    );
  });

  it("HTML: two inline SVG charts with the threshold and one marker per stage change", () => {
    const html = renderDailyHtml(facts());
    strictEqual(html.match(/<svg /g)?.length, 2);
    // Each chart: the objective and the rollback trigger.
    strictEqual(html.match(/class="threshold" data-kind="limit"/g)?.length, 2);
    strictEqual(html.match(/class="threshold" data-kind="objective"/g)?.length, 2);
    match(html, /<th>Error rate<\/th><td>0\.06% \(objective &lt; 0\.10%, threshold &lt; 1\.00%\)<\/td>/);
    match(html, />objective 200 ms</);
    match(html, />threshold 500 ms</);
    strictEqual(html.match(/class="stage-change"/g)?.length, 6, "three promotions in each chart");
    match(html, /<strong>Status: ON TRACK<\/strong>/);
    ok(!html.includes("<script"));
  });

  it("chart geometry: threshold at its height, stage change at its time, a gap where data is missing", () => {
    const svg = renderChartSvg(
      "Error rate (%)",
      "%",
      [
        { atMs: T, value: 0 },
        { atMs: T + 60_000, value: Number.NaN },
        { atMs: T + 120_000, value: 3 },
        { atMs: T + 180_000, value: 1.5 },
      ],
      1,
      [rec(1.5, "promotion", 5, 10)],
      T,
      T + 180_000,
    );
    // Plot frame 640 x 174 from (64, 40); the axis runs 0..3 % (the highest value) by 0.5.
    match(svg, /<line class="threshold" data-kind="limit" x1="64" x2="704" y1="156\.0" y2="156\.0"/);
    match(svg, /<text class="threshold-label" x="700\.0" y="150\.0" [^>]*>threshold 1%<\/text>/);
    match(svg, /<line class="stage-change" data-to="10" x1="384\.0" x2="384\.0"/);
    // A lone point before the gap is a dot; the run after it a line.
    match(svg, /<circle class="series-point" cx="64\.0" cy="214\.0"/);
    deepStrictEqual(
      [...svg.matchAll(/points="([^"]*)"/g)].map((m) => m[1]),
      ["490.7,40.0 704.0,127.0"],
    );
  });

  it("reads a Prometheus matrix and refuses malformed answers", () => {
    deepStrictEqual(
      parsePrometheusMatrix(200, {
        status: "success",
        data: {
          resultType: "matrix",
          result: [
            {
              metric: {},
              values: [
                [1, "0.5"],
                [2, "NaN"],
              ],
            },
          ],
        },
      }),
      {
        kind: "series",
        series: [
          {
            labels: {},
            points: [
              { timeSeconds: 1, value: 0.5 },
              { timeSeconds: 2, value: Number.NaN },
            ],
          },
        ],
      },
    );
    deepStrictEqual(
      parsePrometheusMatrix(400, { status: "error", errorType: "bad_data", error: "parse error" }),
      {
        kind: "error",
        reason: "Prometheus error (HTTP 400) bad_data: parse error",
      },
    );
    deepStrictEqual(
      parsePrometheusMatrix(200, { status: "success", data: { resultType: "vector", result: [] } }),
      {
        kind: "error",
        reason: 'malformed answer: resultType must be "matrix" with a result list; got "vector"',
      },
    );
  });
});
