import { deepStrictEqual } from "node:assert/strict";
import * as YAML from "yaml";
import { renderGrafanaAlerting } from "../../../core/render/grafanaAlerting";
import { completedStack } from "../../support/stacks";

describe("renderGrafanaAlerting", () => {
  it("provisions the deployment lead's e-mail contact point and the policy that uses it", () => {
    deepStrictEqual(YAML.parse(renderGrafanaAlerting(completedStack("production"))), {
      apiVersion: 1,
      contactPoints: [
        {
          orgId: 1,
          name: "deployment-lead-email",
          receivers: [
            {
              uid: "genesis-deployment-lead-email",
              type: "email",
              settings: { addresses: "lead@example.org", singleEmail: true },
              disableResolveMessage: false,
            },
          ],
        },
      ],
      policies: [
        {
          orgId: 1,
          receiver: "deployment-lead-email",
          group_by: ["grafana_folder", "alertname"],
          group_wait: "30s",
          group_interval: "5m",
          repeat_interval: "1h",
        },
      ],
    });
  });

  it("provisions nothing when the stack names no lead", () => {
    deepStrictEqual(YAML.parse(renderGrafanaAlerting(completedStack("staging"))), {
      apiVersion: 1,
    });
  });
});
