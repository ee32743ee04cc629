import { deepStrictEqual } from "node:assert/strict";
import { buildGateQueries } from "../../../core/gate/promql";

describe("buildGateQueries", () => {
  it("aggregates by variant inside Prometheus and counts only 5xx as errors", () => {
    const all = 'sum by (variant) (increase(http_requests_total{instance="app:8080"}[300s]))';
    deepStrictEqual(buildGateQueries("app:8080", 300), {
      requests: all,
      errorRatio: `(sum by (variant) (increase(http_requests_total{instance="app:8080",code=~"5.."}[300s])) or (${all} * 0)) / ${all}`,
      latencyP95Seconds:
        'histogram_quantile(0.95, sum by (le, variant) (rate(http_request_duration_seconds_bucket{instance="app:8080"}[300s])))',
      up: 'min(up{instance="app:8080"})',
      scrapeAgeSeconds: 'max(time() - timestamp(up{instance="app:8080"}))',
    });
  });
});
