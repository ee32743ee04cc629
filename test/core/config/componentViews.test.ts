/**
 * Each component's view of the stack config: exactly what the component reads, for the
 * shipped staging and production stacks (Docker) and their Kubernetes counterparts; the
 * one place production's data protection is decided; and the platform-only view a
 * component of the other platform receives (and refuses).
 */
import { deepStrictEqual } from "node:assert/strict";
import {
  dataProtection,
  dockerMonitoringView,
  dockerRolloutDeliveryView,
  kubernetesMonitoringView,
  kubernetesRolloutDeliveryView,
} from "../../../core/config/componentViews";
import {
  helmSecrets,
  kubePrometheusStackValues,
  stackPrometheusRule,
} from "../../../core/kubernetes/kubePrometheusStack";
import {
  flagdManifests,
  flagdManifestsWithoutFlags,
  kubernetesMonitoringManifests,
  placeFlagdFlags,
} from "../../../core/kubernetes/manifests";
import {
  monitoringContainerSpecs,
  rolloutContainerSpecs,
} from "../../../core/monitoring/containerSpecs";
import { renderFlagdFlags } from "../../../core/render/flagdFlags";
import { completedStack } from "../../support/stacks";
import { productionKubernetes, stagingKubernetes } from "../kubernetes/fixtures";

const UNPROTECTED = { protect: false, retainOnDelete: false };
const PROTECTED = { protect: true, retainOnDelete: true };

const PLAIN_URLS = {
  prometheus: "http://prometheus.genesis-monitoring.svc:9090",
  alertmanager: "http://alertmanager.genesis-monitoring.svc:9093",
  grafana: "http://grafana.genesis-monitoring.svc:3000",
  nodeExporter: "http://node-exporter.genesis-monitoring.svc:9100",
};

const MONITORING_CONTAINERS = [
  "genesis-prometheus",
  "genesis-alertmanager",
  "genesis-grafana",
  "genesis-node-exporter",
];

describe("dataProtection: production protects and keeps its data, staging does not", () => {
  for (const [environment, expected] of [
    ["staging", UNPROTECTED],
    ["production", PROTECTED],
  ] as const) {
    it(environment, () => {
      deepStrictEqual(dataProtection({ environment }), expected);
    });
  }
});

describe("Docker components' views", () => {
  const cases = [
    {
      stack: "staging",
      data: UNPROTECTED,
      delivered: ["genesis-flagd", "genesis-app"],
    },
    { stack: "production", data: PROTECTED, delivered: ["genesis-flagd"] },
  ] as const;
  for (const { stack, data, delivered } of cases) {
    it(`the monitoring stack's, ${stack}: its four containers, its environment, its data protection`, () => {
      const config = completedStack(stack);
      const view = dockerMonitoringView(config);
      deepStrictEqual(view, {
        platform: "docker",
        environment: stack,
        containers: monitoringContainerSpecs(config),
        data,
      });
      deepStrictEqual(
        "containers" in view ? view.containers.map((c) => c.containerName) : [],
        MONITORING_CONTAINERS,
      );
    });

    it(`the rollout delivery's, ${stack}: flagd, and the reference service when enabled`, () => {
      const config = completedStack(stack);
      const view = dockerRolloutDeliveryView(config);
      deepStrictEqual(view, {
        platform: "docker",
        environment: stack,
        containers: rolloutContainerSpecs(config),
        data,
      });
      deepStrictEqual(
        "containers" in view ? view.containers.map((c) => c.containerName) : [],
        delivered,
      );
    });
  }

  it("a Kubernetes stack gets the platform only, which the Docker components refuse", () => {
    deepStrictEqual(dockerMonitoringView(stagingKubernetes()), { platform: "kubernetes" });
    deepStrictEqual(dockerRolloutDeliveryView(stagingKubernetes()), { platform: "kubernetes" });
  });
});

describe("Kubernetes components' views", () => {
  for (const [environment, config, data] of [
    ["staging", stagingKubernetes(), UNPROTECTED],
    ["production", productionKubernetes(), PROTECTED],
  ] as const) {
    it(`the monitoring stack's, ${environment}, plain mode: its manifests, namespace, URLs, data protection; no chart`, () => {
      deepStrictEqual(kubernetesMonitoringView(config), {
        platform: "kubernetes",
        namespace: "genesis-monitoring",
        manifests: kubernetesMonitoringManifests(config),
        urls: PLAIN_URLS,
        data,
      });
    });

    it(`the rollout delivery's, ${environment}: flagd's objects without the flag file, and its URL`, () => {
      const view = kubernetesRolloutDeliveryView(config);
      deepStrictEqual(view, {
        platform: "kubernetes",
        flagd: flagdManifestsWithoutFlags(config),
        flagdUrl: "http://flagd.genesis-monitoring.svc:8013",
      });
      if (!("flagd" in view)) throw new Error("no flagd in the view");
      deepStrictEqual(view.flagd.configMap.data, undefined);
      deepStrictEqual(view.flagd.deployment.spec!.template.metadata, {
        labels: {
          "app.kubernetes.io/part-of": "genesis",
          "app.kubernetes.io/managed-by": "pulumi",
          "genesis.io/environment": environment,
          "app.kubernetes.io/name": "flagd",
        },
      });
      deepStrictEqual(view.flagd.deployment.spec!.replicas, environment === "production" ? 2 : 1);
    });
  }

  it("the monitoring stack's, helm mode: the chart release besides the manifests, the chart's URLs", () => {
    const config = stagingKubernetes({ kubernetesMode: "helm" });
    deepStrictEqual(kubernetesMonitoringView(config), {
      platform: "kubernetes",
      namespace: "genesis-monitoring",
      manifests: kubernetesMonitoringManifests(config),
      helm: {
        version: "67.8.0",
        values: kubePrometheusStackValues(config),
        secrets: helmSecrets(config),
        rule: stackPrometheusRule(config),
      },
      urls: {
        prometheus: "http://genesis-prometheus.genesis-monitoring.svc:9090",
        alertmanager: "http://genesis-alertmanager.genesis-monitoring.svc:9093",
        grafana: "http://genesis-grafana.genesis-monitoring.svc:80",
        nodeExporter: "http://node-exporter.genesis-monitoring.svc:9100",
      },
      data: UNPROTECTED,
    });
  });

  it("placing the flag file in the view's flagd gives flagd's manifests for that file", () => {
    for (const config of [stagingKubernetes(), productionKubernetes()]) {
      const view = kubernetesRolloutDeliveryView(config);
      if (!("flagd" in view)) throw new Error("no flagd in the view");
      for (const percentage of [0, 5, 100]) {
        const flags = renderFlagdFlags(percentage);
        deepStrictEqual(placeFlagdFlags(view.flagd, flags), flagdManifests(config, flags));
      }
    }
  });

  it("a Docker stack gets the platform only, which the Kubernetes components refuse", () => {
    const docker = completedStack("staging");
    deepStrictEqual(kubernetesMonitoringView(docker), { platform: "docker" });
    deepStrictEqual(kubernetesRolloutDeliveryView(docker), { platform: "docker" });
  });
});
