import { deepStrictEqual } from "node:assert/strict";
import * as YAML from "yaml";
import { RENDERED_ALERT_NAMES, renderPrometheusRules } from "../../../core/render/prometheusRules";
import { completedStack } from "../../support/stacks";

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
type RuleDoc = { groups: { name: string; interval: string; rules: Rule[] }[] };

describe("renderPrometheusRules", () => {
  it("renders the SLO group (records before the alerts that read them) and the monitoring group", () => {
    const files = renderPrometheusRules(completedStack("production"));
    deepStrictEqual(
      files.map((f) => f.fileName),
      ["genesis-slo.yml", "genesis-monitoring.yml"],
    );
    const docs = files.map((f) => YAML.parse(f.content) as RuleDoc);
    deepStrictEqual(
      docs.map((d) => d.groups.map((g) => [g.name, g.interval])),
      [[["genesis-slo", "15s"]], [["genesis-monitoring", "15s"]]],
    );
    const slo = docs[0].groups[0].rules;
    deepStrictEqual(
      slo.map((r) => [r.record ?? r.alert, r.for ?? "", r.alert !== undefined ? r.expr : ""]),
      [
        ["genesis:rollout_canary_share_percent", "", ""],
        ["genesis:rollout_stage_percent", "", ""],
        ["genesis:http_error_ratio:rate_short", "", ""],
        ["genesis:http_latency_p95_seconds:rate_short", "", ""],
        ["GenesisErrorRateHigh", "5m", "genesis:http_error_ratio:rate_short > 0.01"],
        ["GenesisErrorRateSevere", "30s", "genesis:http_error_ratio:rate_short >= 0.1"],
        ["GenesisLatencyP95High", "5m", "genesis:http_latency_p95_seconds:rate_short > 0.5"],
        [
          "GenesisHealthCheckFailing",
          "1m",
          'up{job="genesis-app",instance="genesis-app:8080"} == 0',
        ],
      ],
    );
    const alerts = docs.flatMap((d) => d.groups[0].rules.filter((r) => r.alert !== undefined));
    deepStrictEqual(
      alerts.map((r) => r.alert),
      [...RENDERED_ALERT_NAMES],
    );
    for (const a of alerts) {
      deepStrictEqual(Object.keys(a.annotations ?? {}), ["summary", "description", "runbook_url"]);
      deepStrictEqual(Object.keys(a.labels ?? {}), ["severity", "action"]);
    }
  });

  it("does not change with the rollout percentage, and carries the runbook the stack names", () => {
    const cfg = (rolloutPercentage: number) =>
      completedStack("staging", {
        rolloutPercentage,
        runbookUrl: "https://git.example.org/genesis/README.md#rolling-back",
      });
    deepStrictEqual(renderPrometheusRules(cfg(25)), renderPrometheusRules(cfg(50)));
    const [slo] = renderPrometheusRules(cfg(25));
    const rules = (YAML.parse(slo.content) as RuleDoc).groups[0].rules;
    deepStrictEqual(
      rules.filter((r) => r.alert !== undefined).map((r) => r.annotations?.runbook_url),
      Array(4).fill("https://git.example.org/genesis/README.md#rolling-back"),
    );
  });
});
