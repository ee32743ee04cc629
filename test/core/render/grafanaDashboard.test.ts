import { deepStrictEqual } from "node:assert/strict";
import { renderRolloutDashboard } from "../../../core/render/grafanaDashboard";
import { completedStack } from "../../support/stacks";

interface Dashboard {
  uid: string;
  panels: { title: string; targets: { expr: string; legendFormat: string }[] }[];
  annotations: { list: { name: string; expr: string }[] };
}

describe("renderRolloutDashboard", () => {
  it("plots the stage, error rate and P95 against the stack's thresholds, health N/5, and annotates promotions and rollbacks", () => {
    const d = JSON.parse(
      renderRolloutDashboard(
        completedStack("staging", { errorRateThresholdPercent: "2", latencyP95ThresholdMs: 300 }),
      ),
    ) as Dashboard;
    deepStrictEqual(d.uid, "genesis-rollout");
    deepStrictEqual(
      d.panels.map((p) => [p.title, p.targets.map((t) => `${t.legendFormat}: ${t.expr}`)]),
      [
        ["Rollout percentage", ["stage: max(genesis:rollout_stage_percent)"]],
        [
          "Health checks N/5",
          [
            'healthy: count(up{job=~"prometheus|alertmanager|grafana|node-exporter|genesis-app"} == 1) or vector(0)',
          ],
        ],
        [
          "Rollout percentage over time",
          [
            "stage: max(genesis:rollout_stage_percent)",
            "canary share of requests: genesis:rollout_canary_share_percent",
          ],
        ],
        [
          "Error rate (5xx / all) vs threshold",
          [
            "{{variant}}: genesis:http_error_ratio:rate_short",
            "objective: vector(0.001)",
            "threshold: vector(0.02)",
            "severe (fast path): vector(0.2)",
          ],
        ],
        [
          "P95 latency vs threshold",
          [
            "{{variant}}: genesis:http_latency_p95_seconds:rate_short",
            "objective: vector(0.2)",
            "threshold: vector(0.3)",
          ],
        ],
      ],
    );
    deepStrictEqual(
      d.annotations.list.map((a) => [a.name, a.expr]),
      [
        [
          "Promotions",
          "max(genesis:rollout_stage_percent) > (max(genesis:rollout_stage_percent offset 1m))",
        ],
        [
          "Rollbacks",
          "max(genesis:rollout_stage_percent) < (max(genesis:rollout_stage_percent offset 1m))",
        ],
        ["Rollout alerts", 'ALERTS{alertstate="firing", alertname=~"Genesis.*"}'],
      ],
    );
  });
});
