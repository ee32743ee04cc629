/**
 * Renders Grafana's alerting provisioning: an e-mail contact point for the deployment lead
 * and the notification policy that sends every Grafana alert there. Without a lead address
 * (a staging stack that sets none) the file provisions nothing.
 */
import * as YAML from "yaml";
import { StackConfig } from "../config/stackConfig";

/** The contact point's name (and, prefixed, its uid). */
export const GRAFANA_LEAD_CONTACT_POINT = "deployment-lead-email";

/** Renders provisioning/alerting/genesis.yml for `config`. */
export function renderGrafanaAlerting(config: StackConfig): string {
  const address = config.alerting.deploymentLeadEmail;
  if (address === "") return YAML.stringify({ apiVersion: 1 });
  const doc = {
    apiVersion: 1,
    contactPoints: [
      {
        orgId: 1,
        name: GRAFANA_LEAD_CONTACT_POINT,
        receivers: [
          {
            uid: `genesis-${GRAFANA_LEAD_CONTACT_POINT}`,
            type: "email",
            settings: { addresses: address, singleEmail: true },
            disableResolveMessage: false,
          },
        ],
      },
    ],
    policies: [
      {
        orgId: 1,
        receiver: GRAFANA_LEAD_CONTACT_POINT,
        group_by: ["grafana_folder", "alertname"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: config.environment === "production" ? "1h" : "4h",
      },
    ],
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}
