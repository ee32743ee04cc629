/**
 * Delivers the rollout percentage on Kubernetes: flagd serves the flag definition of the
 * percentage it is given (the rollout gate's output) from a ConfigMap, behind a ClusterIP
 * Service, in the monitoring stack's namespace and under its NetworkPolicies. Places what
 * core/kubernetes built.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesRolloutDeliveryView, OnPlatform } from "../../core/config/componentViews";
import { placeFlagdFlags } from "../../core/kubernetes/manifests";
import { renderFlagdFlags } from "../../core/render/flagdFlags";

/** Arguments of {@link KubernetesRolloutDelivery}. */
export interface KubernetesRolloutDeliveryArgs {
  /** flagd's objects and URL, from `kubernetesRolloutDeliveryView` (core/config/componentViews). */
  readonly view: OnPlatform<KubernetesRolloutDeliveryView>;
  /**
   * The percentage flagd serves: the rollout gate's `percentage` output, so a blocked
   * promotion leaves the delivered flag untouched.
   */
  readonly percentage: pulumi.Input<number>;
}

/** flagd on Kubernetes (type `genesis:kubernetes:RolloutDelivery`). */
export class KubernetesRolloutDelivery extends pulumi.ComponentResource {
  /** The flag definition flagd serves (JSON text). */
  public readonly flags: pulumi.Output<string>;
  /** flagd's in-cluster evaluation URL. */
  public readonly flagdUrl: pulumi.Output<string>;

  /**
   * Declare it after the monitoring stack (`dependsOn`), whose namespace and NetworkPolicies
   * it runs in.
   */
  constructor(
    name: string,
    args: KubernetesRolloutDeliveryArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("genesis:kubernetes:RolloutDelivery", name, {}, opts);
    const { view } = args;
    if (view.platform !== "kubernetes") {
      throw new Error(
        `genesis:platform must be kubernetes for ${name} (KubernetesRolloutDelivery); got "${view.platform}"`,
      );
    }
    const child = { parent: this };
    // Names, labels and the Service do not depend on the percentage, so they are known at
    // preview even while the gate's output is not; the flag file and the pod template do.
    const fixed = view.flagd;
    this.flags = pulumi.output(args.percentage).apply((p) => renderFlagdFlags(p));
    const rendered = this.flags.apply((flags) => placeFlagdFlags(fixed, flags));
    const flagsConfig = new k8s.core.v1.ConfigMap(
      `${name}-flagd-flags`,
      { metadata: fixed.configMap.metadata, data: rendered.configMap.data },
      child,
    );
    const service = new k8s.core.v1.Service(
      `${name}-flagd-service`,
      {
        metadata: fixed.service.metadata,
        spec: fixed.service.spec as k8s.types.input.core.v1.ServiceSpec,
      },
      child,
    );
    new k8s.apps.v1.Deployment(
      `${name}-flagd`,
      {
        metadata: fixed.deployment.metadata,
        spec: rendered.deployment.spec as pulumi.Output<k8s.types.input.apps.v1.DeploymentSpec>,
      },
      { ...child, dependsOn: [flagsConfig, service] },
    );
    this.flagdUrl = pulumi.output(view.flagdUrl);
    this.registerOutputs({ flags: this.flags, flagdUrl: this.flagdUrl });
  }
}
