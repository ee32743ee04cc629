/**
 * The rendered SLO alerts run by Prometheus's own rule engine (`promtool test rules`, 2.42),
 * one suite per alert, for both stacks: each suite's input series are built from the stack's
 * scrape interval and window, and every expectation is at an exact evaluation time. Each test
 * group sets `interval:` (2.42 does not default it to the evaluation interval).
 */
import { ok } from "node:assert/strict";
import * as YAML from "yaml";
import { StackConfig } from "../../core/config/stackConfig";
import { MonitoringAlertName, renderPrometheusRules } from "../../core/render/prometheusRules";
import { sloRule, sloRules, SloAlertName, sustainedBreachQuery } from "../../core/slo/sloRules";
import { completedStack, STACK_NAMES } from "../support/stacks";
import { PROMTOOL, runTool, withFiles } from "../support/promtool";

const APP = 'job="genesis-app",instance="genesis-app:8080"';

/** Cumulative counter values from per-interval increments, starting at `start`. */
function counter(increments: readonly number[], start = 0): string {
  const values = [start];
  for (const inc of increments) values.push(values[values.length - 1] + inc);
  return values.join(" ");
}

/** `n` copies of `v`. */
const times = (n: number, v: number): number[] => Array.from({ length: n }, () => v);

interface Series {
  readonly series: string;
  readonly values: string;
}

/** Request counters of one variant from per-interval ok and 5xx counts. */
function requests(variant: string, okCounts: number[], errCounts?: number[]): Series[] {
  const out: Series[] = [
    {
      series: `http_requests_total{${APP},code="200",variant="${variant}"}`,
      values: counter(okCounts),
    },
  ];
  if (errCounts !== undefined) {
    out.push({
      series: `http_requests_total{${APP},code="500",variant="${variant}"}`,
      values: counter(errCounts),
    });
  }
  return out;
}

interface AlertCheck {
  readonly eval_time: string;
  readonly alertname: SloAlertName | MonitoringAlertName;
  readonly exp_alerts: readonly {
    exp_labels: Record<string, string>;
    exp_annotations?: Record<string, string>;
  }[];
}

interface TestGroup {
  readonly name: string;
  readonly series: readonly Series[];
  readonly alerts: readonly AlertCheck[];
  readonly exprs?: readonly { expr: string; eval_time: string; exp_samples: unknown[] }[];
}

/** Runs `groups` against the stack's rendered rules; fails with promtool's report. */
function promtoolTest(config: StackConfig, groups: readonly TestGroup[]): void {
  const ruleFiles = renderPrometheusRules(config);
  const s = config.monitoring.scrapeIntervalSeconds;
  const suite = {
    rule_files: ruleFiles.map((f) => `rules/${f.fileName}`),
    evaluation_interval: `${s}s`,
    tests: groups.map((g) => ({
      name: g.name,
      interval: `${s}s`,
      input_series: g.series,
      alert_rule_test: g.alerts,
      ...(g.exprs !== undefined ? { promql_expr_test: g.exprs } : {}),
    })),
  };
  const text = YAML.stringify(suite, { lineWidth: 0, aliasDuplicateObjects: false });
  const files: Record<string, string> = { "suite.yml": text };
  for (const f of ruleFiles) files[`rules/${f.fileName}`] = f.content;
  const r = withFiles(files, (dir) => runTool(PROMTOOL, ["test", "rules", "suite.yml"], dir));
  ok(r.status === 0, `promtool test rules failed:\n${r.stdout}\n${r.stderr}\n${text}`);
  ok(r.stdout.includes("SUCCESS"), r.stdout);
}

/** No alert named `alertname` at each multiple of `s` from `fromSeconds` to `toSeconds`. */
function never(
  alertname: SloAlertName | MonitoringAlertName,
  s: number,
  fromSeconds: number,
  toSeconds: number,
): AlertCheck[] {
  const out: AlertCheck[] = [];
  for (let t = fromSeconds; t <= toSeconds; t += s) {
    out.push({ eval_time: `${t}s`, alertname, exp_alerts: [] });
  }
  return out;
}

const LEAD = 10; // healthy intervals before any breach

for (const stack of STACK_NAMES) {
  const config = completedStack(stack);
  const s = config.monitoring.scrapeIntervalSeconds;
  const rules = sloRules(config);
  const windowIntervals = config.slo.validationWindowSeconds / s;
  /** How the alerts name the stage served: the rollout step nearest to the canary's share. */
  const stage = (percent: number) => `at rollout stage ${percent}%`;
  const runbook = config.alerting.runbookUrl;
  const rollback = { severity: "critical", action: "rollback" };
  /** The first scrape that shows a breach starting after the lead-in. */
  const T = (LEAD + 1) * s;

  describe(`SLO alerts in promtool, ${stack} stack (integration)`, () => {
    it("loads the rendered rules with promtool check rules", () => {
      const files: Record<string, string> = {};
      for (const f of renderPrometheusRules(config)) files[f.fileName] = f.content;
      const r = withFiles(files, (dir) =>
        runTool(PROMTOOL, ["check", "rules", ...Object.keys(files)], dir),
      );
      ok(r.status === 0, `${r.stdout}\n${r.stderr}`);
    });

    it("GenesisErrorRateHigh: fires exactly when the window is over; shorter bursts, zero traffic and counter resets never fire", () => {
      const rule = sloRule(rules, "GenesisErrorRateHigh");
      const n = windowIntervals;
      const total = LEAD + n + 6;
      const breach = (variant: string): Series[] =>
        requests(
          variant,
          [...times(LEAD, 100), ...times(total - LEAD, 96)],
          [...times(LEAD, 0), ...times(total - LEAD, 4)],
        );
      const firing = {
        exp_labels: { ...rollback, variant: "canary" },
        exp_annotations: {
          summary: `Error rate of canary above 1% for the validation window (${rule.forSeconds / 60}m) ${stage(50)}`,
          description: `5xx / all responses of variant canary is 4%, above the threshold of 1%, at every evaluation for the whole validation window of ${rule.forSeconds / 60}m, ${stage(50)}. Roll back the stage.`,
          runbook_url: runbook,
        },
      };
      promtoolTest(config, [
        {
          name: "a sustained 4% breach: pending until the window is over, then firing",
          series: [...breach("canary"), ...requests("stable", times(total, 100))],
          alerts: [
            ...never("GenesisErrorRateHigh", s, s, T + (n - 1) * s),
            { eval_time: `${T + n * s}s`, alertname: "GenesisErrorRateHigh", exp_alerts: [firing] },
          ],
          exprs: [
            {
              // A variant without any 5xx series counts as zero errors.
              expr: "genesis:http_error_ratio:rate_short",
              eval_time: `${T + s}s`,
              exp_samples: [
                { labels: 'genesis:http_error_ratio:rate_short{variant="canary"}', value: 0.04 },
                { labels: 'genesis:http_error_ratio:rate_short{variant="stable"}', value: 0 },
              ],
            },
            // A client's one-query form of the same rule agrees with the alert at the edge.
            {
              expr: sustainedBreachQuery(rule, s),
              eval_time: `${T + (n - 1) * s}s`,
              exp_samples: [
                { labels: '{variant="canary"}', value: 0 },
                { labels: '{variant="stable"}', value: 0 },
              ],
            },
            {
              expr: sustainedBreachQuery(rule, s),
              eval_time: `${T + n * s}s`,
              exp_samples: [
                { labels: '{variant="canary"}', value: 1 },
                { labels: '{variant="stable"}', value: 0 },
              ],
            },
          ],
        },
        {
          name: "a burst one interval shorter than the window never fires",
          series: requests(
            "canary",
            [...times(LEAD, 100), ...times(n - 1, 96), ...times(n + 6, 100)],
            [...times(LEAD, 0), ...times(n - 1, 4), ...times(n + 6, 0)],
          ),
          alerts: never("GenesisErrorRateHigh", s, s, T + (2 * n + 4) * s),
        },
        {
          name: "zero traffic never fires, and does not hide the other variant's breach",
          series: [
            ...requests("canary", times(total, 0), times(total, 0)),
            ...requests(
              "stable",
              [...times(LEAD, 100), ...times(total - LEAD, 96)],
              [...times(LEAD, 0), ...times(total - LEAD, 4)],
            ),
          ],
          alerts: [
            ...never("GenesisErrorRateHigh", s, s, T + (n - 1) * s),
            {
              eval_time: `${T + n * s}s`,
              alertname: "GenesisErrorRateHigh",
              exp_alerts: [
                {
                  exp_labels: { ...rollback, variant: "stable" },
                  exp_annotations: {
                    summary: `Error rate of stable above 1% for the validation window (${rule.forSeconds / 60}m) ${stage(0)}`,
                    description: `5xx / all responses of variant stable is 4%, above the threshold of 1%, at every evaluation for the whole validation window of ${rule.forSeconds / 60}m, ${stage(0)}. Roll back the stage.`,
                    runbook_url: runbook,
                  },
                },
              ],
            },
          ],
        },
        {
          name: "a counter reset (the canary restarts) keeps the ratio at 0.5% and never fires",
          series: [
            {
              series: `http_requests_total{${APP},code="200",variant="canary"}`,
              values: `${counter(times(LEAD, 199))} ${counter(times(n + 6, 199), 199)}`,
            },
            {
              series: `http_requests_total{${APP},code="500",variant="canary"}`,
              values: `${counter(times(LEAD, 1))} ${counter(times(n + 6, 1), 1)}`,
            },
          ],
          alerts: never("GenesisErrorRateHigh", s, s, (LEAD + n + 6) * s),
          exprs: [
            {
              // Per ten thousand, rounded: 2.42 compares floats exactly.
              expr: "round(genesis:http_error_ratio:rate_short * 10000)",
              eval_time: `${(LEAD + 2) * s}s`,
              exp_samples: [{ labels: '{variant="canary"}', value: 50 }],
            },
          ],
        },
      ]);
    });

    it("GenesisErrorRateSevere: 10x the threshold fires within three scrape intervals; a single-scrape blip does not", () => {
      const rule = sloRule(rules, "GenesisErrorRateSevere");
      const total = LEAD + 10;
      promtoolTest(config, [
        {
          name: "50% errors: fires two scrape intervals after the first scrape that shows them",
          series: requests(
            "canary",
            [...times(LEAD, 100), ...times(total - LEAD, 50)],
            [...times(LEAD, 0), ...times(total - LEAD, 50)],
          ),
          exprs: [
            {
              expr: sustainedBreachQuery(rule, s),
              eval_time: `${T + s}s`,
              exp_samples: [{ labels: '{variant="canary"}', value: 0 }],
            },
            {
              expr: sustainedBreachQuery(rule, s),
              eval_time: `${T + 2 * s}s`,
              exp_samples: [{ labels: '{variant="canary"}', value: 1 }],
            },
          ],
          alerts: [
            ...never("GenesisErrorRateSevere", s, s, T + s),
            {
              eval_time: `${T + 2 * s}s`,
              alertname: "GenesisErrorRateSevere",
              exp_alerts: [
                {
                  exp_labels: { ...rollback, variant: "canary" },
                  exp_annotations: {
                    summary: `Error rate of canary at 10x the threshold or more ${stage(100)}`,
                    description: `5xx / all responses of variant canary is 50%, at or above 10% (10x the threshold of 1%) for ${rule.forSeconds}s, ${stage(100)}. Roll back now: this does not wait for the validation window.`,
                    runbook_url: runbook,
                  },
                },
              ],
            },
          ],
        },
        {
          name: "exactly 10x (10% errors) fires three scrape intervals after the first scrape that shows it",
          series: requests(
            "canary",
            [...times(LEAD, 100), ...times(total - LEAD, 90)],
            [...times(LEAD, 0), ...times(total - LEAD, 10)],
          ),
          alerts: [
            ...never("GenesisErrorRateSevere", s, s, T + 2 * s),
            {
              eval_time: `${T + 3 * s}s`,
              alertname: "GenesisErrorRateSevere",
              exp_alerts: [
                {
                  exp_labels: { ...rollback, variant: "canary" },
                  exp_annotations: {
                    summary: `Error rate of canary at 10x the threshold or more ${stage(100)}`,
                    description: `5xx / all responses of variant canary is 10%, at or above 10% (10x the threshold of 1%) for ${rule.forSeconds}s, ${stage(100)}. Roll back now: this does not wait for the validation window.`,
                    runbook_url: runbook,
                  },
                },
              ],
            },
          ],
        },
        {
          name: "a single-scrape blip of 100% errors never fires",
          series: requests(
            "canary",
            [...times(LEAD, 100), 0, ...times(total - LEAD - 1, 100)],
            [...times(LEAD, 0), 100, ...times(total - LEAD - 1, 0)],
          ),
          alerts: never("GenesisErrorRateSevere", s, s, total * s),
        },
        {
          name: "just under 10x (9% errors) never fires",
          series: requests(
            "canary",
            [...times(LEAD, 100), ...times(total - LEAD, 91)],
            [...times(LEAD, 0), ...times(total - LEAD, 9)],
          ),
          alerts: never("GenesisErrorRateSevere", s, s, total * s),
        },
      ]);
    });

    it("GenesisLatencyP95High: fires when P95 has been above the threshold for the whole window, never before", () => {
      const rule = sloRule(rules, "GenesisLatencyP95High");
      const n = windowIntervals;
      const total = LEAD + n + 4;
      const threshold = config.slo.latencyP95ThresholdMs / 1000;
      const hist = (variant: string, fast: number[], slow: number[]): Series[] => {
        const sel = `${APP},variant="${variant}"`;
        const all = fast.map((f, i) => f + slow[i]);
        return [
          {
            series: `http_request_duration_seconds_bucket{${sel},le="0.25"}`,
            values: counter(fast),
          },
          {
            series: `http_request_duration_seconds_bucket{${sel},le="${threshold}"}`,
            values: counter(fast),
          },
          {
            series: `http_request_duration_seconds_bucket{${sel},le="${2 * threshold}"}`,
            values: counter(all),
          },
          {
            series: `http_request_duration_seconds_bucket{${sel},le="+Inf"}`,
            values: counter(all),
          },
        ];
      };
      promtoolTest(config, [
        {
          name: "20% of requests between the threshold and twice it: fires at the end of the window",
          series: [
            ...hist(
              "canary",
              [...times(LEAD, 100), ...times(total - LEAD, 80)],
              [...times(LEAD, 0), ...times(total - LEAD, 20)],
            ),
            ...requests("canary", times(total, 100)),
          ],
          alerts: [
            ...never("GenesisLatencyP95High", s, s, T + (n - 1) * s),
            {
              eval_time: `${T + n * s}s`,
              alertname: "GenesisLatencyP95High",
              exp_alerts: [
                {
                  exp_labels: { ...rollback, variant: "canary" },
                  exp_annotations: {
                    summary: `P95 latency of canary above ${config.slo.latencyP95ThresholdMs}ms for the validation window (${rule.forSeconds / 60}m) ${stage(100)}`,
                    description: `P95 request latency of variant canary is 875ms, above the threshold of ${config.slo.latencyP95ThresholdMs}ms (${threshold}s), at every evaluation for the whole validation window of ${rule.forSeconds / 60}m, ${stage(100)}. Roll back the stage.`,
                    runbook_url: runbook,
                  },
                },
              ],
            },
          ],
        },
        {
          name: "exactly 5% slower than the threshold is P95 at the threshold: never fires",
          series: hist(
            "canary",
            [...times(LEAD, 100), ...times(total - LEAD, 95)],
            [...times(LEAD, 0), ...times(total - LEAD, 5)],
          ),
          alerts: never("GenesisLatencyP95High", s, s, total * s),
        },
        {
          name: "a slow burst one interval shorter than the window never fires",
          series: hist(
            "canary",
            [...times(LEAD, 100), ...times(n - 1, 50), ...times(n + 4, 100)],
            [...times(LEAD, 0), ...times(n - 1, 50), ...times(n + 4, 0)],
          ),
          alerts: never("GenesisLatencyP95High", s, s, (LEAD + 2 * n + 3) * s),
        },
        {
          name: "zero traffic never fires",
          series: hist("canary", times(total, 0), times(total, 0)),
          alerts: never("GenesisLatencyP95High", s, s, total * s),
        },
      ]);
    });

    it(`GenesisHealthCheckFailing: ${config.health.failureLimit} consecutive failures fire, ${config.health.failureLimit - 1} do not, a success resets`, () => {
      const limit = config.health.failureLimit;
      const up = (values: number[]): Series[] => [
        { series: `up{${APP}}`, values: values.join(" ") },
      ];
      const firstFailure = LEAD * s;
      promtoolTest(config, [
        {
          name: "the limit-th consecutive failure fires, the one before does not; the stage is the last one served",
          series: [
            ...up([...times(LEAD, 1), ...times(limit + 3, 0)]),
            ...requests("canary", [...times(LEAD, 100), ...times(limit + 3, 0)]),
          ],
          alerts: [
            ...never("GenesisHealthCheckFailing", s, 0, firstFailure + (limit - 2) * s),
            {
              eval_time: `${firstFailure + (limit - 1) * s}s`,
              alertname: "GenesisHealthCheckFailing",
              exp_alerts: [
                {
                  exp_labels: { ...rollback, job: "genesis-app", instance: "genesis-app:8080" },
                  exp_annotations: {
                    summary: `Application target genesis-app:8080 failed ${limit} consecutive health checks ${stage(100)}`,
                    description: `The application's target genesis-app:8080 (job genesis-app) has failed its health check (scrape up = 0) ${limit} times in a row, reaching the failure limit of ${limit} consecutive failures, ${stage(100)}. Roll back the stage.`,
                    runbook_url: runbook,
                  },
                },
              ],
            },
          ],
        },
        {
          name: "one success between runs of limit-1 failures resets the count",
          series: up([
            ...times(LEAD, 1),
            ...times(limit - 1, 0),
            1,
            ...times(limit - 1, 0),
            1,
            ...times(limit - 1, 0),
            1,
          ]),
          alerts: never("GenesisHealthCheckFailing", s, 0, (LEAD + 3 * limit) * s),
        },
      ]);
    });

    it("the stage served is the rollout step nearest to the canary's share of requests", () => {
      // 23 of 100 requests on the canary for ten intervals, then 48 of 100 (a promotion).
      const canary = [...times(12, 23), ...times(12, 48)];
      const stable = canary.map((c) => 100 - c);
      const w = Math.max(4 * s, 60) / s; // intervals in the share's window
      promtoolTest(config, [
        {
          name: "25% then 50%, and the dashboard's promotion query sees the change",
          series: [...requests("canary", canary), ...requests("stable", stable)],
          alerts: [],
          exprs: [
            {
              expr: "genesis:rollout_stage_percent",
              eval_time: `${12 * s}s`,
              exp_samples: [{ labels: 'genesis:rollout_stage_percent{step="25"}', value: 25 }],
            },
            {
              expr: "genesis:rollout_stage_percent",
              eval_time: `${(12 + w) * s}s`,
              exp_samples: [{ labels: 'genesis:rollout_stage_percent{step="50"}', value: 50 }],
            },
            {
              expr: "max(genesis:rollout_stage_percent) > max(genesis:rollout_stage_percent offset 1m)",
              eval_time: `${(12 + w) * s}s`,
              exp_samples: [{ labels: "{}", value: 50 }],
            },
          ],
        },
      ]);
    });

    it("monitoring-stack alerts: a target down for two scrapes, failing notifications, no Alertmanager", () => {
      const labels = { severity: "warning", action: "investigate" };
      const am = 'instance="prometheus:9090",job="prometheus"';
      // 3 errors per interval from the 11th on; at 13 intervals the rate window holds 3 of them.
      const rateWindowSeconds = Math.max(4 * s, 60);
      const notificationRate = String(Number((9 / rateWindowSeconds).toPrecision(3)));
      promtoolTest(config, [
        {
          name: "Alertmanager's target down: fires on the third failed scrape, not before",
          series: [
            {
              series: 'up{job="alertmanager",instance="alertmanager:9093"}',
              values: "1 1 1 0 0 0 0",
            },
            {
              series: 'up{job="genesis-app",instance="genesis-app:8080"}',
              values: "0 0 0 0 0 0 0",
            },
          ],
          alerts: [
            ...never("GenesisMonitoringTargetDown", s, 0, 4 * s),
            {
              eval_time: `${5 * s}s`,
              alertname: "GenesisMonitoringTargetDown",
              exp_alerts: [
                {
                  exp_labels: { ...labels, job: "alertmanager", instance: "alertmanager:9093" },
                  exp_annotations: {
                    summary: "Monitoring target alertmanager (alertmanager:9093) is down",
                    description: `Prometheus has failed to scrape alertmanager:9093 (job alertmanager) for ${2 * s}s (up = 0); gates and alerts that need it cannot judge.`,
                    runbook_url: runbook,
                  },
                },
              ],
            },
          ],
        },
        {
          name: "notification errors rising fire; none do not; no Alertmanager discovered fires",
          series: [
            {
              series: `prometheus_notifications_errors_total{${am},alertmanager="http://alertmanager:9093/api/v2/alerts"}`,
              values: counter([...times(10, 0), ...times(10, 3)]),
            },
            {
              series: `prometheus_notifications_alertmanagers_discovered{${am}}`,
              values: [...times(10, 1), ...times(11, 0)].join(" "),
            },
          ],
          alerts: [
            ...never("GenesisAlertmanagerNotificationsFailing", s, 0, 12 * s),
            {
              eval_time: `${13 * s}s`,
              alertname: "GenesisAlertmanagerNotificationsFailing",
              exp_alerts: [
                {
                  exp_labels: {
                    ...labels,
                    job: "prometheus",
                    instance: "prometheus:9090",
                    alertmanager: "http://alertmanager:9093/api/v2/alerts",
                  },
                  exp_annotations: {
                    summary:
                      "Prometheus fails to send alerts to Alertmanager http://alertmanager:9093/api/v2/alerts",
                    description: `Prometheus reports ${notificationRate} failed alert notifications per second to Alertmanager http://alertmanager:9093/api/v2/alerts over ${rateWindowSeconds}s; alerts may not reach anyone.`,
                    runbook_url: runbook,
                  },
                },
              ],
            },
            ...never("GenesisAlertmanagerUnreachable", s, 0, 11 * s),
            {
              eval_time: `${13 * s}s`,
              alertname: "GenesisAlertmanagerUnreachable",
              exp_alerts: [
                {
                  exp_labels: { ...labels, job: "prometheus", instance: "prometheus:9090" },
                  exp_annotations: {
                    summary: "Prometheus has no Alertmanager to send alerts to",
                    description:
                      "Prometheus discovers 0 Alertmanagers; alerts go nowhere until one is back.",
                    runbook_url: runbook,
                  },
                },
              ],
            },
          ],
        },
      ]);
    });
  });
}
