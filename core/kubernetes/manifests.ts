/**
 * The Kubernetes objects of the monitoring stack, as plain typed manifests built from the
 * same container specs and rendered files as the Docker stack (one source of truth): each
 * spec's config files become a ConfigMap, its secret files a Secret, both projected into
 * the same config directory the Docker stack fills. The component declares these objects
 * one to one; nothing here knows Pulumi. Pure.
 */
import { createHash } from "node:crypto";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IService } from "kubernetes-models/v1/Service";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { IDaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { StackConfig } from "../config/stackConfig";
import {
  ContainerSpec,
  SecretName,
  configFingerprint,
  monitoringContainerSpecs,
} from "../monitoring/containerSpecs";
import { MONITORING_SERVICES, MonitoringService } from "../monitoring/services";
import { monitoringNetworkPolicies } from "./networkPolicies";
import {
  podSecurityLabels,
  podUser,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from "./podSecurity";
import { adaptPrometheusConfigForKubernetes } from "./prometheusConfig";
import {
  FLAGD,
  HOST_METRICS_POD_LABEL,
  KUBERNETES_SIZING,
  KubernetesWorkloadName,
  nodeExporterNamespace,
  selectorLabels,
  stackLabels,
} from "./workloads";

/** A Secret without its values, and which stack secret fills each key. */
export interface SecretTemplate {
  /** The Secret with metadata and type; the component adds `stringData`. */
  readonly manifest: ISecret;
  /** Each key of the Secret and the stack secret whose value it holds. */
  readonly entries: readonly { readonly key: string; readonly secret: SecretName }[];
}

/**
 * What is missing before any Secret can be declared: one line for each template entry
 * whose stack secret `isSet` says is not set, naming the Secret and the key. Empty when
 * every value is there.
 */
export function unsetSecrets(
  templates: readonly SecretTemplate[],
  isSet: (secret: SecretName) => boolean,
): string[] {
  return templates.flatMap((t) =>
    t.entries
      .filter((e) => !isSet(e.secret))
      .map(
        (e) =>
          `${t.manifest.metadata!.name} needs the secret genesis:${e.secret}, which is not set`,
      ),
  );
}

/** Every object of the monitoring stack except flagd's (which follows the gate). */
export interface KubernetesMonitoringManifests {
  /** The stack's namespace, and Node Exporter's own when it reads the host. */
  readonly namespaces: readonly INamespace[];
  /** Default deny plus the exact allows. */
  readonly networkPolicies: readonly INetworkPolicy[];
  /** Rendered config files, by service. */
  readonly configMaps: readonly IConfigMap[];
  /** Secret files, by service, without values. */
  readonly secrets: readonly SecretTemplate[];
  /** One ClusterIP Service per workload (Node Exporter's headless). */
  readonly services: readonly IService[];
  /** Prometheus, Alertmanager and Grafana, each with its data claim (plain mode only). */
  readonly statefulSets: readonly IStatefulSet[];
  /** Node Exporter. */
  readonly daemonSets: readonly IDaemonSet[];
}

/** flagd's objects: the flag file, the server and its Service. */
export interface FlagdManifests {
  /** The rendered flag file. */
  readonly configMap: IConfigMap;
  /** flagd serving it. */
  readonly deployment: IDeployment;
  /** flagd's ClusterIP Service. */
  readonly service: IService;
}

/** The probe cadence of every workload: the Docker healthcheck's (15 s, 5 s, 3 tries). */
export const PROBE = Object.freeze({ periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3 });
/** How long liveness waits after start: the Docker healthcheck's start period. */
export const LIVENESS_INITIAL_DELAY_SECONDS = 30;

/** The key of a config file in its ConfigMap or Secret (keys cannot hold `/`). */
export function configKey(path: string): string {
  return path.replace(/\//g, "_");
}

/** A Docker tmpfs option string's `size=` as a Kubernetes quantity (`size=64m` -> `64Mi`). */
export function tmpfsSizeLimit(options: string): string | undefined {
  const match = /(?:^|,)size=(\d+)([kmg])(?:,|$)/.exec(options);
  if (match === null) return undefined;
  return `${match[1]}${{ k: "Ki", m: "Mi", g: "Gi" }[match[2] as "k" | "m" | "g"]}`;
}

/** The files a service places on Kubernetes: the Docker files, prometheus.yml adapted. */
export function kubernetesConfigFiles(config: StackConfig, spec: ContainerSpec): ContainerSpec {
  if (spec.config === undefined || spec.service.name !== "prometheus") return spec;
  const dnsName = `${MONITORING_SERVICES.nodeExporter.host}.${nodeExporterNamespace(config)}.svc`;
  const files = spec.config.files.map((f) =>
    f.path === "prometheus.yml" && "content" in f
      ? { path: f.path, content: adaptPrometheusConfigForKubernetes(f.content, dnsName) }
      : f,
  );
  return { ...spec, config: { ...spec.config, files } };
}

/**
 * The workload a container spec runs. The catalogue may name more services than this
 * platform runs as workloads; only the monitoring services' specs reach here.
 */
function workloadName(spec: ContainerSpec): KubernetesWorkloadName {
  return spec.service.name as KubernetesWorkloadName;
}

function resources(name: KubernetesWorkloadName, memoryMb: number): IContainer["resources"] {
  const sizing = KUBERNETES_SIZING[name];
  return {
    requests: { cpu: `${sizing.cpuRequestMillis}m`, memory: `${memoryMb}Mi` },
    limits: { cpu: `${sizing.cpuLimitMillis}m`, memory: `${memoryMb}Mi` },
  };
}

function httpProbe(path: string, port: number): IProbe {
  return { httpGet: { path, port, scheme: "HTTP" }, ...PROBE };
}

function env(spec: ContainerSpec): IContainer["env"] {
  return spec.env.map((entry) => {
    const at = entry.indexOf("=");
    return { name: entry.slice(0, at), value: entry.slice(at + 1) };
  });
}

function objectMeta(config: StackConfig, name: string, namespace: string) {
  return { name, namespace, labels: stackLabels(config) };
}

function workloadLabels(config: StackConfig, name: KubernetesWorkloadName) {
  return { ...stackLabels(config), ...selectorLabels(name) };
}

/** The ConfigMap, Secret, volume and mount that place a spec's files in its config dir. */
function placedConfig(config: StackConfig, spec: ContainerSpec, namespace: string) {
  const host = spec.service.host;
  const files = spec.config?.files ?? [];
  const contentFiles = files.filter((f) => "content" in f);
  const secretFiles = files.filter((f) => "secret" in f);
  const configMap: IConfigMap | undefined =
    contentFiles.length === 0
      ? undefined
      : {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: objectMeta(config, `${host}-config`, namespace),
          data: Object.fromEntries(
            contentFiles.map((f) => [configKey(f.path), "content" in f ? f.content : ""]),
          ),
        };
  const secret: SecretTemplate | undefined =
    secretFiles.length === 0
      ? undefined
      : {
          manifest: {
            apiVersion: "v1",
            kind: "Secret",
            metadata: objectMeta(config, `${host}-secrets`, namespace),
            type: "Opaque",
          },
          entries: secretFiles.map((f) => ({
            key: configKey(f.path),
            secret: (f as { secret: SecretName }).secret,
          })),
        };
  const volume: IVolume | undefined =
    spec.config === undefined
      ? undefined
      : {
          name: "config",
          projected: {
            defaultMode: 0o444,
            sources: [
              ...(configMap === undefined
                ? []
                : [
                    {
                      configMap: {
                        name: configMap.metadata!.name!,
                        items: contentFiles.map((f) => ({ key: configKey(f.path), path: f.path })),
                      },
                    },
                  ]),
              ...(secret === undefined
                ? []
                : [
                    {
                      secret: {
                        name: secret.manifest.metadata!.name!,
                        items: secretFiles.map((f) => ({
                          key: configKey(f.path),
                          path: f.path,
                          mode: 0o440,
                        })),
                      },
                    },
                  ]),
            ],
          },
        };
  const mount: IVolumeMount | undefined =
    spec.config === undefined
      ? undefined
      : { name: "config", mountPath: spec.config.dir, readOnly: true };
  return { configMap, secret, volume, mount };
}

/** The pod spec of one monitoring service, restricted, from its container spec. */
function monitoringPodSpec(
  spec: ContainerSpec,
  extraVolumes: readonly IVolume[],
  extraMounts: readonly IVolumeMount[],
  args: readonly string[],
): IPodSpec {
  const s = spec.service;
  const tmpfs = Object.entries(spec.tmpfs).map(([path, options], i) => ({
    volume: {
      name: `tmp-${i}`,
      emptyDir: { medium: "Memory", sizeLimit: tmpfsSizeLimit(options) },
    } as IVolume,
    mount: { name: `tmp-${i}`, mountPath: path } as IVolumeMount,
  }));
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: restrictedPodSecurityContext(podUser(s.user)),
    containers: [
      {
        name: s.host,
        image: spec.image,
        imagePullPolicy: "IfNotPresent",
        args: [...args],
        env: env(spec),
        ports: [{ name: "http", containerPort: s.port, protocol: "TCP" }],
        resources: resources(workloadName(spec), s.memoryMb),
        securityContext: restrictedContainerSecurityContext(),
        readinessProbe: httpProbe(s.healthPath, s.port),
        livenessProbe: {
          ...httpProbe(s.healthPath, s.port),
          initialDelaySeconds: LIVENESS_INITIAL_DELAY_SECONDS,
        },
        volumeMounts: [...extraMounts, ...tmpfs.map((t) => t.mount)],
      },
    ],
    volumes: [...extraVolumes, ...tmpfs.map((t) => t.volume)],
  };
}

function clusterIpService(
  config: StackConfig,
  name: KubernetesWorkloadName,
  namespace: string,
  host: string,
  ports: readonly { name: string; port: number }[],
  headless = false,
): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: host, namespace, labels: workloadLabels(config, name) },
    spec: {
      type: "ClusterIP",
      ...(headless ? { clusterIP: "None" } : {}),
      selector: selectorLabels(name),
      ports: ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.port,
        protocol: "TCP",
      })),
    },
  };
}

function statefulSet(
  config: StackConfig,
  spec: ContainerSpec,
  namespace: string,
  volumes: readonly IVolume[],
  mounts: readonly IVolumeMount[],
): IStatefulSet {
  const s: MonitoringService = spec.service;
  const name = workloadName(spec);
  const storageGiB = KUBERNETES_SIZING[name].storageGiB!;
  const storageClass = config.kubernetes.storageClass;
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: s.host, namespace, labels: workloadLabels(config, name) },
    spec: {
      replicas: 1,
      serviceName: s.host,
      selector: { matchLabels: selectorLabels(name) },
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate" },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: {
        metadata: {
          labels: workloadLabels(config, name),
          annotations: { "genesis.io/config-sha256": configFingerprint(spec) },
        },
        spec: monitoringPodSpec(
          spec,
          volumes,
          [...mounts, { name: "data", mountPath: spec.dataVolume!.path }],
          spec.command,
        ),
      },
      volumeClaimTemplates: [
        {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: "data", labels: workloadLabels(config, name) },
          spec: {
            accessModes: ["ReadWriteOnce"],
            ...(storageClass === "" ? {} : { storageClassName: storageClass }),
            resources: { requests: { storage: `${storageGiB}Gi` } },
          },
        },
      ],
    },
  };
}

/** The host paths Node Exporter reads with host access, each mounted read-only. */
export const NODE_EXPORTER_HOST_PATHS: readonly { name: string; path: string; target: string }[] =
  Object.freeze([
    { name: "proc", path: "/proc", target: "/host/proc" },
    { name: "sys", path: "/sys", target: "/host/sys" },
    { name: "root", path: "/", target: "/host/root" },
  ]);

/**
 * Node Exporter's arguments. With host access they are the Docker stack's (`--path.*` point
 * at the host mounts). Without, the `--path.*` flags go: it reads its own container's /proc
 * and /sys, which on Linux still show the node's CPU, memory, load and disk I/O (those
 * files are not namespaced), but only the pod's own network interfaces and filesystems.
 */
export function nodeExporterArgs(spec: ContainerSpec, hostAccess: boolean): readonly string[] {
  return hostAccess ? spec.command : spec.command.filter((a) => !a.startsWith("--path."));
}

function nodeExporterDaemonSet(config: StackConfig, spec: ContainerSpec): IDaemonSet {
  const hostAccess = config.kubernetes.nodeExporterHostAccess;
  const namespace = nodeExporterNamespace(config);
  const volumes: IVolume[] = hostAccess
    ? NODE_EXPORTER_HOST_PATHS.map((h) => ({
        name: h.name,
        hostPath: { path: h.path, type: "Directory" },
      }))
    : [];
  const mounts: IVolumeMount[] = hostAccess
    ? NODE_EXPORTER_HOST_PATHS.map((h) => ({
        name: h.name,
        mountPath: h.target,
        readOnly: true,
        ...(h.name === "root" ? { mountPropagation: "HostToContainer" } : {}),
      }))
    : [];
  const name = workloadName(spec);
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: spec.service.host, namespace, labels: workloadLabels(config, name) },
    spec: {
      selector: { matchLabels: selectorLabels(name) },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: {
          labels: {
            ...workloadLabels(config, name),
            ...(hostAccess ? HOST_METRICS_POD_LABEL : {}),
          },
        },
        spec: {
          ...monitoringPodSpec(spec, volumes, mounts, nodeExporterArgs(spec, hostAccess)),
          hostNetwork: false,
          hostPID: false,
          hostIPC: false,
          tolerations: [{ operator: "Exists", effect: "NoSchedule" }],
        },
      },
    },
  };
}

/**
 * Every object of the monitoring stack for `config` (platform kubernetes). In helm mode the
 * chart brings Prometheus, Alertmanager and Grafana; Node Exporter (so its host access is
 * this stack's decision, not the chart's hostNetwork default) and the policies stay here.
 */
export function kubernetesMonitoringManifests(config: StackConfig): KubernetesMonitoringManifests {
  if (config.platform !== "kubernetes") {
    throw new Error(`genesis:platform must be kubernetes here; got "${config.platform}"`);
  }
  const ns = config.kubernetes.namespace;
  const neNs = nodeExporterNamespace(config);
  const plain = config.kubernetes.mode === "plain";
  const namespaces: INamespace[] = [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: ns,
        labels: { ...stackLabels(config), ...podSecurityLabels("restricted") },
      },
    },
  ];
  if (neNs !== ns) {
    namespaces.push({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: neNs,
        labels: { ...stackLabels(config), ...podSecurityLabels("privileged", "baseline") },
      },
    });
  }

  const configMaps: IConfigMap[] = [];
  const secrets: SecretTemplate[] = [];
  const services: IService[] = [];
  const statefulSets: IStatefulSet[] = [];
  const daemonSets: IDaemonSet[] = [];
  for (const dockerSpec of monitoringContainerSpecs(config)) {
    const spec = kubernetesConfigFiles(config, dockerSpec);
    const s = spec.service;
    if (s.name === "nodeExporter") {
      daemonSets.push(nodeExporterDaemonSet(config, spec));
      services.push(
        clusterIpService(
          config,
          "nodeExporter",
          neNs,
          s.host,
          [{ name: "http", port: s.port }],
          true,
        ),
      );
      continue;
    }
    if (!plain) continue;
    const placed = placedConfig(config, spec, ns);
    if (placed.configMap !== undefined) configMaps.push(placed.configMap);
    if (placed.secret !== undefined) secrets.push(placed.secret);
    statefulSets.push(
      statefulSet(
        config,
        spec,
        ns,
        placed.volume === undefined ? [] : [placed.volume],
        placed.mount === undefined ? [] : [placed.mount],
      ),
    );
    services.push(
      clusterIpService(config, workloadName(spec), ns, s.host, [{ name: "http", port: s.port }]),
    );
  }
  return {
    namespaces,
    networkPolicies: monitoringNetworkPolicies(config),
    configMaps,
    secrets,
    services,
    statefulSets,
    daemonSets,
  };
}

/** flagd's start arguments: serve the mounted flag file on the fixed ports. */
export function flagdArgs(): readonly string[] {
  return [
    "start",
    "--uri",
    `file:${FLAGD.configDir}/${FLAGD.fileName}`,
    "--port",
    String(FLAGD.evaluationPort),
    "--management-port",
    String(FLAGD.managementPort),
    "--ofrep-port",
    String(FLAGD.ofrepPort),
  ];
}

/**
 * flagd's objects serving `flagsJson` (core/render/flagdFlags.ts's output for the gated
 * percentage): {@link flagdManifestsWithoutFlags} with the file placed by
 * {@link placeFlagdFlags}.
 */
export function flagdManifests(config: StackConfig, flagsJson: string): FlagdManifests {
  return placeFlagdFlags(flagdManifestsWithoutFlags(config), flagsJson);
}

/**
 * flagd's objects before the flag file is placed: names, labels, the server and its Service,
 * all known before the gate has decided the percentage (at preview too). Two replicas in
 * production, so a node drain never leaves applications without the flag.
 */
export function flagdManifestsWithoutFlags(config: StackConfig): FlagdManifests {
  const ns = config.kubernetes.namespace;
  const configMap: IConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: objectMeta(config, `${FLAGD.host}-flags`, ns),
  };
  const probe = (path: string): IProbe => httpProbe(path, FLAGD.managementPort);
  const deployment: IDeployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: FLAGD.host, namespace: ns, labels: workloadLabels(config, "flagd") },
    spec: {
      replicas: config.environment === "production" ? 2 : 1,
      selector: { matchLabels: selectorLabels("flagd") },
      template: {
        metadata: { labels: workloadLabels(config, "flagd") },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurityContext(podUser(FLAGD.user)),
          containers: [
            {
              name: FLAGD.host,
              image: config.monitoring.images.flagd,
              imagePullPolicy: "IfNotPresent",
              args: [...flagdArgs()],
              ports: [
                { name: "evaluation", containerPort: FLAGD.evaluationPort, protocol: "TCP" },
                { name: "management", containerPort: FLAGD.managementPort, protocol: "TCP" },
                { name: "ofrep", containerPort: FLAGD.ofrepPort, protocol: "TCP" },
              ],
              resources: resources("flagd", FLAGD.memoryMb),
              securityContext: restrictedContainerSecurityContext(),
              readinessProbe: probe(FLAGD.readyPath),
              livenessProbe: {
                ...probe(FLAGD.healthPath),
                initialDelaySeconds: LIVENESS_INITIAL_DELAY_SECONDS,
              },
              volumeMounts: [{ name: "flags", mountPath: FLAGD.configDir, readOnly: true }],
            },
          ],
          volumes: [
            { name: "flags", configMap: { name: configMap.metadata!.name!, defaultMode: 0o444 } },
          ],
        },
      },
    },
  };
  const service = clusterIpService(config, "flagd", ns, FLAGD.host, [
    { name: "evaluation", port: FLAGD.evaluationPort },
    { name: "management", port: FLAGD.managementPort },
    { name: "ofrep", port: FLAGD.ofrepPort },
  ]);
  return { configMap, deployment, service };
}

/**
 * `flagd`'s objects serving `flagsJson`: the file in the ConfigMap, and its hash on the pod
 * template, so a new percentage rolls flagd.
 */
export function placeFlagdFlags(flagd: FlagdManifests, flagsJson: string): FlagdManifests {
  const spec = flagd.deployment.spec!;
  return {
    configMap: { ...flagd.configMap, data: { [FLAGD.fileName]: flagsJson } },
    deployment: {
      ...flagd.deployment,
      spec: {
        ...spec,
        template: {
          ...spec.template,
          metadata: {
            ...spec.template.metadata,
            annotations: {
              "genesis.io/flags-sha256": createHash("sha256").update(flagsJson).digest("hex"),
            },
          },
        },
      },
    },
    service: flagd.service,
  };
}
