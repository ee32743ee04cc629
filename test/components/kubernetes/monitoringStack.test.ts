import { throws } from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesMonitoringStack } from "../../../components/kubernetes/monitoringStack";
import { KubernetesRolloutDelivery } from "../../../components/kubernetes/rolloutDelivery";
import {
  kubernetesMonitoringView,
  kubernetesRolloutDeliveryView,
} from "../../../core/config/componentViews";
import { parseStackConfig } from "../../../core/config/stackConfig";
import { stagingKubernetes } from "../../core/kubernetes/fixtures";

describe("Kubernetes components' arguments", () => {
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
          view: kubernetesMonitoringView(docker),
          secrets: { grafanaAdminPassword: pulumi.secret("x") },
        }),
      {
        message:
          'genesis:platform must be kubernetes for k (KubernetesMonitoringStack); got "docker"',
      },
    );
  });

  it("the rollout delivery refuses a Docker stack too, naming the value", () => {
    const docker = parseStackConfig({
      values: { environment: "staging" },
      secrets: { grafanaAdminPassword: "encrypted" },
    });
    throws(
      () =>
        new KubernetesRolloutDelivery("d", {
          view: kubernetesRolloutDeliveryView(docker),
          percentage: 5,
        }),
      {
        message:
          'genesis:platform must be kubernetes for d (KubernetesRolloutDelivery); got "docker"',
      },
    );
  });

  it("refuses, before declaring anything, when a secret a Secret needs is missing", () => {
    const secrets = {} as { grafanaAdminPassword: pulumi.Input<string> };
    throws(
      () =>
        new KubernetesMonitoringStack("k", {
          view: kubernetesMonitoringView(stagingKubernetes({ kubernetesMode: "helm" })),
          secrets,
        }),
      {
        message: "grafana-admin needs the secret genesis:grafanaAdminPassword, which is not set",
      },
    );
    throws(
      () =>
        new KubernetesMonitoringStack("k", {
          view: kubernetesMonitoringView(stagingKubernetes()),
          secrets,
        }),
      {
        message: "grafana-secrets needs the secret genesis:grafanaAdminPassword, which is not set",
      },
    );
  });
});
