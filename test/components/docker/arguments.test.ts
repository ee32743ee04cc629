import { throws } from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DockerMonitoringStack } from "../../../components/docker/monitoringStack";
import { DockerRolloutDelivery } from "../../../components/docker/rolloutDelivery";
import {
  dockerMonitoringView,
  dockerRolloutDeliveryView,
} from "../../../core/config/componentViews";
import { stagingKubernetes } from "../../core/kubernetes/fixtures";

describe("Docker components' arguments", () => {
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

  it("the monitoring stack refuses a Kubernetes stack, naming the value", () => {
    throws(
      () =>
        new DockerMonitoringStack("m", {
          view: dockerMonitoringView(stagingKubernetes()),
          secrets: { grafanaAdminPassword: pulumi.secret("x") },
        }),
      {
        message: 'genesis:platform must be docker for m (DockerMonitoringStack); got "kubernetes"',
      },
    );
  });

  it("the rollout delivery refuses a Kubernetes stack too, naming the value", () => {
    throws(
      () =>
        new DockerRolloutDelivery("d", {
          view: dockerRolloutDeliveryView(stagingKubernetes()),
          networkName: "genesis-monitoring",
          percentage: 5,
          secrets: { grafanaAdminPassword: pulumi.secret("x") },
        }),
      {
        message: 'genesis:platform must be docker for d (DockerRolloutDelivery); got "kubernetes"',
      },
    );
  });
});
