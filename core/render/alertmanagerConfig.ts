/**
 * Renders alertmanager.yml. The minimal form routes everything to one receiver with no
 * integrations, so Alertmanager starts and keeps its silences; routing to PagerDuty and
 * e-mail builds on it.
 */
import * as YAML from "yaml";
import { StackConfig } from "../config/stackConfig";

/** Renders alertmanager.yml for `config`. */
export function renderAlertmanagerConfig(config: StackConfig): string {
  const doc = {
    route: {
      receiver: "default",
      group_by: ["alertname", "severity"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: config.environment === "production" ? "1h" : "4h",
    },
    receivers: [{ name: "default" }],
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}
