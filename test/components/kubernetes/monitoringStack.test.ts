import { throws } from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesMonitoringStack } from "../../../components/kubernetes/monitoringStack";
import { parseStackConfig } from "../../../core/config/stackConfig";
import { stagingKubernetes } from "../../core/kubernetes/fixtures";

describe("KubernetesMonitoringStack arguments", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
        call: (a) => a.inputs,
      },
      "genesis",
      "args",
      false,
    );
  });

  it("refuses a Docker stack, naming the value", () => {
    const docker = parseStackConfig({
      values: { environment: "staging" },
      secrets: { grafanaAdminPassword: "encrypted" },
    });
    throws(
      () =>
        new KubernetesMonitoringStack("k", {
          config: docker,
          secrets: { grafanaAdminPassword: pulumi.secret("x") },
          rolloutPercentage: 0,
        }),
      {
        message:
          'genesis:platform must be kubernetes for k (KubernetesMonitoringStack); got "docker"',
      },
    );
  });

  it("refuses, before declaring anything, when a secret a Secret needs is missing", () => {
    const secrets = {} as { grafanaAdminPassword: pulumi.Input<string> };
    throws(
      () =>
        new KubernetesMonitoringStack("k", {
          config: stagingKubernetes({ kubernetesMode: "helm" }),
          secrets,
          rolloutPercentage: 0,
        }),
      {
        message: "grafana-admin needs the secret genesis:grafanaAdminPassword, which is not set",
      },
    );
    throws(
      () =>
        new KubernetesMonitoringStack("k", {
          config: stagingKubernetes(),
          secrets,
          rolloutPercentage: 0,
        }),
      {
        message: "grafana-secrets needs the secret genesis:grafanaAdminPassword, which is not set",
      },
    );
  });
});
