/**
 * Renders the Prometheus rule files: the rollout's SLO rules (recording rules, then the alerts
 * that read them, in one group so they run in order at one timestamp) and the monitoring
 * stack's own rules. The SLO alerts come from core/slo/sloRules.ts, the same objects a rollout
 * driver judges a stage by.
 */
import * as YAML from "yaml";
import { StackConfig } from "../config/stackConfig";
import { promDuration } from "../format";
import {
  appSelectorOf,
  breachCondition,
  errorRatioThreshold,
  latencyP95ThresholdSeconds,
  SEVERE_ERROR_MULTIPLIER,
  sloRules,
  SloAlertName,
  SloRule,
} from "../slo/sloRules";

/**
 * The canary's share of the application's requests in percent, over
 * {@link stageWindowSeconds}: the rollout percentage as actually served.
 */
export const CANARY_SHARE_RECORD = "genesis:rollout_canary_share_percent";

/**
 * The rollout stage as served: the rollout step nearest to the canary's share of requests
 * (one series, the step as its value and in its `step` label); absent without traffic. It
 * follows what flagd serves (the gate's live percentage), so the rule files never change
 * with a promotion and Prometheus is not restarted by one.
 */
export const ROLLOUT_STAGE_RECORD = "genesis:rollout_stage_percent";

/** The window of the canary share, in seconds: four scrapes, at least a minute. */
export function stageWindowSeconds(config: StackConfig): number {
  return Math.max(4 * config.monitoring.scrapeIntervalSeconds, 60);
}

/** The canary share's PromQL: canary requests / all requests, in percent. */
function canaryShareExpr(config: StackConfig): string {
  const w = `${stageWindowSeconds(config)}s`;
  const sel = appSelectorOf(config);
  const canary = `sum(increase(http_requests_total{${sel},variant="canary"}[${w}]))`;
  const all = `sum(increase(http_requests_total{${sel}}[${w}]))`;
  return `100 * (${canary} or vector(0)) / (${all} > 0)`;
}

/**
 * The nearest rollout step to the canary share: for each step, its value labelled with it,
 * kept where its distance to the share is the smallest (bottomk 1; ties go to either).
 */
function rolloutStageExpr(config: StackConfig): string {
  const tagged = (expr: string, step: number) =>
    `label_replace(${expr}, "step", "${step}", "", "")`;
  const steps = config.rollout.steps;
  const values = steps.map((p) => tagged(`${CANARY_SHARE_RECORD} * 0 + ${p}`, p)).join(" or ");
  const distances = steps.map((p) => tagged(`abs(${CANARY_SHARE_RECORD} - ${p})`, p)).join(" or ");
  return `(${values}) and on (step) bottomk(1, ${distances})`;
}

/** The alert text naming the stage: the last stage served within ten minutes. */
const STAGE_TEXT = `at rollout stage {{ with query "max(last_over_time(${ROLLOUT_STAGE_RECORD}[10m]))" }}{{ . | first | value }}%{{ else }}unknown (no traffic in 10m){{ end }}`;

/** The names of the monitoring stack's own alerts. */
export type MonitoringAlertName =
  | "GenesisMonitoringTargetDown"
  | "GenesisAlertmanagerNotificationsFailing"
  | "GenesisAlertmanagerUnreachable";

/** A rendered rule file: its name under the rules directory and its YAML text. */
export interface RuleFile {
  /** File name, e.g. `genesis-slo.yml`. */
  readonly fileName: string;
  /** The YAML document. */
  readonly content: string;
}

/** A ratio as a percentage for prose: `0.01` -> `1%`, `0.025` -> `2.5%`. */
function percentText(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(10))}%`;
}

interface AlertTexts {
  readonly summary: string;
  readonly description: string;
}

function sloTexts(rule: SloRule, config: StackConfig): AlertTexts {
  const stage = STAGE_TEXT;
  const windowText = promDuration(rule.forSeconds);
  const variant = "{{ $labels.variant }}";
  const threshold = percentText(errorRatioThreshold(config));
  switch (rule.alert) {
    case "GenesisErrorRateHigh":
      return {
        summary: `Error rate of ${variant} above ${threshold} for the validation window (${windowText}) ${stage}`,
        description: `5xx / all responses of variant ${variant} is {{ $value | humanizePercentage }}, above the threshold of ${threshold}, at every evaluation for the whole validation window of ${windowText}, ${stage}. Roll back the stage.`,
      };
    case "GenesisErrorRateSevere":
      return {
        summary: `Error rate of ${variant} at ${SEVERE_ERROR_MULTIPLIER}x the threshold or more ${stage}`,
        description: `5xx / all responses of variant ${variant} is {{ $value | humanizePercentage }}, at or above ${percentText(rule.threshold)} (${SEVERE_ERROR_MULTIPLIER}x the threshold of ${threshold}) for ${promDuration(rule.forSeconds)}, ${stage}. Roll back now: this does not wait for the validation window.`,
      };
    case "GenesisLatencyP95High": {
      const ms = config.slo.latencyP95ThresholdMs;
      return {
        summary: `P95 latency of ${variant} above ${ms}ms for the validation window (${windowText}) ${stage}`,
        description: `P95 request latency of variant ${variant} is {{ $value | humanizeDuration }}, above the threshold of ${ms}ms (${latencyP95ThresholdSeconds(config)}s), at every evaluation for the whole validation window of ${windowText}, ${stage}. Roll back the stage.`,
      };
    }
    case "GenesisHealthCheckFailing": {
      const limit = config.health.failureLimit;
      return {
        summary: `Application target {{ $labels.instance }} failed ${limit} consecutive health checks ${stage}`,
        description: `The application's target {{ $labels.instance }} (job ${config.app.metricsJob}) has failed its health check (scrape up = {{ $value }}) ${limit} times in a row, reaching the failure limit of ${limit} consecutive failures, ${stage}. Roll back the stage.`,
      };
    }
  }
}

/** Renders the SLO rule group (`genesis-slo.yml`). */
function renderSloRules(config: StackConfig): string {
  const rules = sloRules(config);
  const recorded = new Map<string, string>();
  for (const r of rules) {
    if (r.measure.record !== undefined) recorded.set(r.measure.record, r.measure.expr);
  }
  const doc = {
    groups: [
      {
        name: "genesis-slo",
        interval: `${config.monitoring.scrapeIntervalSeconds}s`,
        rules: [
          { record: CANARY_SHARE_RECORD, expr: canaryShareExpr(config) },
          { record: ROLLOUT_STAGE_RECORD, expr: rolloutStageExpr(config) },
          ...[...recorded].map(([record, expr]) => ({ record, expr })),
          ...rules.map((rule) => {
            const texts = sloTexts(rule, config);
            return {
              alert: rule.alert,
              expr: breachCondition(rule, true),
              for: promDuration(rule.forSeconds),
              labels: { severity: rule.severity, action: rule.action },
              annotations: {
                summary: texts.summary,
                description: texts.description,
                runbook_url: config.alerting.runbookUrl,
              },
            };
          }),
        ],
      },
    ],
  };
  return YAML.stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Renders the monitoring stack's own rules (`genesis-monitoring.yml`). */
function renderMonitoringRules(config: StackConfig): string {
  const s = config.monitoring.scrapeIntervalSeconds;
  const rateWindow = `${Math.max(4 * s, 60)}s`;
  const labels = { severity: "warning", action: "investigate" };
  const alerts: { alert: MonitoringAlertName; expr: string; for: string; a: AlertTexts }[] = [
    {
      alert: "GenesisMonitoringTargetDown",
      expr: `up{job!=${JSON.stringify(config.app.metricsJob)}} == 0`,
      for: promDuration(2 * s),
      a: {
        summary: "Monitoring target {{ $labels.job }} ({{ $labels.instance }}) is down",
        description: `Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for ${promDuration(2 * s)} (up = {{ $value }}); gates and alerts that need it cannot judge.`,
      },
    },
    {
      alert: "GenesisAlertmanagerNotificationsFailing",
      expr: `rate(prometheus_notifications_errors_total[${rateWindow}]) > 0`,
      for: promDuration(2 * s),
      a: {
        summary: "Prometheus fails to send alerts to Alertmanager {{ $labels.alertmanager }}",
        description: `Prometheus reports {{ $value | printf "%.3g" }} failed alert notifications per second to Alertmanager {{ $labels.alertmanager }} over ${rateWindow}; alerts may not reach anyone.`,
      },
    },
    {
      alert: "GenesisAlertmanagerUnreachable",
      expr: "prometheus_notifications_alertmanagers_discovered < 1",
      for: promDuration(2 * s),
      a: {
        summary: "Prometheus has no Alertmanager to send alerts to",
        description:
          "Prometheus discovers {{ $value }} Alertmanagers; alerts go nowhere until one is back.",
      },
    },
  ];
  const doc = {
    groups: [
      {
        name: "genesis-monitoring",
        interval: `${s}s`,
        rules: alerts.map((x) => ({
          alert: x.alert,
          expr: x.expr,
          for: x.for,
          labels,
          annotations: {
            summary: x.a.summary,
            description: x.a.description,
            runbook_url: config.alerting.runbookUrl,
          },
        })),
      },
    ],
  };
  return YAML.stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * Renders every rule file for `config`, in a fixed order; the same text for the same input.
 * The files go into the rules directory next to prometheus.yml (PROMETHEUS_RULES_GLOB). They
 * do not depend on the rollout percentage: a promotion changes no file and restarts nothing,
 * and the stage the alerts name is the one served ({@link ROLLOUT_STAGE_RECORD}).
 */
export function renderPrometheusRules(config: StackConfig): readonly RuleFile[] {
  return [
    { fileName: "genesis-slo.yml", content: renderSloRules(config) },
    { fileName: "genesis-monitoring.yml", content: renderMonitoringRules(config) },
  ];
}

/** The alert names the rendered rules define, SLO alerts first. */
export const RENDERED_ALERT_NAMES: readonly (SloAlertName | MonitoringAlertName)[] = [
  "GenesisErrorRateHigh",
  "GenesisErrorRateSevere",
  "GenesisLatencyP95High",
  "GenesisHealthCheckFailing",
  "GenesisMonitoringTargetDown",
  "GenesisAlertmanagerNotificationsFailing",
  "GenesisAlertmanagerUnreachable",
];
