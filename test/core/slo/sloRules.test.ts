import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  breachCondition,
  errorRatioExpr,
  latencyP95SecondsExpr,
  severeErrorRatioThreshold,
  sloRule,
  sloRules,
  sustainedBreachQuery,
  healthFailuresBreach,
} from "../../../core/slo/sloRules";
import { completedStack } from "../../support/stacks";

describe("sloRules", () => {
  it("derives every rule's threshold and for duration from the stack (production)", () => {
    const rules = sloRules(completedStack("production"));
    deepStrictEqual(
      rules.map((r) => [r.alert, r.comparison, r.threshold, r.forSeconds, r.severity, r.action]),
      [
        ["GenesisErrorRateHigh", ">", 0.01, 300, "critical", "rollback"],
        ["GenesisErrorRateSevere", ">=", 0.1, 30, "critical", "rollback"],
        ["GenesisLatencyP95High", ">", 0.5, 300, "critical", "rollback"],
        ["GenesisHealthCheckFailing", "==", 0, 60, "critical", "rollback"],
      ],
    );
  });

  it("follows the window, scrape interval and failure limit of staging", () => {
    const rules = sloRules(
      completedStack("staging", { scrapeIntervalSeconds: 10, healthFailureLimit: 3 }),
    );
    deepStrictEqual(
      rules.map((r) => [r.alert, r.forSeconds]),
      [
        ["GenesisErrorRateHigh", 60],
        ["GenesisErrorRateSevere", 20],
        ["GenesisLatencyP95High", 60],
        ["GenesisHealthCheckFailing", 20],
      ],
    );
    strictEqual(
      sloRule(rules, "GenesisErrorRateHigh").measure.expr,
      errorRatioExpr(20, 'job="genesis-app",instance="genesis-app:8080"'),
    );
  });

  it("measures the error ratio with missing 5xx series as zero, increases before sums", () => {
    const all = 'sum by (variant) (increase(http_requests_total{job="genesis-app"}[30s]))';
    strictEqual(
      errorRatioExpr(30, 'job="genesis-app"'),
      `(sum by (variant) (increase(http_requests_total{job="genesis-app",code=~"5.."}[30s])) or (${all} * 0)) / ${all}`,
    );
    strictEqual(
      latencyP95SecondsExpr(30, 'instance="app:8080"'),
      'histogram_quantile(0.95, sum by (le, variant) (rate(http_request_duration_seconds_bucket{instance="app:8080"}[30s])))',
    );
  });

  it("caps the severe threshold at every response an error", () => {
    strictEqual(severeErrorRatioThreshold(completedStack("staging")), 0.1);
    strictEqual(
      severeErrorRatioThreshold(completedStack("staging", { errorRateThresholdPercent: "2.5" })),
      0.25,
    );
    strictEqual(
      severeErrorRatioThreshold(completedStack("staging", { errorRateThresholdPercent: "20" })),
      1,
    );
  });

  it("states each breach as PromQL, on the record or on the raw measure", () => {
    const rules = sloRules(completedStack("production"));
    const high = sloRule(rules, "GenesisErrorRateHigh");
    strictEqual(breachCondition(high, true), "genesis:http_error_ratio:rate_short > 0.01");
    strictEqual(breachCondition(high), `(${high.measure.expr}) > 0.01`);
    const health = sloRule(rules, "GenesisHealthCheckFailing");
    strictEqual(
      breachCondition(health, true),
      'up{job="genesis-app",instance="genesis-app:8080"} == 0',
    );
    strictEqual(
      sustainedBreachQuery(sloRule(rules, "GenesisErrorRateSevere"), 15),
      `min_over_time(((${high.measure.expr}) >= bool 0.1)[30s:15s])`,
    );
  });

  it("parenthesises a measure unless it is a bare series, with or without a selector", () => {
    const health = sloRule(sloRules(completedStack("production")), "GenesisHealthCheckFailing");
    const rows: [string, string][] = [
      ["up", "up == 0"],
      ["genesis_app_up", "genesis_app_up == 0"],
      ['genesis:app_up{job="a"}', 'genesis:app_up{job="a"} == 0'],
      ['1 - up{job="a"}', '(1 - up{job="a"}) == 0'],
      ['up{job="a"} * 2', '(up{job="a"} * 2) == 0'],
    ];
    deepStrictEqual(
      rows.map(([expr]) => breachCondition({ ...health, measure: { expr } })),
      rows.map(([, condition]) => condition),
    );
  });

  it("a rule without a for duration is its condition as a 0/1 value", () => {
    const rules = sloRules(completedStack("staging", { healthFailureLimit: 1 }));
    const health = sloRule(rules, "GenesisHealthCheckFailing");
    strictEqual(health.forSeconds, 0);
    strictEqual(
      sustainedBreachQuery(health, 15),
      '(up{job="genesis-app",instance="genesis-app:8080"}) == bool 0',
    );
  });

  it("counts consecutive health failures against the limit", () => {
    const cfg = completedStack("staging");
    deepStrictEqual(
      [0, 4, 5, 6].map((n) => healthFailuresBreach(cfg, n)),
      [false, false, true, true],
    );
  });

  it("names the rules there are when asked for one that is not", () => {
    throws(
      () => sloRule([], "GenesisErrorRateHigh"),
      new Error("no SLO rule named GenesisErrorRateHigh; the rules are "),
    );
    const others = sloRules(completedStack("production")).filter(
      (r) => r.alert !== "GenesisLatencyP95High",
    );
    throws(
      () => sloRule(others, "GenesisLatencyP95High"),
      new Error(
        "no SLO rule named GenesisLatencyP95High; the rules are GenesisErrorRateHigh, GenesisErrorRateSevere, GenesisHealthCheckFailing",
      ),
    );
  });
});
