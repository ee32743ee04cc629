import { deepStrictEqual, throws } from "node:assert/strict";
import {
  configFingerprint,
  ContainerSpec,
  monitoringContainerSpecs,
  PlacedFile,
} from "../../../core/monitoring/containerSpecs";
import { layoutStackFiles } from "../../../core/render/stackLayout";
import { completedStack } from "../../support/stacks";

/** A spec with only the fields the layout reads. */
function spec(host: string, dir: string, files: readonly PlacedFile[]): ContainerSpec {
  const [base] = monitoringContainerSpecs(completedStack("staging"));
  return {
    ...base,
    containerName: `genesis-${host}`,
    service: { ...base.service, host },
    config: { volume: `${host}-config`, dir, files },
  };
}

describe("layoutStackFiles", () => {
  it("lays each service's files under its host name and keeps secrets as references", () => {
    deepStrictEqual(
      layoutStackFiles([
        spec("flagd", "/etc/flagd", [{ path: "flags.json", content: "{}\n" }]),
        spec("alertmanager", "/etc/alertmanager", [
          { path: "alertmanager.yml", content: "route: {}\n" },
          { path: "secrets/pagerduty-routing-key", secret: "pagerDutyRoutingKey" },
        ]),
      ]),
      {
        files: [
          { path: "alertmanager/alertmanager.yml", content: "route: {}\n" },
          { path: "flagd/flags.json", content: "{}\n" },
        ],
        secrets: [
          {
            path: "alertmanager/secrets/pagerduty-routing-key",
            containerPath: "/etc/alertmanager/secrets/pagerduty-routing-key",
            secret: "pagerDutyRoutingKey",
          },
        ],
      },
    );
  });

  it("places the alerting secrets only when the stack sets them", () => {
    const secretsOf = (stack: "staging" | "production") =>
      layoutStackFiles(monitoringContainerSpecs(completedStack(stack))).secrets.map(
        (s) => `${s.path}=${s.secret}`,
      );
    deepStrictEqual(secretsOf("staging"), ["grafana/secrets/admin-password=grafanaAdminPassword"]);
    deepStrictEqual(secretsOf("production"), [
      "alertmanager/secrets/pagerduty-routing-key=pagerDutyRoutingKey",
      "alertmanager/secrets/smtp-password=smtpPassword",
      "grafana/secrets/admin-password=grafanaAdminPassword",
      "grafana/secrets/smtp-password=smtpPassword",
    ]);
  });

  it("a promotion changes no monitoring container's files, so none is replaced before the gate", () => {
    const fingerprints = (rolloutPercentage: number) =>
      monitoringContainerSpecs(completedStack("production", { rolloutPercentage })).map(
        (spec) => `${spec.containerName}=${configFingerprint(spec)}`,
      );
    deepStrictEqual(fingerprints(25), fingerprints(0));
    deepStrictEqual(fingerprints(50), fingerprints(0));
  });

  it("refuses a path that leaves the service's directory, naming the container and path", () => {
    throws(
      () => layoutStackFiles([spec("x", "/etc/x", [{ path: "../etc/passwd", content: "" }])]),
      new Error('genesis-x: file path must be relative to /etc/x without ..; got "../etc/passwd"'),
    );
  });
});
