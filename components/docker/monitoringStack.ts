/**
 * The monitoring stack on one Docker engine: Prometheus, Alertmanager, Grafana and Node
 * Exporter on an isolated user-defined bridge, every container hardened, every port bound
 * to 127.0.0.1, data on named volumes that outlive containers. Places what core/ rendered.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../core/config/stackConfig";
import {
  CONFIG_STAGING_DIR,
  ContainerSpec,
  SecretName,
  configFingerprint,
  configInitScript,
  monitoringContainerSpecs,
} from "../../core/monitoring/containerSpecs";
import {
  MONITORING_NETWORK,
  MonitoringServiceName,
  PUBLISH_ADDRESS,
  localUrl,
} from "../../core/monitoring/services";

/** The secrets the stack delivers to containers as files. */
export interface MonitoringSecrets {
  /** Grafana's admin password. */
  readonly grafanaAdminPassword: pulumi.Input<string>;
  /** PagerDuty routing key; only when set. */
  readonly pagerDutyRoutingKey?: pulumi.Input<string>;
  /** SMTP password; only when set. */
  readonly smtpPassword?: pulumi.Input<string>;
}

/** Arguments of {@link DockerMonitoringStack}. */
export interface DockerMonitoringStackArgs {
  /** The validated stack configuration. */
  readonly config: StackConfig;
  /** Secret values, each a Pulumi secret; placed as files, never in environment or labels. */
  readonly secrets: MonitoringSecrets;
}

/** Label that marks every resource of the stack, for `docker ps --filter`. */
export const STACK_LABEL = "genesis.stack";

/** The healthcheck cadence of every service container. */
export const HEALTHCHECK = Object.freeze({
  interval: "15s",
  timeout: "5s",
  retries: 3,
  startPeriod: "30s",
});

/** Memory of a config-init container, in MiB: it only copies a few files. */
export const CONFIG_INIT_MEMORY_MB = 64;

/** The Docker monitoring stack (type `genesis:docker:MonitoringStack`). */
export class DockerMonitoringStack extends pulumi.ComponentResource {
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
    const { config } = args;
    if (config.platform !== "docker") {
      throw new Error(
        `genesis:platform must be docker for ${name} (DockerMonitoringStack); got "${config.platform}"`,
      );
    }
    const production = config.environment === "production";
    const labels = [{ label: STACK_LABEL, value: config.environment }];

    const network = new docker.Network(
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
    for (const spec of monitoringContainerSpecs(config)) {
      const stem = `${name}-${spec.service.host}`;
      const image = new docker.RemoteImage(
        `${stem}-image`,
        { name: spec.image, keepLocally: true },
        { parent: this },
      );
      const mounts: docker.types.input.ContainerMount[] = [];
      if (spec.dataVolume !== undefined) {
        const data = new docker.Volume(
          `${stem}-data`,
          { name: spec.dataVolume.name, labels },
          { parent: this, protect: production, retainOnDelete: production },
        );
        mounts.push({ type: "volume", source: data.name, target: spec.dataVolume.path });
      }
      const dependsOn: pulumi.Resource[] = [];
      if (spec.config !== undefined) {
        const configVolume = new docker.Volume(
          `${stem}-config`,
          { name: spec.config.volume, labels },
          { parent: this },
        );
        dependsOn.push(this.configInit(stem, spec, image, configVolume, args.secrets, labels));
        mounts.push({
          type: "volume",
          source: configVolume.name,
          target: spec.config.dir,
          readOnly: true,
        });
      }
      for (const host of spec.hostMounts) {
        mounts.push({
          type: "bind",
          source: host.source,
          target: host.target,
          readOnly: true,
          bindOptions: { propagation: "rslave" },
        });
      }

      containers[spec.service.name] = new docker.Container(
        stem,
        {
          name: spec.containerName,
          image: image.imageId,
          command: [...spec.command],
          envs: [...spec.env],
          user: spec.service.user,
          readOnly: true,
          privileged: false,
          capabilities: { drops: ["ALL"] },
          securityOpts: ["no-new-privileges:true"],
          ipcMode: "private",
          memory: spec.service.memoryMb,
          memorySwap: spec.service.memoryMb,
          restart: "unless-stopped",
          networkMode: network.name,
          networksAdvanced: [{ name: network.name, aliases: [spec.service.host] }],
          ports: [
            {
              internal: spec.service.port,
              external: spec.service.port,
              ip: PUBLISH_ADDRESS,
              protocol: "tcp",
            },
          ],
          mounts,
          tmpfs: { ...spec.tmpfs },
          healthcheck: { tests: [...spec.healthcheck], ...HEALTHCHECK },
          logDriver: "json-file",
          logOpts: { "max-size": "10m", "max-file": "3" },
          labels: [...labels, { label: "genesis.config-sha256", value: configFingerprint(spec) }],
        },
        { parent: this, dependsOn, deleteBeforeReplace: true },
      );
      urls[spec.service.name] = pulumi.output(localUrl(spec.service));
    }

    this.networkName = network.name;
    this.urls = urls;
    this.containers = containers;
    this.registerOutputs({ networkName: this.networkName, urls: this.urls });
  }

  /**
   * The one-shot container that copies `spec`'s files into its config volume. It needs a
   * writable root to receive them (Docker refuses copies into a read-only root), so it runs
   * with no network, no capabilities, as the service's own non-root user, and exits.
   */
  private configInit(
    stem: string,
    spec: ContainerSpec,
    image: docker.RemoteImage,
    volume: docker.Volume,
    secrets: MonitoringSecrets,
    labels: docker.types.input.ContainerLabel[],
  ): docker.Container {
    const config = spec.config!;
    const uploads = config.files.map((f) => ({
      file: `${CONFIG_STAGING_DIR}/${f.path}`,
      content: "secret" in f ? pulumi.secret(requireSecret(secrets, f.secret, spec)) : f.content,
    }));
    return new docker.Container(
      `${stem}-config`,
      {
        name: `${spec.containerName}-config`,
        image: image.imageId,
        entrypoints: ["/bin/sh", "-c"],
        command: [configInitScript(spec)],
        user: spec.service.user,
        networkMode: "none",
        privileged: false,
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        memory: CONFIG_INIT_MEMORY_MB,
        memorySwap: CONFIG_INIT_MEMORY_MB,
        restart: "no",
        mustRun: false,
        attach: true,
        uploads,
        mounts: [{ type: "volume", source: volume.name, target: config.dir }],
        labels: [...labels, { label: "genesis.role", value: "config-init" }],
      },
      { parent: this, deleteBeforeReplace: true, additionalSecretOutputs: ["uploads"] },
    );
  }
}

function requireSecret(
  secrets: MonitoringSecrets,
  secret: SecretName,
  spec: ContainerSpec,
): pulumi.Input<string> {
  const value = secrets[secret];
  if (value === undefined) {
    throw new Error(`${spec.containerName} needs the secret genesis:${secret}, which is not set`);
  }
  return value;
}
