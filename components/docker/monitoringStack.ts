/**
 * The monitoring stack on one Docker engine: Prometheus, Alertmanager, Grafana and Node
 * Exporter on an isolated user-defined bridge, every container hardened, every port bound
 * to 127.0.0.1, data on named volumes that outlive containers. Places what core/ rendered.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DockerContainersView, OnPlatform } from "../../core/config/componentViews";
import {
  MONITORING_NETWORK,
  MONITORING_SERVICES,
  MonitoringServiceName,
  localUrl,
} from "../../core/monitoring/services";
import { MonitoringSecrets, STACK_LABEL, declareServiceContainer } from "./serviceContainer";

export { MonitoringSecrets, STACK_LABEL } from "./serviceContainer";

/** Arguments of {@link DockerMonitoringStack}. */
export interface DockerMonitoringStackArgs {
  /** The stack's services and names, from `dockerMonitoringView` (core/config/componentViews). */
  readonly view: OnPlatform<DockerContainersView>;
  /** Secret values, each a Pulumi secret; placed as files, never in environment or labels. */
  readonly secrets: MonitoringSecrets;
}

/** The Docker monitoring stack (type `genesis:docker:MonitoringStack`). */
export class DockerMonitoringStack extends pulumi.ComponentResource {
  /** The isolated bridge network the stack's containers share. */
  public readonly network: docker.Network;
  /** The bridge network's name. */
  public readonly networkName: pulumi.Output<string>;
  /** Each service's URL from this machine (127.0.0.1 and its published port). */
  public readonly urls: Readonly<Record<MonitoringServiceName, pulumi.Output<string>>>;
  /** The service containers, by service. */
  public readonly containers: Readonly<Record<MonitoringServiceName, docker.Container>>;

  constructor(
    name: string,
    args: DockerMonitoringStackArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("genesis:docker:MonitoringStack", name, {}, opts);
    const { view } = args;
    if (view.platform !== "docker") {
      throw new Error(
        `genesis:platform must be docker for ${name} (DockerMonitoringStack); got "${view.platform}"`,
      );
    }
    const labels = [{ label: STACK_LABEL, value: view.environment }];

    this.network = new docker.Network(
      `${name}-network`,
      {
        name: MONITORING_NETWORK,
        driver: "bridge",
        internal: false,
        attachable: false,
        ipv6: false,
        labels,
      },
      { parent: this },
    );

    const containers = {} as Record<MonitoringServiceName, docker.Container>;
    const urls = {} as Record<MonitoringServiceName, pulumi.Output<string>>;
    for (const spec of view.containers) {
      const service = spec.service.name as MonitoringServiceName;
      containers[service] = declareServiceContainer({
        stem: `${name}-${spec.service.host}`,
        spec,
        networkName: this.network.name,
        labels,
        secrets: args.secrets,
        data: view.data,
        parent: this,
      }).container;
      urls[service] = pulumi.output(localUrl(MONITORING_SERVICES[service]));
    }

    this.networkName = this.network.name;
    this.urls = urls;
    this.containers = containers;
    this.registerOutputs({ networkName: this.networkName, urls: this.urls });
  }
}
