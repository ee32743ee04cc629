import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import * as YAML from "yaml";
import {
  HELM_RELEASE_NAME,
  helmAlertmanager,
  helmSecrets,
  kubePrometheusStackValues,
  prometheusRuleManifest,
  ruleFiles,
} from "../../../core/kubernetes/kubePrometheusStack";
import { ContainerSpec, monitoringContainerSpecs } from "../../../core/monitoring/containerSpecs";
import { renderAlertmanagerConfig } from "../../../core/render/alertmanagerConfig";
import { productionKubernetes, stagingKubernetes } from "./fixtures";

const RULES = `groups:
  - name: genesis-slo
    rules:
      - record: genesis:error_ratio:rate5m
        expr: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))
      - alert: GenesisErrorRateHigh
        expr: genesis:error_ratio:rate5m > 0.01
        for: 5m
        labels: { severity: critical, action: rollback }
`;

describe("kube-prometheus-stack (helm mode)", () => {
  it("ships every rule group of the placed rule files, labelled for the chart's selector", () => {
    const rule = prometheusRuleManifest(stagingKubernetes(), [
      { path: "rules/genesis.yml", content: RULES },
    ]);
    deepStrictEqual(rule.metadata, {
      name: "genesis-rules",
      namespace: "genesis-monitoring",
      labels: {
        "app.kubernetes.io/part-of": "genesis",
        "app.kubernetes.io/managed-by": "pulumi",
        "genesis.io/environment": "staging",
        release: HELM_RELEASE_NAME,
      },
    });
    deepStrictEqual(rule.spec!.groups, (YAML.parse(RULES) as { groups: unknown }).groups);
  });

  it("refuses a rule file without groups, naming it", () => {
    throws(
      () => prometheusRuleManifest(stagingKubernetes(), [{ path: "rules/x.yml", content: "a: 1" }]),
      { message: "rule file rules/x.yml must hold a groups: list" },
    );
  });

  it("finds rule files only under rules/", () => {
    const spec = monitoringContainerSpecs(stagingKubernetes())[0];
    const withRules: ContainerSpec = {
      ...spec,
      config: {
        ...spec.config!,
        files: [
          ...spec.config!.files,
          { path: "rules/genesis.yml", content: RULES },
          { path: "rules/notes.txt", content: "x" },
        ],
      },
    };
    deepStrictEqual(
      ruleFiles(withRules).map((f) => f.path),
      ["rules/genesis-slo.yml", "rules/genesis-monitoring.yml", "rules/genesis.yml"],
    );
    deepStrictEqual(
      ruleFiles(spec).map((f) => f.path),
      ["rules/genesis-slo.yml", "rules/genesis-monitoring.yml"],
    );
  });

  it("builds the chart's values from the stack config and the rendered files", () => {
    const config = productionKubernetes({ kubernetesStorageClass: "ssd" });
    const values = kubePrometheusStackValues(config) as Record<string, Record<string, unknown>>;
    deepStrictEqual(values.prometheus.prometheusSpec, {
      retention: "15d",
      scrapeInterval: "15s",
      evaluationInterval: "15s",
      externalLabels: { environment: "production" },
      ruleSelectorNilUsesHelmValues: true,
      enableAdminAPI: false,
      additionalScrapeConfigs: [
        {
          job_name: "node-exporter",
          metrics_path: "/metrics",
          dns_sd_configs: [
            {
              names: ["node-exporter.genesis-monitoring.svc"],
              type: "A",
              port: 9100,
              refresh_interval: "30s",
            },
          ],
        },
        {
          job_name: "flagd",
          metrics_path: "/metrics",
          static_configs: [{ targets: ["flagd:8014"] }],
        },
        {
          job_name: "genesis-app",
          metrics_path: "/metrics",
          static_configs: [{ targets: ["genesis-app:8080"] }],
        },
      ],
      resources: {
        requests: { cpu: "250m", memory: "1024Mi" },
        limits: { cpu: "1000m", memory: "1024Mi" },
      },
      storageSpec: {
        volumeClaimTemplate: {
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "ssd",
            resources: { requests: { storage: "20Gi" } },
          },
        },
      },
    });
    deepStrictEqual(values.alertmanager, {
      alertmanagerSpec: {
        useExistingSecret: true,
        configSecret: "alertmanager-config",
        secrets: ["alertmanager-secrets"],
        resources: {
          requests: { cpu: "50m", memory: "256Mi" },
          limits: { cpu: "200m", memory: "256Mi" },
        },
        storage: {
          volumeClaimTemplate: {
            spec: {
              accessModes: ["ReadWriteOnce"],
              storageClassName: "ssd",
              resources: { requests: { storage: "1Gi" } },
            },
          },
        },
      },
    });
    deepStrictEqual(
      [values.nodeExporter, values.kubeStateMetrics, values.fullnameOverride],
      [{ enabled: false }, { enabled: false }, "genesis"],
    );
    deepStrictEqual(
      [values.grafana.initChownData, values.grafana.testFramework, values.grafana.sidecar],
      [{ enabled: false }, { enabled: false }, { datasources: { uid: "genesis-prometheus" } }],
    );
    deepStrictEqual(values.grafana["grafana.ini"], {
      users: { allow_sign_up: false },
      "auth.anonymous": { enabled: false },
      analytics: { reporting_enabled: false, check_for_updates: false },
      security: { disable_gravatar: true },
    });
  });

  it("moves Alertmanager's secret files to where the operator mounts their Secret", () => {
    const config = productionKubernetes();
    const spec = monitoringContainerSpecs(config).find((s) => s.service.name === "alertmanager")!;
    const withSecret: ContainerSpec = {
      ...spec,
      config: {
        ...spec.config!,
        files: [
          {
            path: "alertmanager.yml",
            content:
              "receivers:\n  - name: oncall\n    pagerduty_configs:\n      - routing_key_file: /etc/alertmanager/secrets/pagerduty-routing-key\n",
          },
          { path: "secrets/pagerduty-routing-key", secret: "pagerDutyRoutingKey" },
        ],
      },
    };
    const am = helmAlertmanager(config, withSecret);
    strictEqual(
      am.yaml,
      "receivers:\n  - name: oncall\n    pagerduty_configs:\n      - routing_key_file: /etc/alertmanager/secrets/alertmanager-secrets/secrets_pagerduty-routing-key\n",
    );
    deepStrictEqual(am.secret!.entries, [
      { key: "secrets_pagerduty-routing-key", secret: "pagerDutyRoutingKey" },
    ]);
    deepStrictEqual(am.secret!.manifest.metadata!.name, "alertmanager-secrets");
  });

  it("declares an Alertmanager Secret exactly when the rendered config reads a secret file", () => {
    const staging = stagingKubernetes({ kubernetesMode: "helm" });
    deepStrictEqual(
      helmSecrets(staging).map((s) => [s.manifest.metadata!.name, s.manifest.stringData]),
      [
        ["grafana-admin", { "admin-user": "admin" }],
        ["alertmanager-config", { "alertmanager.yaml": renderAlertmanagerConfig(staging) }],
      ],
    );
    const values = kubePrometheusStackValues(staging) as Record<string, Record<string, unknown>>;
    strictEqual("secrets" in (values.alertmanager.alertmanagerSpec as object), false);

    const production = productionKubernetes({ kubernetesMode: "helm" });
    const secrets = helmSecrets(production);
    deepStrictEqual(
      secrets.map((s) => [s.manifest.metadata!.name, s.entries]),
      [
        ["grafana-admin", [{ key: "admin-password", secret: "grafanaAdminPassword" }]],
        ["alertmanager-config", []],
        [
          "alertmanager-secrets",
          [{ key: "secrets_pagerduty-routing-key", secret: "pagerDutyRoutingKey" }],
        ],
      ],
    );
    strictEqual(
      secrets[1].manifest.stringData!["alertmanager.yaml"],
      renderAlertmanagerConfig(production)
        .split("/etc/alertmanager/secrets/pagerduty-routing-key")
        .join("/etc/alertmanager/secrets/alertmanager-secrets/secrets_pagerduty-routing-key"),
    );
  });
});
