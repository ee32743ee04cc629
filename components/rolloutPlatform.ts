/**
 * What the program asks of a platform: declare the monitoring stack, then deliver the
 * percentage the gate let through on it. Docker (components/docker/platform.ts) and
 * Kubernetes (components/kubernetes/platform.ts) implement it; index.ts picks one by the
 * name in `genesis:platform`. Each implementation builds its components' views of the
 * config (core/config/componentViews.ts); no component sees the whole config.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../core/config/stackConfig";
import { MonitoringServiceName } from "../core/monitoring/services";
import { MonitoringSecrets } from "./docker/serviceContainer";

/** The monitoring stack a platform declared: a resource to depend on, and its addresses. */
export interface PlatformMonitoring extends pulumi.Resource {
  /** The isolated network: the Docker bridge, or the Kubernetes namespace. */
  readonly networkName: pulumi.Output<string>;
  /** Each service's URL: from this machine (Docker), or in-cluster (Kubernetes). */
  readonly urls: Readonly<Record<MonitoringServiceName, pulumi.Output<string>>>;
}

/** The rollout delivery a platform declared: flagd, and the reference service where it runs. */
export interface PlatformDelivery extends pulumi.Resource {
  /** flagd's URL: from this machine (Docker), or in-cluster (Kubernetes). */
  readonly flagdUrl: pulumi.Output<string>;
  /**
   * The reference service's URL, when the platform deploys it (`genesis:appEnabled`).
   * @default none: the platform does not deploy the reference service (Kubernetes)
   */
  readonly appUrl?: pulumi.Output<string | undefined>;
}

/** What {@link RolloutPlatform.deployMonitoring} needs. */
export interface MonitoringArgs {
  /** The validated stack configuration; the platform narrows it to its components' views. */
  readonly config: StackConfig;
  /** Secret values, each a Pulumi secret; placed as files only. */
  readonly secrets: MonitoringSecrets;
}

/** What {@link RolloutPlatform.deliverRollout} needs. */
export interface DeliveryArgs {
  /** The validated stack configuration; the platform narrows it to its components' views. */
  readonly config: StackConfig;
  /** The monitoring stack this platform declared, whose network the delivery joins. */
  readonly monitoring: PlatformMonitoring;
  /** The percentage live: the rollout gate's `percentage` output. */
  readonly percentage: pulumi.Input<number>;
  /** The stack's secrets. */
  readonly secrets: MonitoringSecrets;
}

/** One platform the stack runs on. */
export interface RolloutPlatform {
  /** Declares the monitoring stack (Prometheus, Alertmanager, Grafana, Node Exporter). */
  deployMonitoring(
    name: string,
    args: MonitoringArgs,
    opts?: pulumi.ComponentResourceOptions,
  ): PlatformMonitoring;
  /** Declares flagd serving `percentage`, and the reference service where the platform runs it. */
  deliverRollout(
    name: string,
    args: DeliveryArgs,
    opts?: pulumi.ComponentResourceOptions,
  ): PlatformDelivery;
}
