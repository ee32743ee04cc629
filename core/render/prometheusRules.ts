/**
 * Renders the Prometheus rule files: the rollout's SLO rules (recording rules, then the alerts
 * that read them, in one group so they run in order at one timestamp) and the monitoring
 * stack's own rules. The SLO alerts come from core/slo/sloRules.ts, the same objects a rollout
 * driver judges a stage by.
 */
import * as YAML from "yaml";
import { StackConfig } from "../config/stackConfig";
import { promDuration } from "../format";
import { APP_JOB } from "../monitoring/services";
import {
  breachCondition,
  errorRatioThreshold,
  latencyP95ThresholdSeconds,
  SEVERE_ERROR_MULTIPLIER,
  sloRule,
  sloRules,
  SloAlertName,
  SloRule,
} from "../slo/sloRules";

/** The recorded rollout stage (percent of traffic on the new version) the dashboard plots. */
export const ROLLOUT_PERCENTAGE_RECORD = "genesis:rollout_percentage";

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

/** Options of {@link renderPrometheusRules}. */
export interface PrometheusRulesOptions {
  /**
   * The rollout stage the rules describe, in percent: the live stage (the gate's output),
   * which lags the configured one after a blocked promotion.
   * @default config.rollout.percentage
   */
  readonly stagePercent?: number;
}

/** A ratio as a percentage for prose: `0.01` -> `1%`, `0.025` -> `2.5%`. */
function percentText(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(10))}%`;
}

interface AlertTexts {
  readonly summary: string;
  readonly description: string;
}

function sloTexts(
  rule: SloRule,
  config: StackConfig,
  stagePercent: number,
  severeFor: SloRule,
): AlertTexts {
  const stage = `at rollout stage ${stagePercent}%`;
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
        description: `5xx / all responses of variant ${variant} is {{ $value | humanizePercentage }}, at or above ${percentText(rule.threshold)} (${SEVERE_ERROR_MULTIPLIER}x the threshold of ${threshold}) for ${promDuration(severeFor.forSeconds)}, ${stage}. Roll back now: this does not wait for the validation window.`,
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
        description: `The application's target {{ $labels.instance }} (job ${APP_JOB}) has failed its health check (scrape up = {{ $value }}) ${limit} times in a row, reaching the failure limit of ${limit} consecutive failures, ${stage}. Roll back the stage.`,
      };
    }
  }
}

/** Renders the SLO rule group (`genesis-slo.yml`). */
function renderSloRules(config: StackConfig, stagePercent: number): string {
  const rules = sloRules(config);
  const recorded = new Map<string, string>();
  for (const r of rules) {
    if (r.measure.record !== undefined) recorded.set(r.measure.record, r.measure.expr);
  }
  const severe = sloRule(rules, "GenesisErrorRateSevere");
  const doc = {
    groups: [
      {
        name: "genesis-slo",
        interval: `${config.monitoring.scrapeIntervalSeconds}s`,
        rules: [
          { record: ROLLOUT_PERCENTAGE_RECORD, expr: `vector(${stagePercent})` },
          ...[...recorded].map(([record, expr]) => ({ record, expr })),
          ...rules.map((rule) => {
            const texts = sloTexts(rule, config, stagePercent, severe);
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
      expr: `up{job!="${APP_JOB}"} == 0`,
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
 * The files go into the rules directory next to prometheus.yml (PROMETHEUS_RULES_GLOB).
 */
export function renderPrometheusRules(
  config: StackConfig,
  options: PrometheusRulesOptions = {},
): readonly RuleFile[] {
  const stagePercent = options.stagePercent ?? config.rollout.percentage;
  if (!config.rollout.steps.includes(stagePercent)) {
    throw new Error(
      `stagePercent must be one of the rollout steps ${config.rollout.steps.join(",")}; got ${stagePercent}`,
    );
  }
  return [
    { fileName: "genesis-slo.yml", content: renderSloRules(config, stagePercent) },
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
