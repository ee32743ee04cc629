/**
 * What each platform component receives: a small view of the stack config holding only what
 * that component reads (its rendered specs or manifests, its names, whether it protects its
 * data), built here so a component never sees the whole {@link StackConfig}. The gate's view
 * is `gateSettingsFromConfig` (core/gate/gateSettings.ts). Pure.
 */
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { Environment, Platform, StackConfig } from "./stackConfig";
import {
  helmSecrets,
  kubePrometheusStackValues,
  stackPrometheusRule,
} from "../kubernetes/kubePrometheusStack";
import {
  FlagdManifests,
  KubernetesMonitoringManifests,
  SecretTemplate,
  flagdManifestsWithoutFlags,
  kubernetesMonitoringManifests,
} from "../kubernetes/manifests";
import { kubernetesServiceUrls } from "../kubernetes/serviceUrls";
import {
  ContainerSpec,
  monitoringContainerSpecs,
  rolloutContainerSpecs,
} from "../monitoring/containerSpecs";
import { MonitoringServiceName } from "../monitoring/services";

/**
 * Whether the resources that hold the stack's data (Docker data volumes, the Kubernetes
 * namespaces whose deletion deletes the data claims) survive a mistaken `pulumi destroy` or
 * a removal from the program. The field names are Pulumi's resource options.
 */
export interface DataProtection {
  /** Pulumi refuses to delete them until the protection is lifted. */
  readonly protect: boolean;
  /** Removing them from the stack leaves them in place (the data is kept). */
  readonly retainOnDelete: boolean;
}

/** Production protects its data and keeps it; staging is disposable. The one place this is decided. */
export function dataProtection(config: Pick<StackConfig, "environment">): DataProtection {
  const production = config.environment === "production";
  return { protect: production, retainOnDelete: production };
}

/**
 * A component's view, or, when the stack runs on another platform, that platform only: the
 * component refuses it, naming the platform, before declaring anything.
 */
export type OnPlatform<V extends { readonly platform: Platform }> =
  V | { readonly platform: Exclude<Platform, V["platform"]> };

/** What a Docker component places: hardened containers from their specs. */
export interface DockerContainersView {
  /** The platform the view is for. */
  readonly platform: "docker";
  /** The environment, the value of every resource's stack label. */
  readonly environment: Environment;
  /** The containers, in the order they are declared. */
  readonly containers: readonly ContainerSpec[];
  /** Whether the containers' data volumes are protected and kept. */
  readonly data: DataProtection;
}

/** The Docker monitoring stack's view: Prometheus, Alertmanager, Grafana, Node Exporter. */
export function dockerMonitoringView(config: StackConfig): OnPlatform<DockerContainersView> {
  if (config.platform !== "docker") return { platform: config.platform };
  return {
    platform: "docker",
    environment: config.environment,
    containers: monitoringContainerSpecs(config),
    data: dataProtection(config),
  };
}

/** The Docker rollout delivery's view: flagd, and the reference service when enabled. */
export function dockerRolloutDeliveryView(config: StackConfig): OnPlatform<DockerContainersView> {
  if (config.platform !== "docker") return { platform: config.platform };
  return {
    platform: "docker",
    environment: config.environment,
    containers: rolloutContainerSpecs(config),
    data: dataProtection(config),
  };
}

/** The kube-prometheus-stack release of helm mode and what it needs besides the chart. */
export interface KubePrometheusStackRelease {
  /** The chart version (`genesis:kubePrometheusStackVersion`). */
  readonly version: string;
  /** The chart's values. */
  readonly values: Record<string, unknown>;
  /** The Secrets the values name, without their values. */
  readonly secrets: readonly SecretTemplate[];
  /** The PrometheusRule carrying the stack's rules. */
  readonly rule: IPrometheusRule;
}

/** What the Kubernetes monitoring stack places. */
export interface KubernetesMonitoringView {
  /** The platform the view is for. */
  readonly platform: "kubernetes";
  /** The stack's namespace (`genesis:kubernetesNamespace`). */
  readonly namespace: string;
  /** Every object of the stack but flagd's and the chart's. */
  readonly manifests: KubernetesMonitoringManifests;
  /**
   * The kube-prometheus-stack release, in helm mode.
   * @default none: plain mode declares every workload from `manifests`
   */
  readonly helm?: KubePrometheusStackRelease;
  /** Each service's in-cluster URL. */
  readonly urls: Readonly<Record<MonitoringServiceName, string>>;
  /** Whether the namespaces (and with them the data claims) are protected and kept. */
  readonly data: DataProtection;
}

/** The Kubernetes monitoring stack's view. */
export function kubernetesMonitoringView(
  config: StackConfig,
): OnPlatform<KubernetesMonitoringView> {
  if (config.platform !== "kubernetes") return { platform: config.platform };
  const { prometheus, alertmanager, grafana, nodeExporter } = kubernetesServiceUrls(config);
  return {
    platform: "kubernetes",
    namespace: config.kubernetes.namespace,
    manifests: kubernetesMonitoringManifests(config),
    ...(config.kubernetes.mode === "helm"
      ? {
          helm: {
            version: config.kubernetes.kubePrometheusStackVersion,
            values: kubePrometheusStackValues(config),
            secrets: helmSecrets(config),
            rule: stackPrometheusRule(config),
          },
        }
      : {}),
    urls: { prometheus, alertmanager, grafana, nodeExporter },
    data: dataProtection(config),
  };
}

/** What the Kubernetes rollout delivery places: flagd, serving the flag file it is given. */
export interface KubernetesRolloutDeliveryView {
  /** The platform the view is for. */
  readonly platform: "kubernetes";
  /** flagd's objects before the flag file is placed (`placeFlagdFlags` places it). */
  readonly flagd: FlagdManifests;
  /** flagd's in-cluster evaluation URL. */
  readonly flagdUrl: string;
}

/** The Kubernetes rollout delivery's view. */
export function kubernetesRolloutDeliveryView(
  config: StackConfig,
): OnPlatform<KubernetesRolloutDeliveryView> {
  if (config.platform !== "kubernetes") return { platform: config.platform };
  return {
    platform: "kubernetes",
    flagd: flagdManifestsWithoutFlags(config),
    flagdUrl: kubernetesServiceUrls(config).flagd,
  };
}
