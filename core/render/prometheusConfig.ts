/**
 * Renders prometheus.yml: scrapes the four monitoring services, flagd and the application, sends
 * alerts to Alertmanager and loads the rule files the stack places next to it.
 */
import * as YAML from "yaml";
import { StackConfig } from "../config/stackConfig";
import {
  MONITORING_SERVICE_NAMES,
  MONITORING_SERVICES,
  ROLLOUT_SERVICES,
} from "../monitoring/services";

/** Where Prometheus finds the rule files the stack places. */
export const PROMETHEUS_RULES_GLOB = `${MONITORING_SERVICES.prometheus.configDir}/rules/*.yml`;

/** Renders prometheus.yml for `config`; the same text for the same config, byte for byte. */
export function renderPrometheusConfig(config: StackConfig): string {
  const interval = `${config.monitoring.scrapeIntervalSeconds}s`;
  const alertmanager = MONITORING_SERVICES.alertmanager;
  const doc = {
    global: {
      scrape_interval: interval,
      scrape_timeout: `${Math.min(10, config.monitoring.scrapeIntervalSeconds)}s`,
      evaluation_interval: interval,
      external_labels: { environment: config.environment },
    },
    alerting: {
      alertmanagers: [
        { static_configs: [{ targets: [`${alertmanager.host}:${alertmanager.port}`] }] },
      ],
    },
    rule_files: [PROMETHEUS_RULES_GLOB],
    scrape_configs: [
      ...MONITORING_SERVICE_NAMES.map((name) => {
        const s = MONITORING_SERVICES[name];
        return {
          job_name: s.job,
          metrics_path: s.metricsPath,
          static_configs: [{ targets: [`${s.host}:${s.port}`] }],
        };
      }),
      {
        job_name: ROLLOUT_SERVICES.flagd.job,
        metrics_path: ROLLOUT_SERVICES.flagd.metricsPath,
        static_configs: [
          { targets: [`${ROLLOUT_SERVICES.flagd.host}:${ROLLOUT_SERVICES.flagd.metricsPort}`] },
        ],
      },
      {
        job_name: config.app.metricsJob,
        metrics_path: "/metrics",
        static_configs: [{ targets: [config.app.metricsTarget] }],
      },
    ],
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}
