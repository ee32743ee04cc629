/**
 * Declares one hardened service container from its core/ spec: its image, data and config
 * volumes, the one-shot init container that places its files, and the container itself,
 * on the stack's bridge with its port published on 127.0.0.1 only. Shared by the
 * monitoring stack and the rollout delivery (flagd, reference service), so every container
 * of the stack is hardened the same way.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DataProtection } from "../../core/config/componentViews";
import {
  ContainerSpec,
  SecretName,
  configFingerprint,
  configInitScript,
  stagedPath,
} from "../../core/monitoring/containerSpecs";
import { PUBLISH_ADDRESS } from "../../core/monitoring/services";

/** The secrets the stack delivers to containers as files. */
export interface MonitoringSecrets {
  /** Grafana's admin password. */
  readonly grafanaAdminPassword: pulumi.Input<string>;
  /** PagerDuty routing key; only when set. */
  readonly pagerDutyRoutingKey?: pulumi.Input<string>;
  /** SMTP password; only when set. */
  readonly smtpPassword?: pulumi.Input<string>;
}

/** Label that marks every resource of the stack, for `docker ps --filter`. */
export const STACK_LABEL = "genesis.stack";

/** Label of a container's config fingerprint: a change replaces the container. */
export const CONFIG_LABEL = "genesis.config-sha256";

/** Label of a one-shot init container (`config-init`), the policy pack's scoped exception. */
export const ROLE_LABEL = "genesis.role";

/** Label saying how a container without a Docker healthcheck is watched instead. */
export const HEALTH_WATCH_LABEL = "genesis.health-watched-by";

/** The healthcheck cadence of every service container. */
export const HEALTHCHECK = Object.freeze({
  interval: "15s",
  timeout: "5s",
  retries: 3,
  startPeriod: "30s",
});

/** Memory of a config-init container, in MiB: it only copies a few files. */
export const CONFIG_INIT_MEMORY_MB = 64;

/** What {@link declareServiceContainer} needs besides the spec. */
export interface ServiceContainerArgs {
  /** Stem of the resource names, e.g. `genesis-prometheus`. */
  readonly stem: string;
  /** The container's spec from core/. */
  readonly spec: ContainerSpec;
  /** The name of the stack's bridge network. */
  readonly networkName: pulumi.Input<string>;
  /** Labels every resource carries. */
  readonly labels: docker.types.input.ContainerLabel[];
  /** Secret values, placed as files only. */
  readonly secrets: MonitoringSecrets;
  /** Whether the data volume is protected and kept (`dataProtection` in core/config). */
  readonly data: DataProtection;
  /** The rendered flag file, for a spec that places one. */
  readonly rolloutFlags?: pulumi.Input<string>;
  /** The volumes of other services it mounts, by volume name. */
  readonly sharedVolumes?: Readonly<Record<string, docker.Volume>>;
  /** Resources the container waits for besides its own. */
  readonly dependsOn?: pulumi.Resource[];
  /** The component that owns the resources. */
  readonly parent: pulumi.Resource;
}

/** What {@link declareServiceContainer} declared. */
export interface ServiceContainer {
  /** The running service. */
  readonly container: docker.Container;
  /** Its config volume, when it has config. */
  readonly configVolume?: docker.Volume;
}

/** Declares the resources of one service container. */
export function declareServiceContainer(args: ServiceContainerArgs): ServiceContainer {
  const { stem, spec, labels, parent } = args;
  const image = new docker.RemoteImage(
    `${stem}-image`,
    { name: spec.image, keepLocally: true },
    { parent },
  );
  const mounts: docker.types.input.ContainerMount[] = [];
  if (spec.dataVolume !== undefined) {
    const data = new docker.Volume(
      `${stem}-data`,
      { name: spec.dataVolume.name, labels },
      { parent, protect: args.data.protect, retainOnDelete: args.data.retainOnDelete },
    );
    mounts.push({ type: "volume", source: data.name, target: spec.dataVolume.path });
  }
  const dependsOn: pulumi.Resource[] = [...(args.dependsOn ?? [])];
  let configVolume: docker.Volume | undefined;
  if (spec.config !== undefined) {
    configVolume = new docker.Volume(
      `${stem}-config`,
      { name: spec.config.volume, labels },
      { parent },
    );
    dependsOn.push(configInit(args, configVolume, image));
    mounts.push({
      type: "volume",
      source: configVolume.name,
      target: spec.config.dir,
      readOnly: true,
    });
  }
  for (const shared of spec.sharedMounts) {
    const volume = args.sharedVolumes?.[shared.volume];
    if (volume === undefined) {
      throw new Error(
        `${spec.containerName} mounts volume ${shared.volume}, which is not declared`,
      );
    }
    mounts.push({ type: "volume", source: volume.name, target: shared.target, readOnly: true });
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
  // The flag file is reloaded live: it is not part of the fingerprint (see core/).
  const fingerprint = configFingerprint(spec);
  const health = spec.healthcheck;
  const container = new docker.Container(
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
      networkMode: args.networkName,
      networksAdvanced: [{ name: args.networkName, aliases: [spec.service.host] }],
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
      ...("watchedBy" in health ? {} : { healthcheck: { tests: [...health], ...HEALTHCHECK } }),
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3" },
      labels: [
        ...labels,
        { label: CONFIG_LABEL, value: fingerprint },
        ...("watchedBy" in health ? [{ label: HEALTH_WATCH_LABEL, value: health.watchedBy }] : []),
      ],
    },
    { parent, dependsOn, deleteBeforeReplace: true },
  );
  return { container, configVolume };
}

/**
 * The one-shot container that copies the spec's files into its config volume. It needs a
 * writable root to receive them (Docker refuses copies into a read-only root), so it runs
 * with no network, no capabilities, as a non-root user, and exits.
 */
function configInit(
  args: ServiceContainerArgs,
  volume: docker.Volume,
  serviceImage: docker.RemoteImage,
): docker.Container {
  const { spec, stem, parent, labels } = args;
  const config = spec.config!;
  const init = config.init;
  const image =
    init === undefined
      ? serviceImage
      : new docker.RemoteImage(
          `${stem}-init-image`,
          { name: init.image, keepLocally: true },
          { parent },
        );
  const uploads = config.files.map((f) => ({
    file: stagedPath(f),
    content:
      "secret" in f
        ? pulumi.secret(requireSecret(args.secrets, f.secret, spec.containerName))
        : "content" in f
          ? f.content
          : requireFlags(args.rolloutFlags, spec.containerName),
  }));
  return new docker.Container(
    `${stem}-config`,
    {
      name: `${spec.containerName}-config`,
      image: image.imageId,
      entrypoints: ["/bin/sh", "-c"],
      command: [configInitScript(spec)],
      user: init?.user ?? spec.service.user,
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
      mounts: [{ type: "volume", source: volume.name, target: init?.dir ?? config.dir }],
      labels: [...labels, { label: ROLE_LABEL, value: "config-init" }],
    },
    { parent, deleteBeforeReplace: true, additionalSecretOutputs: ["uploads"] },
  );
}

function requireSecret(
  secrets: MonitoringSecrets,
  secret: SecretName,
  containerName: string,
): pulumi.Input<string> {
  const value = secrets[secret];
  if (value === undefined) {
    throw new Error(`${containerName} needs the secret genesis:${secret}, which is not set`);
  }
  return value;
}

function requireFlags(
  flags: pulumi.Input<string> | undefined,
  containerName: string,
): pulumi.Input<string> {
  if (flags === undefined) {
    throw new Error(`${containerName} places the rollout flags, but none were given`);
  }
  return flags;
}
