/**
 * What each monitoring container is, as plain data: image, command, environment, user,
 * mounts, published port, healthcheck and the files placed into it. The Docker component
 * turns these into resources one to one; nothing here knows Pulumi.
 *
 * Files reach a read-only container through a named config volume: Docker refuses to copy
 * files into a container whose root filesystem is read-only, so a one-shot init container
 * (same image, same non-root user, no network) receives them and copies them into the
 * volume, which the service then mounts read-only.
 */
import { createHash } from "node:crypto";
import { StackConfig } from "../config/stackConfig";
import {
  PAGERDUTY_KEY_PATH,
  renderAlertmanagerConfig,
  SMTP_PASSWORD_PATH,
} from "../render/alertmanagerConfig";
import { renderGrafanaAlerting } from "../render/grafanaAlerting";
import { ROLLOUT_DASHBOARD_FILE, renderRolloutDashboard } from "../render/grafanaDashboard";
import { renderGrafanaDashboardProvider } from "../render/grafanaDashboardProvider";
import { renderGrafanaDatasource } from "../render/grafanaDatasource";
import { renderPrometheusConfig } from "../render/prometheusConfig";
import { renderPrometheusRules } from "../render/prometheusRules";
import {
  MONITORING_SERVICE_NAMES,
  MONITORING_SERVICES,
  MonitoringService,
  MonitoringServiceName,
  ROLLOUT_SERVICES,
  StackServiceName,
} from "./services";

/** The stack secrets a container may receive, always as files. */
export type SecretName = "grafanaAdminPassword" | "pagerDutyRoutingKey" | "smtpPassword";

/**
 * A file placed into a service's config directory: its text, a stack secret, or the flagd
 * flag definition of the percentage the rollout gate lets through (known only at update
 * time, so the component renders it with {@link renderFlagdFlags} from the gate's output).
 */
export type PlacedFile =
  | { readonly path: string; readonly content: string }
  | { readonly path: string; readonly secret: SecretName }
  | { readonly path: string; readonly rolloutFlags: true };

/** A named volume of another service mounted read-only (the reference service's flags). */
export interface SharedMount {
  /** The volume's name. */
  readonly volume: string;
  /** Path in the container. */
  readonly target: string;
}

/** A read-only bind mount of a host path (Node Exporter's view of the host). */
export interface HostMount {
  /** Path on the host. */
  readonly source: string;
  /** Path in the container. */
  readonly target: string;
}

/** Everything that defines one hardened monitoring container. */
export interface ContainerSpec {
  /** The service. */
  readonly service: MonitoringService;
  /** Container name, also the stem of its resources' names. */
  readonly containerName: string;
  /** Image reference from stack config. */
  readonly image: string;
  /** Arguments to the image's entrypoint. */
  readonly command: readonly string[];
  /** Environment variables, `NAME=value`; never a secret. */
  readonly env: readonly string[];
  /** The named volume and path of its data, when it has data. */
  readonly dataVolume?: { readonly name: string; readonly path: string };
  /** Its configuration: a named volume mounted read-only at the service's config dir. */
  readonly config?: {
    readonly volume: string;
    readonly dir: string;
    /** Paths relative to `dir`. */
    readonly files: readonly PlacedFile[];
    /**
     * How the init container runs when the service's own image cannot (a distroless image
     * has no shell): another image, its user, and where that image owns a directory for the
     * volume. The files end up world-readable and read-only, so the service's user reads them.
     * @default the service's image, user and `dir`
     */
    readonly init?: { readonly image: string; readonly user: string; readonly dir: string };
  };
  /** Other services' volumes it reads. */
  readonly sharedMounts: readonly SharedMount[];
  /** Read-only host mounts. */
  readonly hostMounts: readonly HostMount[];
  /** Writable in-memory paths, path to mount options. */
  readonly tmpfs: Readonly<Record<string, string>>;
  /**
   * Docker healthcheck test, exec form; or, for an image with nothing to run a check with
   * (distroless), why and how its health is watched instead.
   */
  readonly healthcheck: readonly string[] | { readonly watchedBy: string };
}

/** The rules directory under Prometheus's config dir (PROMETHEUS_RULES_GLOB reads it). */
export const PROMETHEUS_RULES_DIR = "rules";

/** Where the init container receives files before copying them into the config volume. */
export const CONFIG_STAGING_DIR = "/tmp/genesis-config";

/**
 * Where the init container receives the files its service reloads by itself (the rollout
 * flags), kept apart so that they are placed by an atomic rename rather than copied over.
 */
export const LIVE_STAGING_DIR = "/tmp/genesis-live";

/**
 * Whether the service reloads `file` by itself when it changes: the flag definition (flagd
 * watches it; the reference service re-reads it). A new one is placed without restarting
 * the service, so a promotion replaces no long-running container.
 */
export function reloadedLive(file: PlacedFile): boolean {
  return "rolloutFlags" in file;
}

/** Where the init container receives `file`. */
export function stagedPath(file: PlacedFile): string {
  return `${reloadedLive(file) ? LIVE_STAGING_DIR : CONFIG_STAGING_DIR}/${file.path}`;
}

/**
 * Grafana's config volume holds `provisioning/` (Grafana's provisioning path, set with
 * `GF_PATHS_PROVISIONING`), `dashboards/` (the JSON the dashboard provider loads) and
 * `secrets/`. The volume is mounted at the image's own provisioning directory because the
 * image gives that directory to Grafana's user, which the init container runs as.
 */
export const GRAFANA_PROVISIONING_DIR = `${MONITORING_SERVICES.grafana.configDir}/provisioning`;

/** Where the dashboard provider finds the dashboard JSON files. */
export const GRAFANA_DASHBOARDS_DIR = `${MONITORING_SERVICES.grafana.configDir}/dashboards`;

/** Grafana reads its admin password from this file (`GF_SECURITY_ADMIN_PASSWORD__FILE`). */
export const GRAFANA_PASSWORD_FILE = `${MONITORING_SERVICES.grafana.configDir}/secrets/admin-password`;

/** Grafana reads the SMTP password from this file (`GF_SMTP_PASSWORD__FILE`). */
export const GRAFANA_SMTP_PASSWORD_FILE = `${MONITORING_SERVICES.grafana.configDir}/secrets/smtp-password`;

/** Grafana's SMTP settings for alert e-mail, when the stack has a relay; never the password. */
function grafanaSmtpEnv(config: StackConfig): string[] {
  const a = config.alerting;
  if (a.smtpSmarthost === "" || a.smtpFrom === "") return ["GF_SMTP_ENABLED=false"];
  return [
    "GF_SMTP_ENABLED=true",
    `GF_SMTP_HOST=${a.smtpSmarthost}`,
    `GF_SMTP_FROM_ADDRESS=${a.smtpFrom}`,
    "GF_SMTP_FROM_NAME=Genesis rollout",
    "GF_SMTP_STARTTLS_POLICY=MandatoryStartTLS",
    ...(a.smtpUsername !== "" ? [`GF_SMTP_USER=${a.smtpUsername}`] : []),
    ...(config.secrets.smtpPassword
      ? [`GF_SMTP_PASSWORD__FILE=${GRAFANA_SMTP_PASSWORD_FILE}`]
      : []),
  ];
}

const wgetHealth = (s: MonitoringService): string[] => [
  "CMD",
  "wget",
  "-q",
  "--spider",
  `http://127.0.0.1:${s.port}${s.healthPath}`,
];

/** The name of a service's container and the stem of its resources' names. */
export function containerName(name: StackServiceName): string {
  const service =
    name === "flagd" || name === "app" ? ROLLOUT_SERVICES[name] : MONITORING_SERVICES[name];
  return service.host.startsWith("genesis-") ? service.host : `genesis-${service.host}`;
}

/**
 * The init container's shell command: copy the staged files into the config volume and
 * make them read-only, secrets readable by the service's user only. A file the service
 * reloads by itself ({@link reloadedLive}) is never removed first: its new version is
 * written beside it and renamed over it, so a watching service sees the old file or the new
 * one, never none or half of one.
 */
export function configInitScript(spec: ContainerSpec): string {
  const config = spec.config;
  if (config === undefined) throw new Error(`${spec.containerName} has no config to place`);
  const dir = config.init?.dir ?? config.dir;
  const secrets = config.files.filter((f) => "secret" in f).map((f) => `${dir}/${f.path}`);
  const live = config.files.filter(reloadedLive);
  const copied = config.files.filter((f) => !reloadedLive(f));
  const keep = live.map((f) => ` ! -name ${f.path}`).join("");
  const steps = [
    "set -eu",
    `chmod -R u+w ${dir}`,
    `find ${dir} -mindepth 1 -maxdepth 1${keep} -exec rm -rf {} \\;`,
    ...(copied.length > 0 ? [`cp -R ${CONFIG_STAGING_DIR}/. ${dir}/`] : []),
    ...live.flatMap((f) => [
      `cp ${stagedPath(f)} ${dir}/.${f.path}.new`,
      `mv -f ${dir}/.${f.path}.new ${dir}/${f.path}`,
    ]),
    `chmod -R a-w,a+rX ${dir}`,
    ...(secrets.length > 0 ? [`chmod 0400 ${secrets.join(" ")}`] : []),
  ];
  return steps.join("\n");
}

/**
 * A fingerprint of everything the init container places that the service reads only at
 * start, secrets by name only: the service container carries it as a label, so a change of
 * that config replaces (restarts) it. A file the service reloads by itself counts by its
 * name alone: a new flag definition (a promotion, a rollback) restarts nothing.
 */
export function configFingerprint(spec: ContainerSpec): string {
  const hash = createHash("sha256");
  for (const f of spec.config?.files ?? []) {
    const content =
      "secret" in f ? `secret:${f.secret}` : "content" in f ? f.content : "reloaded live";
    hash.update(f.path).update("\0").update(content).update("\0");
  }
  return hash.digest("hex");
}

/** Builds the spec of every monitoring container for `config`, in declaration order. */
export function monitoringContainerSpecs(config: StackConfig): readonly ContainerSpec[] {
  const images = config.monitoring.images;
  const { prometheus, alertmanager, grafana, nodeExporter } = MONITORING_SERVICES;
  const specs: Record<MonitoringServiceName, ContainerSpec> = {
    prometheus: {
      service: prometheus,
      containerName: containerName("prometheus"),
      image: images.prometheus,
      command: [
        `--config.file=${prometheus.configDir}/prometheus.yml`,
        "--storage.tsdb.path=/prometheus",
        `--storage.tsdb.retention.time=${config.monitoring.retentionDays}d`,
        `--web.listen-address=:${prometheus.port}`,
      ],
      env: [],
      dataVolume: { name: "genesis-prometheus-data", path: prometheus.dataPath! },
      config: {
        volume: "genesis-prometheus-config",
        dir: prometheus.configDir!,
        files: [
          { path: "prometheus.yml", content: renderPrometheusConfig(config) },
          ...renderPrometheusRules(config).map((f) => ({
            path: `${PROMETHEUS_RULES_DIR}/${f.fileName}`,
            content: f.content,
          })),
        ],
      },
      hostMounts: [],
      sharedMounts: [],
      tmpfs: {},
      healthcheck: wgetHealth(prometheus),
    },
    alertmanager: {
      service: alertmanager,
      containerName: containerName("alertmanager"),
      image: images.alertmanager,
      command: [
        `--config.file=${alertmanager.configDir}/alertmanager.yml`,
        "--storage.path=/alertmanager",
        `--web.listen-address=:${alertmanager.port}`,
        "--cluster.listen-address=",
      ],
      env: [],
      dataVolume: { name: "genesis-alertmanager-data", path: alertmanager.dataPath! },
      config: {
        volume: "genesis-alertmanager-config",
        dir: alertmanager.configDir!,
        files: [
          { path: "alertmanager.yml", content: renderAlertmanagerConfig(config) },
          ...(config.secrets.pagerDutyRoutingKey
            ? [{ path: PAGERDUTY_KEY_PATH, secret: "pagerDutyRoutingKey" as const }]
            : []),
          ...(config.secrets.smtpPassword
            ? [{ path: SMTP_PASSWORD_PATH, secret: "smtpPassword" as const }]
            : []),
        ],
      },
      hostMounts: [],
      sharedMounts: [],
      tmpfs: {},
      healthcheck: wgetHealth(alertmanager),
    },
    grafana: {
      service: grafana,
      containerName: containerName("grafana"),
      image: images.grafana,
      command: [],
      env: [
        "GF_SECURITY_ADMIN_USER=admin",
        `GF_SECURITY_ADMIN_PASSWORD__FILE=${GRAFANA_PASSWORD_FILE}`,
        "GF_SECURITY_DISABLE_GRAVATAR=true",
        "GF_USERS_ALLOW_SIGN_UP=false",
        "GF_AUTH_ANONYMOUS_ENABLED=false",
        "GF_ANALYTICS_REPORTING_ENABLED=false",
        "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
        "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES=false",
        `GF_PATHS_PROVISIONING=${GRAFANA_PROVISIONING_DIR}`,
        ...grafanaSmtpEnv(config),
      ],
      dataVolume: { name: "genesis-grafana-data", path: grafana.dataPath! },
      config: {
        volume: "genesis-grafana-config",
        dir: grafana.configDir!,
        files: [
          { path: "provisioning/datasources/prometheus.yml", content: renderGrafanaDatasource() },
          {
            path: "provisioning/dashboards/genesis.yml",
            content: renderGrafanaDashboardProvider(GRAFANA_DASHBOARDS_DIR),
          },
          { path: "provisioning/alerting/genesis.yml", content: renderGrafanaAlerting(config) },
          { path: `dashboards/${ROLLOUT_DASHBOARD_FILE}`, content: renderRolloutDashboard(config) },
          { path: "secrets/admin-password", secret: "grafanaAdminPassword" },
          ...(config.secrets.smtpPassword
            ? [{ path: "secrets/smtp-password", secret: "smtpPassword" as const }]
            : []),
        ],
      },
      hostMounts: [],
      sharedMounts: [],
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      healthcheck: wgetHealth(grafana),
    },
    nodeExporter: {
      service: nodeExporter,
      containerName: containerName("nodeExporter"),
      image: images.nodeExporter,
      command: [
        "--path.procfs=/host/proc",
        "--path.sysfs=/host/sys",
        "--path.rootfs=/host/root",
        `--web.listen-address=:${nodeExporter.port}`,
        "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+)($|/)",
      ],
      env: [],
      sharedMounts: [],
      hostMounts: [
        { source: "/proc", target: "/host/proc" },
        { source: "/sys", target: "/host/sys" },
        { source: "/", target: "/host/root" },
      ],
      tmpfs: {},
      healthcheck: wgetHealth(nodeExporter),
    },
  };
  return MONITORING_SERVICE_NAMES.map((name) => specs[name]);
}

/** Where the reference service reads the flag file flagd serves. */
export const APP_FLAG_DIR = "/etc/genesis";

/**
 * Builds the specs of the services that deliver the rollout: flagd serving the flag the
 * gate lets through, and the reference service when `app.enabled`.
 *
 * flagd's image is distroless: no shell for an init container and nothing to run a Docker
 * healthcheck with. Its flag file is placed by an init container of the Prometheus image
 * (busybox-based, non-root, owns /etc/prometheus), and its health is watched by Prometheus
 * scraping its management port (the target-down rule).
 */
export function rolloutContainerSpecs(config: StackConfig): readonly ContainerSpec[] {
  const { flagd, app } = ROLLOUT_SERVICES;
  const prometheus = MONITORING_SERVICES.prometheus;
  const flagVolume = "genesis-flagd-config";
  const flagdSpec: ContainerSpec = {
    service: flagd,
    containerName: containerName("flagd"),
    image: config.monitoring.images.flagd,
    command: [
      "start",
      "--uri",
      `file:${flagd.configDir}/flags.json`,
      "--port",
      String(flagd.port),
      "--management-port",
      String(flagd.metricsPort),
    ],
    env: [],
    config: {
      volume: flagVolume,
      dir: flagd.configDir!,
      files: [{ path: "flags.json", rolloutFlags: true }],
      init: {
        image: config.monitoring.images.prometheus,
        user: prometheus.user,
        dir: prometheus.configDir!,
      },
    },
    sharedMounts: [],
    hostMounts: [],
    tmpfs: {},
    healthcheck: {
      watchedBy: `Prometheus job ${flagd.job} (up == 0 alerts); the image has no shell or HTTP client`,
    },
  };
  if (!config.app.enabled) return [flagdSpec];
  const appSpec: ContainerSpec = {
    service: app,
    containerName: containerName("app"),
    image: config.monitoring.images.app,
    command: [],
    env: [
      `PORT=${app.port}`,
      "HOST=0.0.0.0",
      `FLAG_FILE=${APP_FLAG_DIR}/flags.json`,
      `LATENCY_THRESHOLD_SECONDS=${config.slo.latencyP95ThresholdMs / 1000}`,
    ],
    sharedMounts: [{ volume: flagVolume, target: APP_FLAG_DIR }],
    hostMounts: [],
    tmpfs: { "/tmp": "rw,noexec,nosuid,size=16m" },
    healthcheck: [
      "CMD",
      "node",
      "-e",
      `require("http").get("http://127.0.0.1:${app.port}${app.healthPath}",(r)=>process.exit(r.statusCode===200?0:1)).on("error",()=>process.exit(1))`,
    ],
  };
  return [flagdSpec, appSpec];
}
