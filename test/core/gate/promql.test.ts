import { deepStrictEqual } from "node:assert/strict";
import { buildGateQueries } from "../../../core/gate/promql";

describe("buildGateQueries", () => {
  it("selects by job and instance, aggregates by variant and counts only 5xx as errors", () => {
    const sel = 'job="genesis-app",instance="app:8080"';
    const all = `sum by (variant) (increase(http_requests_total{${sel}}[300s]))`;
    deepStrictEqual(
      buildGateQueries(
        {
          appJob: "genesis-app",
          appInstance: "app:8080",
          statusLabel: "code",
          scrapeIntervalSeconds: 15,
        },
        300,
      ),
      {
        requests: all,
        errorRatio: `(sum by (variant) (increase(http_requests_total{${sel},code=~"5.."}[300s])) or (${all} * 0)) / ${all}`,
        latencyP95Seconds: `histogram_quantile(0.95, sum by (le, variant) (rate(http_request_duration_seconds_bucket{${sel}}[300s])))`,
        latencyBuckets: `sum by (variant, le) (increase(http_request_duration_seconds_bucket{${sel}}[300s]))`,
        statusLabelSeries: `count by (variant) (http_requests_total{${sel},code!=""})`,
        up: `min(up{${sel}})`,
        scrapeAgeSeconds: `max(time() - timestamp(up{${sel}}))`,
        scrapesInWindow: `sum(count_over_time(up{${sel}}[300s]))`,
        failedScrapesInWindow: `sum(count_over_time(up{${sel}}[300s]) - sum_over_time(up{${sel}}[300s]))`,
        lastFailedScrapeSeconds: `max(max_over_time((timestamp(up{${sel}}) and up{${sel}} == 0)[300s:7s]))`,
        alertsFiredInWindow:
          'sum by (alertname) (count_over_time(ALERTS{alertstate="firing",alertname=~"GenesisErrorRateHigh|GenesisErrorRateSevere|GenesisLatencyP95High|GenesisHealthCheckFailing|GenesisMonitoringTargetDown|GenesisAlertmanagerNotificationsFailing|GenesisAlertmanagerUnreachable"}[300s]))',
      },
    );
  });

  it("reads the status code from the configured label and quotes label values", () => {
    const q = buildGateQueries(
      { appJob: 'a"b', appInstance: "h:1", statusLabel: "status", scrapeIntervalSeconds: 1 },
      60,
    );
    deepStrictEqual(
      [q.errorRatio.includes('status=~"5.."'), q.statusLabelSeries],
      [true, 'count by (variant) (http_requests_total{job="a\\"b",instance="h:1",status!=""})'],
    );
  });
});
