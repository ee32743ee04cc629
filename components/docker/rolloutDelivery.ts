/**
 * Delivers the rollout percentage on one Docker engine: flagd serves the flag definition of
 * the percentage the rollout gate let through, on the monitoring bridge, and the reference
 * service (when enabled) reads the same flag file and serves stable or canary per user.
 * Takes the gate's output, so a blocked promotion never changes the flag.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DockerContainersView, OnPlatform } from "../../core/config/componentViews";
import { ROLLOUT_SERVICES, localUrl } from "../../core/monitoring/services";
import { renderFlagdFlags } from "../../core/render/flagdFlags";
import { MonitoringSecrets, STACK_LABEL, declareServiceContainer } from "./serviceContainer";

/** Arguments of {@link DockerRolloutDelivery}. */
export interface DockerRolloutDeliveryArgs {
  /** flagd and the reference service, from `dockerRolloutDeliveryView` (core/config/componentViews). */
  readonly view: OnPlatform<DockerContainersView>;
  /** The name of the monitoring stack's bridge network (its `networkName` output). */
  readonly networkName: pulumi.Input<string>;
  /** The percentage live: the rollout gate's `percentage` output. */
  readonly percentage: pulumi.Input<number>;
  /** The stack's secrets (none are placed here today; passed for uniformity). */
  readonly secrets: MonitoringSecrets;
}

/** flagd and the reference service (type `genesis:docker:RolloutDelivery`). */
export class DockerRolloutDelivery extends pulumi.ComponentResource {
  /** The flag definition flagd serves (JSON text). */
  public readonly flags: pulumi.Output<string>;
  /** flagd's URL from this machine. */
  public readonly flagdUrl: pulumi.Output<string>;
  /** The reference service's URL from this machine, when it is deployed. */
  public readonly appUrl: pulumi.Output<string | undefined>;

  constructor(
    name: string,
    args: DockerRolloutDeliveryArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("genesis:docker:RolloutDelivery", name, {}, opts);
    const { view } = args;
    if (view.platform !== "docker") {
      throw new Error(
        `genesis:platform must be docker for ${name} (DockerRolloutDelivery); got "${view.platform}"`,
      );
    }
    const labels = [{ label: STACK_LABEL, value: view.environment }];
    this.flags = pulumi.output(args.percentage).apply((p) => renderFlagdFlags(p));
    const volumes: Record<string, docker.Volume> = {};
    const declaredSoFar: docker.Container[] = [];
    let appUrl: string | undefined;
    for (const spec of view.containers) {
      const declared = declareServiceContainer({
        stem: `${name}-${spec.service.name}`,
        spec,
        networkName: args.networkName,
        labels,
        secrets: args.secrets,
        data: view.data,
        rolloutFlags: spec.config === undefined ? undefined : this.flags,
        sharedVolumes: volumes,
        dependsOn: [...declaredSoFar],
        parent: this,
      });
      declaredSoFar.push(declared.container);
      if (spec.config !== undefined && declared.configVolume !== undefined) {
        volumes[spec.config.volume] = declared.configVolume;
      }
      if (spec.service.name === "app") appUrl = localUrl(spec.service);
    }
    this.flagdUrl = pulumi.output(localUrl(ROLLOUT_SERVICES.flagd));
    this.appUrl = pulumi.output(appUrl);
    this.registerOutputs({ flags: this.flags, flagdUrl: this.flagdUrl, appUrl: this.appUrl });
  }
}
