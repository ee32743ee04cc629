/**
 * Helm mode: the community kube-prometheus-stack chart runs Prometheus (through the
 * Prometheus Operator), Alertmanager and Grafana instead of the plain manifests. Its values
 * and the PrometheusRule that carries the stack's rules are built here from the same
 * rendered files as the plain manifests. Pure.
 *
 * The chart's Prometheus selects PrometheusRules by label: with
 * `prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues` true (the chart's default, set
 * explicitly here) its `ruleSelector` is `matchLabels: {release: <Helm release name>}`, so
 * the rule object carries `release: <HELM_RELEASE_NAME>`.
 */
import * as YAML from "yaml";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { StackConfig } from "../config/stackConfig";
import { ContainerSpec, monitoringContainerSpecs } from "../monitoring/containerSpecs";
import { MONITORING_SERVICES, ROLLOUT_SERVICES } from "../monitoring/services";
import { PROMETHEUS_DATASOURCE_UID } from "../render/grafanaDatasource";
import { SecretTemplate, configKey, kubernetesConfigFiles } from "./manifests";
import { KUBERNETES_SIZING, KubernetesWorkloadName, stackLabels } from "./workloads";

/** Where the chart comes from. */
export const KUBE_PROMETHEUS_STACK_CHART = Object.freeze({
  chart: "kube-prometheus-stack",
  repo: "https://prometheus-community.github.io/helm-charts",
});

/** The Helm release name: also the `release` label the chart's rule selector matches. */
export const HELM_RELEASE_NAME = "genesis";

/** The Secret holding Grafana's admin user and password for the chart. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

/** The rule files among a Prometheus spec's files (placed under `rules/`). */
export function ruleFiles(spec: ContainerSpec): readonly { path: string; content: string }[] {
  return (spec.config?.files ?? []).flatMap((f) =>
    "content" in f && /^rules\/[^/]+\.ya?ml$/.test(f.path) ? [f] : [],
  );
}

/**
 * The PrometheusRule carrying every rule group of `files` (Prometheus rule files, as the
 * plain stack places them), labelled so the chart's Prometheus selects it.
 */
export function prometheusRuleManifest(
  config: StackConfig,
  files: readonly { path: string; content: string }[],
): IPrometheusRule {
  const groups = files.flatMap((f) => {
    const doc = YAML.parse(f.content) as { groups?: unknown } | null;
    if (doc === null || !Array.isArray(doc.groups)) {
      throw new Error(`rule file ${f.path} must hold a groups: list`);
    }
    return doc.groups as NonNullable<NonNullable<IPrometheusRule["spec"]>["groups"]>;
  });
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: "genesis-rules",
      namespace: config.kubernetes.namespace,
      labels: { ...stackLabels(config), release: HELM_RELEASE_NAME },
    },
    spec: { groups },
  };
}

/** The stack's PrometheusRule: the rule files the plain stack places for Prometheus. */
export function stackPrometheusRule(config: StackConfig): IPrometheusRule {
  const prometheus = monitoringContainerSpecs(config).find((s) => s.service.name === "prometheus")!;
  return prometheusRuleManifest(config, ruleFiles(kubernetesConfigFiles(config, prometheus)));
}

function resources(name: KubernetesWorkloadName) {
  const sizing = KUBERNETES_SIZING[name];
  const memory = `${MONITORING_SERVICES[name as "prometheus"].memoryMb}Mi`;
  return {
    requests: { cpu: `${sizing.cpuRequestMillis}m`, memory },
    limits: { cpu: `${sizing.cpuLimitMillis}m`, memory },
  };
}

function claim(config: StackConfig, name: KubernetesWorkloadName) {
  const storageClass = config.kubernetes.storageClass;
  return {
    accessModes: ["ReadWriteOnce"],
    ...(storageClass === "" ? {} : { storageClassName: storageClass }),
    resources: { requests: { storage: `${KUBERNETES_SIZING[name].storageGiB}Gi` } },
  };
}

/**
 * The Secret holding alertmanager.yml (key `alertmanager.yaml`) in helm mode. The chart's
 * `alertmanager.config` map would be deep-merged with the chart's default config (its
 * `null` receiver, routes and inhibit rules), so the rendered file goes to the operator
 * as it is, through `alertmanagerSpec.useExistingSecret` and `configSecret`.
 */
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-config";

/** The Secret holding Alertmanager's secret files in helm mode. */
export const ALERTMANAGER_SECRET = "alertmanager-secrets";

/** Where the operator mounts a Secret listed in `alertmanagerSpec.secrets`. */
export const OPERATOR_SECRETS_DIR = "/etc/alertmanager/secrets";

/**
 * Alertmanager's secret files for the chart: the Secret to declare (none when the rendered
 * config reads no secret file) and alertmanager.yml with each secret file's path moved to
 * where the operator mounts that Secret (`/etc/alertmanager/secrets/<secret>/<key>`).
 */
export function helmAlertmanager(
  config: StackConfig,
  spec: ContainerSpec,
): { readonly yaml: string; readonly secret?: SecretTemplate } {
  const files = spec.config?.files ?? [];
  const rendered = files.find((f) => f.path === "alertmanager.yml");
  if (rendered === undefined || !("content" in rendered)) {
    throw new Error(`${spec.containerName} has no alertmanager.yml`);
  }
  const secretFiles = files.flatMap((f) => ("secret" in f ? [f] : []));
  let yaml = rendered.content;
  for (const f of secretFiles) {
    yaml = yaml
      .split(`${spec.config!.dir}/${f.path}`)
      .join(`${OPERATOR_SECRETS_DIR}/${ALERTMANAGER_SECRET}/${configKey(f.path)}`);
  }
  if (secretFiles.length === 0) return { yaml };
  return {
    yaml,
    secret: {
      manifest: {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: ALERTMANAGER_SECRET,
          namespace: config.kubernetes.namespace,
          labels: stackLabels(config),
        },
        type: "Opaque",
      },
      entries: secretFiles.map((f) => ({ key: configKey(f.path), secret: f.secret })),
    },
  };
}

/**
 * The Secrets helm mode declares next to the chart: Grafana's admin user and password,
 * alertmanager.yml, and Alertmanager's secret files when it reads any.
 */
export function helmSecrets(config: StackConfig): readonly SecretTemplate[] {
  const alertmanager = monitoringContainerSpecs(config).find(
    (s) => s.service.name === "alertmanager",
  )!;
  const am = helmAlertmanager(config, alertmanager);
  const configSecret: SecretTemplate = {
    manifest: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: ALERTMANAGER_CONFIG_SECRET,
        namespace: config.kubernetes.namespace,
        labels: stackLabels(config),
      },
      type: "Opaque",
      stringData: { "alertmanager.yaml": am.yaml },
    },
    entries: [],
  };
  return [
    grafanaAdminSecret(config),
    configSecret,
    ...(am.secret === undefined ? [] : [am.secret]),
  ];
}

/** The Grafana admin Secret the chart reads (`grafana.admin.existingSecret`). */
export function grafanaAdminSecret(config: StackConfig): SecretTemplate {
  return {
    manifest: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: GRAFANA_ADMIN_SECRET,
        namespace: config.kubernetes.namespace,
        labels: stackLabels(config),
      },
      type: "Opaque",
      stringData: { "admin-user": "admin" },
    },
    entries: [{ key: "admin-password", secret: "grafanaAdminPassword" }],
  };
}

/**
 * The chart's values for `config`: retention, intervals and external labels from the stack
 * config; the application's and Node Exporter's scrape jobs taken from the rendered
 * prometheus.yml; alertmanager.yml as rendered, from its own Secret, its secret files read
 * from the Secret the operator mounts; Grafana's admin password from a Secret;
 * sign-up, anonymous access and phoning home off; the chart's own Node Exporter and
 * kube-state-metrics off (this stack runs its own restricted Node Exporter); Grafana's
 * root-running chown init container and test pod off, so its pods can meet "restricted".
 */
export function kubePrometheusStackValues(config: StackConfig): Record<string, unknown> {
  const specs = monitoringContainerSpecs(config);
  const prometheus = kubernetesConfigFiles(
    config,
    specs.find((s) => s.service.name === "prometheus")!,
  );
  const alertmanager = helmAlertmanager(
    config,
    specs.find((s) => s.service.name === "alertmanager")!,
  );
  const file = (spec: ContainerSpec, path: string): string => {
    const f = spec.config?.files.find((x) => x.path === path);
    if (f === undefined || !("content" in f))
      throw new Error(`${spec.containerName} has no ${path}`);
    return f.content;
  };
  const rendered = YAML.parse(file(prometheus, "prometheus.yml")) as {
    scrape_configs: { job_name: string }[];
  };
  // The jobs the chart's Prometheus does not scrape on its own: the application, this
  // stack's Node Exporter and flagd (whose health the monitoring rules watch by scraping it).
  const extraJobs = [
    config.app.metricsJob,
    MONITORING_SERVICES.nodeExporter.job,
    ROLLOUT_SERVICES.flagd.job,
  ];
  const interval = `${config.monitoring.scrapeIntervalSeconds}s`;
  return {
    fullnameOverride: HELM_RELEASE_NAME,
    nodeExporter: { enabled: false },
    kubeStateMetrics: { enabled: false },
    prometheus: {
      prometheusSpec: {
        retention: `${config.monitoring.retentionDays}d`,
        scrapeInterval: interval,
        evaluationInterval: interval,
        externalLabels: { environment: config.environment },
        ruleSelectorNilUsesHelmValues: true,
        enableAdminAPI: false,
        additionalScrapeConfigs: rendered.scrape_configs.filter((j) =>
          extraJobs.includes(j.job_name),
        ),
        resources: resources("prometheus"),
        storageSpec: { volumeClaimTemplate: { spec: claim(config, "prometheus") } },
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        useExistingSecret: true,
        configSecret: ALERTMANAGER_CONFIG_SECRET,
        ...(alertmanager.secret === undefined ? {} : { secrets: [ALERTMANAGER_SECRET] }),
        resources: resources("alertmanager"),
        storage: { volumeClaimTemplate: { spec: claim(config, "alertmanager") } },
      },
    },
    grafana: {
      admin: {
        existingSecret: GRAFANA_ADMIN_SECRET,
        userKey: "admin-user",
        passwordKey: "admin-password",
      },
      "grafana.ini": {
        users: { allow_sign_up: false },
        "auth.anonymous": { enabled: false },
        analytics: { reporting_enabled: false, check_for_updates: false },
        security: { disable_gravatar: true },
      },
      // The chart provisions Grafana's Prometheus datasource; give it the uid the stack's
      // dashboards and Grafana alert rules reference.
      sidecar: { datasources: { uid: PROMETHEUS_DATASOURCE_UID } },
      // The chart's chown init container runs as root: refused by "restricted". fsGroup
      // gives Grafana its volume instead.
      initChownData: { enabled: false },
      testFramework: { enabled: false },
      persistence: {
        enabled: true,
        accessModes: ["ReadWriteOnce"],
        size: `${KUBERNETES_SIZING.grafana.storageGiB}Gi`,
        ...(config.kubernetes.storageClass === ""
          ? {}
          : { storageClassName: config.kubernetes.storageClass }),
      },
      resources: resources("grafana"),
    },
  };
}
