/**
 * Renders alertmanager.yml: critical alerts page the on-call through PagerDuty and e-mail the
 * deployment lead; warnings only e-mail. Secrets never appear in the file: the PagerDuty
 * routing key and the SMTP password are files next to it (`routing_key_file`,
 * `smtp_auth_password_file`, both supported by Alertmanager 0.25).
 */
import * as YAML from "yaml";
import { StackConfig } from "../config/stackConfig";
import { MONITORING_SERVICES } from "../monitoring/services";

/** The receiver that pages the on-call (PagerDuty). */
export const PAGER_RECEIVER = "oncall-pagerduty";
/** The receiver that e-mails the deployment lead. */
export const EMAIL_RECEIVER = "deployment-lead-email";

/** Where the PagerDuty routing key file sits, relative to Alertmanager's config dir. */
export const PAGERDUTY_KEY_PATH = "secrets/pagerduty-routing-key";
/** Where the SMTP password file sits, relative to Alertmanager's config dir. */
export const SMTP_PASSWORD_PATH = "secrets/smtp-password";

/** The labels alerts are grouped by: one notification (one PagerDuty incident) per group. */
export const ALERT_GROUP_BY: readonly string[] = ["environment", "variant", "action"];

/** Whether the stack has what an e-mail receiver needs: a recipient, a relay and a sender. */
export function emailConfigured(config: StackConfig): boolean {
  const a = config.alerting;
  return a.deploymentLeadEmail !== "" && a.smtpSmarthost !== "" && a.smtpFrom !== "";
}

/**
 * Renders alertmanager.yml for `config`. Receivers keep their names in every stack, so the
 * routing is the same everywhere; a receiver whose contact details the stack lacks (staging
 * without a routing key or an e-mail relay) has no integration and notifies nobody.
 */
export function renderAlertmanagerConfig(config: StackConfig): string {
  const dir = MONITORING_SERVICES.alertmanager.configDir;
  const a = config.alerting;
  const email = emailConfigured(config);
  const global: Record<string, unknown> = { resolve_timeout: "5m" };
  if (email) {
    global.smtp_smarthost = a.smtpSmarthost;
    global.smtp_from = a.smtpFrom;
    global.smtp_require_tls = true;
    if (a.smtpUsername !== "") global.smtp_auth_username = a.smtpUsername;
    if (config.secrets.smtpPassword) {
      global.smtp_auth_password_file = `${dir}/${SMTP_PASSWORD_PATH}`;
    }
  }
  const pager: Record<string, unknown> = { name: PAGER_RECEIVER };
  if (config.secrets.pagerDutyRoutingKey) {
    pager.pagerduty_configs = [
      {
        routing_key_file: `${dir}/${PAGERDUTY_KEY_PATH}`,
        send_resolved: true,
        severity: "critical",
      },
    ];
  }
  const lead: Record<string, unknown> = { name: EMAIL_RECEIVER };
  if (email) {
    lead.email_configs = [{ to: a.deploymentLeadEmail, send_resolved: true }];
  }
  const doc = {
    global,
    route: {
      receiver: EMAIL_RECEIVER,
      group_by: [...ALERT_GROUP_BY],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: config.environment === "production" ? "1h" : "4h",
      routes: [
        { receiver: PAGER_RECEIVER, matchers: ['severity="critical"'], continue: true },
        { receiver: EMAIL_RECEIVER, matchers: ['severity=~"critical|warning"'] },
      ],
    },
    inhibit_rules: [
      {
        // A severe breach already paged: the slower error-rate alert must not page again.
        source_matchers: ['alertname="GenesisErrorRateSevere"'],
        target_matchers: ['alertname="GenesisErrorRateHigh"'],
        equal: ["environment", "variant"],
      },
    ],
    receivers: [pager, lead],
  };
  return YAML.stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}
