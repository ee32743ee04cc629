import { deepStrictEqual, ok } from "node:assert/strict";
import * as YAML from "yaml";
import { renderAlertmanagerConfig } from "../../../core/render/alertmanagerConfig";
import { completedStack } from "../../support/stacks";

describe("renderAlertmanagerConfig", () => {
  it("production: PagerDuty and e-mail receivers, secrets only as file paths", () => {
    const doc = YAML.parse(renderAlertmanagerConfig(completedStack("production"))) as Record<
      string,
      unknown
    >;
    deepStrictEqual(doc.global, {
      resolve_timeout: "5m",
      smtp_smarthost: "smtp.example.org:587",
      smtp_from: "alerts@example.org",
      smtp_require_tls: true,
      smtp_auth_username: "alerts",
      smtp_auth_password_file: "/etc/alertmanager/secrets/smtp-password",
    });
    deepStrictEqual(doc.receivers, [
      {
        name: "oncall-pagerduty",
        pagerduty_configs: [
          {
            routing_key_file: "/etc/alertmanager/secrets/pagerduty-routing-key",
            send_resolved: true,
            severity: "critical",
          },
        ],
      },
      {
        name: "deployment-lead-email",
        email_configs: [{ to: "lead@example.org", send_resolved: true }],
      },
    ]);
    deepStrictEqual(doc.inhibit_rules, [
      {
        source_matchers: ['alertname="GenesisErrorRateSevere"'],
        target_matchers: ['alertname="GenesisErrorRateHigh"'],
        equal: ["environment", "variant"],
      },
    ]);
  });

  it("staging without contact details: the same routes, receivers without integrations", () => {
    const text = renderAlertmanagerConfig(completedStack("staging"));
    const doc = YAML.parse(text) as Record<string, unknown>;
    deepStrictEqual(doc.global, { resolve_timeout: "5m" });
    deepStrictEqual(doc.receivers, [
      { name: "oncall-pagerduty" },
      { name: "deployment-lead-email" },
    ]);
    deepStrictEqual(doc.route, {
      receiver: "deployment-lead-email",
      group_by: ["environment", "variant", "action"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        { receiver: "oncall-pagerduty", matchers: ['severity="critical"'], continue: true },
        { receiver: "deployment-lead-email", matchers: ['severity=~"critical|warning"'] },
      ],
    });
    ok(!text.includes("smtp_auth_password:"), text);
  });
});
