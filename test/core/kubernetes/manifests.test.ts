import { deepStrictEqual, notStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  configKey,
  flagdManifests,
  kubernetesMonitoringManifests,
  nodeExporterArgs,
  tmpfsSizeLimit,
  unsetSecrets,
} from "../../../core/kubernetes/manifests";
import { kubernetesServiceUrls } from "../../../core/kubernetes/serviceUrls";
import { monitoringContainerSpecs } from "../../../core/monitoring/containerSpecs";
import { renderFlagdFlags } from "../../../core/render/flagdFlags";
import { parseStackConfig } from "../../../core/config/stackConfig";
import { productionKubernetes, stagingKubernetes } from "./fixtures";

type Obj = Record<string, unknown>;

describe("kubernetes manifests", () => {
  const keys: [string, string][] = [
    ["prometheus.yml", "prometheus.yml"],
    ["datasources/prometheus.yml", "datasources_prometheus.yml"],
    ["secrets/admin-password", "secrets_admin-password"],
  ];
  for (const [path, key] of keys) {
    it(`keys ${path} as ${key}`, () => strictEqual(configKey(path), key));
  }

  const sizes: [string, string | undefined][] = [
    ["rw,noexec,nosuid,size=64m", "64Mi"],
    ["size=2g", "2Gi"],
    ["size=512k,rw", "512Ki"],
    ["rw,noexec", undefined],
  ];
  for (const [options, limit] of sizes) {
    it(`turns tmpfs "${options}" into sizeLimit ${String(limit)}`, () =>
      strictEqual(tmpfsSizeLimit(options), limit));
  }

  it("drops Node Exporter's --path flags without host access, keeps them with it", () => {
    const spec = monitoringContainerSpecs(stagingKubernetes()).find(
      (s) => s.service.name === "nodeExporter",
    )!;
    deepStrictEqual(nodeExporterArgs(spec, false), [
      "--web.listen-address=:9100",
      "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+)($|/)",
    ]);
    deepStrictEqual(nodeExporterArgs(spec, true), spec.command);
  });

  it("asks for the host-metrics exception only when Node Exporter reads the host", () => {
    const role = (hostAccess: boolean) =>
      kubernetesMonitoringManifests(
        stagingKubernetes({ kubernetesNodeExporterHostAccess: hostAccess }),
      ).daemonSets[0].spec!.template.metadata!.labels!["genesis.role"];
    deepStrictEqual([role(false), role(true)], [undefined, "host-metrics"]);
  });

  it("places the Docker stack's rendered files, one source: ConfigMaps hold the same text", () => {
    const config = productionKubernetes();
    const m = kubernetesMonitoringManifests(config);
    const data = Object.fromEntries(m.configMaps.map((cm) => [cm.metadata!.name, cm.data]));
    const dockerFiles = (name: string) => {
      const spec = monitoringContainerSpecs(config).find((s) => s.service.host === name)!;
      return Object.fromEntries(
        spec.config!.files.flatMap((f) => ("content" in f ? [[configKey(f.path), f.content]] : [])),
      );
    };
    deepStrictEqual(Object.keys(data), [
      "prometheus-config",
      "alertmanager-config",
      "grafana-config",
    ]);
    deepStrictEqual(data["alertmanager-config"], dockerFiles("alertmanager"));
    deepStrictEqual(data["grafana-config"], dockerFiles("grafana"));
    // prometheus.yml differs in the Node Exporter job only (tested on its own); the rule
    // files are the Docker stack's.
    const { "prometheus.yml": _adapted, ...rules } = data["prometheus-config"]!;
    const { "prometheus.yml": _rendered, ...dockerRules } = dockerFiles("prometheus");
    void _adapted;
    void _rendered;
    deepStrictEqual(rules, dockerRules);
    deepStrictEqual(Object.keys(rules), ["rules_genesis-slo.yml", "rules_genesis-monitoring.yml"]);
    deepStrictEqual(
      m.secrets.map((s) => [s.manifest.metadata!.name, s.entries, s.manifest.stringData]),
      [
        [
          "alertmanager-secrets",
          [{ key: "secrets_pagerduty-routing-key", secret: "pagerDutyRoutingKey" }],
          undefined,
        ],
        [
          "grafana-secrets",
          [{ key: "secrets_admin-password", secret: "grafanaAdminPassword" }],
          undefined,
        ],
      ],
    );
  });

  it("claims storage in the configured class, sized per service", () => {
    const m = kubernetesMonitoringManifests(stagingKubernetes({ kubernetesStorageClass: "ssd" }));
    deepStrictEqual(
      m.statefulSets.map((s) => [
        s.metadata!.name,
        s.spec!.volumeClaimTemplates![0].spec!.storageClassName,
        s.spec!.volumeClaimTemplates![0].spec!.resources!.requests!.storage,
      ]),
      [
        ["prometheus", "ssd", "20Gi"],
        ["alertmanager", "ssd", "1Gi"],
        ["grafana", "ssd", "1Gi"],
      ],
    );
  });

  it("gives Grafana an in-memory /tmp and nothing else writable but its data", () => {
    const grafana = kubernetesMonitoringManifests(stagingKubernetes()).statefulSets[2];
    const pod = grafana.spec!.template.spec!;
    deepStrictEqual(pod.volumes![1], {
      name: "tmp-0",
      emptyDir: { medium: "Memory", sizeLimit: "64Mi" },
    });
    deepStrictEqual(
      pod.containers[0].volumeMounts!.map((v) => [v.mountPath, v.readOnly ?? false]),
      [
        ["/etc/grafana/provisioning", true],
        ["/var/lib/grafana", false],
        ["/tmp", false],
      ],
    );
  });

  it("rolls a workload when its files change: the pod template carries their fingerprint", () => {
    const a = kubernetesMonitoringManifests(stagingKubernetes()).statefulSets[0];
    const b = kubernetesMonitoringManifests(stagingKubernetes({ scrapeIntervalSeconds: 10 }))
      .statefulSets[0];
    notStrictEqual(
      (a.spec!.template.metadata!.annotations as Obj)["genesis.io/config-sha256"],
      (b.spec!.template.metadata!.annotations as Obj)["genesis.io/config-sha256"],
    );
  });

  it("helm mode keeps only the namespace, policies and Node Exporter", () => {
    const m = kubernetesMonitoringManifests(stagingKubernetes({ kubernetesMode: "helm" }));
    deepStrictEqual(
      [m.statefulSets.length, m.configMaps.length, m.secrets.length, m.daemonSets.length],
      [0, 0, 0, 1],
    );
    deepStrictEqual(
      m.services.map((s) => s.metadata!.name),
      ["node-exporter"],
    );
  });

  it("refuses a Docker stack, naming the value", () => {
    const docker = parseStackConfig({
      values: { environment: "staging" },
      secrets: { grafanaAdminPassword: "encrypted" },
    });
    throws(() => kubernetesMonitoringManifests(docker), {
      message: 'genesis:platform must be kubernetes here; got "docker"',
    });
  });

  it("serves the rendered flag from flagd, rolling it when the percentage changes", () => {
    const config = stagingKubernetes();
    const at5 = flagdManifests(config, renderFlagdFlags(5));
    const at10 = flagdManifests(config, renderFlagdFlags(10));
    deepStrictEqual(at5.configMap.data, { "flags.json": renderFlagdFlags(5) });
    strictEqual(at5.deployment.spec!.replicas, 1);
    notStrictEqual(
      (at5.deployment.spec!.template.metadata!.annotations as Obj)["genesis.io/flags-sha256"],
      (at10.deployment.spec!.template.metadata!.annotations as Obj)["genesis.io/flags-sha256"],
    );
    strictEqual(flagdManifests(productionKubernetes(), "{}").deployment.spec!.replicas, 2);
  });

  it("names in-cluster URLs per mode", () => {
    deepStrictEqual(kubernetesServiceUrls(stagingKubernetes({ kubernetesNamespace: "obs" })), {
      prometheus: "http://prometheus.obs.svc:9090",
      alertmanager: "http://alertmanager.obs.svc:9093",
      grafana: "http://grafana.obs.svc:3000",
      nodeExporter: "http://node-exporter.obs.svc:9100",
      flagd: "http://flagd.obs.svc:8013",
    });
    deepStrictEqual(
      kubernetesServiceUrls(
        stagingKubernetes({ kubernetesMode: "helm", kubernetesNodeExporterHostAccess: true }),
      ),
      {
        prometheus: "http://genesis-prometheus.genesis-monitoring.svc:9090",
        alertmanager: "http://genesis-alertmanager.genesis-monitoring.svc:9093",
        grafana: "http://genesis-grafana.genesis-monitoring.svc:80",
        nodeExporter: "http://node-exporter.genesis-monitoring-node-exporter.svc:9100",
        flagd: "http://flagd.genesis-monitoring.svc:8013",
      },
    );
  });

  it("names every Secret key whose stack secret is not set, and nothing when all are", () => {
    const { secrets } = kubernetesMonitoringManifests(productionKubernetes());
    deepStrictEqual(
      unsetSecrets(secrets, () => true),
      [],
    );
    deepStrictEqual(
      unsetSecrets(secrets, () => false),
      [
        "alertmanager-secrets needs the secret genesis:pagerDutyRoutingKey, which is not set",
        "grafana-secrets needs the secret genesis:grafanaAdminPassword, which is not set",
      ],
    );
    deepStrictEqual(
      unsetSecrets(secrets, (s) => s !== "pagerDutyRoutingKey"),
      ["alertmanager-secrets needs the secret genesis:pagerDutyRoutingKey, which is not set"],
    );
  });
});
