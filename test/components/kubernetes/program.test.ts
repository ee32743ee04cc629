/**
 * The program on the Kubernetes platform, run under mocks from the production stack file
 * with `genesis:platform: kubernetes`: the exact objects it declares and their fields, every
 * manifest validated against the Kubernetes API schemas, every pod checked against the Pod
 * Security "restricted" profile, and the secrets never in plain text.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { CapturedProgram, CapturedResource, captureProgram } from "../../../program/captureProgram";
import { stackCaptureConfig } from "../../../cli/stackCapture";
import { parseStackConfig } from "../../../core/config/stackConfig";
import { flagdManifests, kubernetesMonitoringManifests } from "../../../core/kubernetes/manifests";
import { renderFlagdFlags } from "../../../core/render/flagdFlags";
import { renderPrometheusConfig } from "../../../core/render/prometheusConfig";
import { PRODUCTION_KUBERNETES_VALUES } from "../../core/kubernetes/fixtures";
import { schemaViolations } from "../../support/kubernetesSchemas";
import { baselineViolations, restrictedViolations } from "../../support/podSecurityRestricted";

const PASSWORD = "grafana-admin-pw-7f3c";
const ROUTING_KEY = "pagerduty-routing-key-91ad";
/** The secret values the tests set, by stack secret. */
const SECRET_VALUES: Readonly<Record<string, string>> = {
  grafanaAdminPassword: PASSWORD,
  pagerDutyRoutingKey: ROUTING_KEY,
};

/** The production stack file, on Kubernetes, with what production requires set. */
function productionKubernetes(values: Record<string, unknown> = {}) {
  const base = stackCaptureConfig("production", () => "unused");
  return {
    stack: "production",
    values: {
      ...base.values,
      ...PRODUCTION_KUBERNETES_VALUES,
      ...values,
    },
    secrets: { grafanaAdminPassword: PASSWORD, pagerDutyRoutingKey: ROUTING_KEY },
  };
}

type Obj = Record<string, unknown>;
const byName = (p: CapturedProgram, name: string): CapturedResource => {
  const r = p.resources.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no resource ${name}`);
  return r;
};
/** The Kubernetes objects the program declares (other platforms' and the gate's left out). */
const custom = (p: CapturedProgram) =>
  p.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
const podSpecOf = (r: CapturedResource): Obj =>
  ((r.inputs.spec as Obj).template as Obj).spec as Obj;
const workloads = (p: CapturedProgram) =>
  custom(p).filter((r) => /:(StatefulSet|DaemonSet|Deployment)$/.test(r.type));

/** Pulumi's wire marker of a secret value, and the key it sits under. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** `value` with each wire-format secret replaced by its plain value, as the provider sees it. */
function reveal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reveal);
  if (value !== null && typeof value === "object") {
    const o = value as Obj;
    if (o[SIG_KEY] === SECRET_SIG) return reveal(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

/** The manifest as the API server would receive it (apiVersion and kind from the type). */
function manifestOf(r: CapturedResource): Obj {
  const { apiVersion, kind, metadata, spec, data, stringData, type } = reveal(r.inputs) as Obj;
  const out: Obj = { apiVersion, kind, metadata };
  for (const [k, v] of Object.entries({ spec, data, stringData, type })) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}

describe("program: production stack on Kubernetes (plain manifests)", function () {
  this.timeout(60_000);
  let program: CapturedProgram;
  before(async () => {
    program = await captureProgram(productionKubernetes());
  });

  it("declares exactly these objects, under the monitoring stack and the rollout delivery", () => {
    const component = program.resources.filter(
      (r) => !r.custom && r.type.startsWith("genesis:kubernetes:"),
    );
    deepStrictEqual(
      component.map((r) => [r.type, r.name]),
      [
        ["genesis:kubernetes:MonitoringStack", "genesis"],
        ["genesis:kubernetes:RolloutDelivery", "genesis"],
      ],
    );
    const expected = [
      "kubernetes:core/v1:Namespace genesis-namespace",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy genesis-default-deny-policy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy genesis-allow-dns-policy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy genesis-prometheus-policy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy genesis-alertmanager-policy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy genesis-grafana-policy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy genesis-flagd-policy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy genesis-node-exporter-policy",
      "kubernetes:core/v1:ConfigMap genesis-prometheus-config",
      "kubernetes:core/v1:ConfigMap genesis-alertmanager-config",
      "kubernetes:core/v1:ConfigMap genesis-grafana-config",
      "kubernetes:core/v1:Secret genesis-alertmanager-secrets",
      "kubernetes:core/v1:Secret genesis-grafana-secrets",
      "kubernetes:core/v1:Service genesis-prometheus-service",
      "kubernetes:core/v1:Service genesis-alertmanager-service",
      "kubernetes:core/v1:Service genesis-grafana-service",
      "kubernetes:core/v1:Service genesis-node-exporter-service",
      "kubernetes:apps/v1:StatefulSet genesis-prometheus",
      "kubernetes:apps/v1:StatefulSet genesis-alertmanager",
      "kubernetes:apps/v1:StatefulSet genesis-grafana",
      "kubernetes:apps/v1:DaemonSet genesis-node-exporter",
      "kubernetes:core/v1:ConfigMap genesis-flagd-flags",
      "kubernetes:core/v1:Service genesis-flagd-service",
      "kubernetes:apps/v1:Deployment genesis-flagd",
    ];
    deepStrictEqual(
      custom(program)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
      expected.sort(),
    );
    const [stack, delivery] = component;
    for (const r of custom(program)) {
      const flagd = ["genesis-flagd", "genesis-flagd-flags", "genesis-flagd-service"];
      const expected = flagd.includes(r.name) ? delivery : stack;
      strictEqual(r.parent, expected.urn, `${r.name}'s parent`);
    }
    // The namespace and policies flagd runs under exist first: the delivery depends on the
    // monitoring stack (whose children reach the engine as its dependencies), directly or
    // through what it depends on (the rollout gate).
    const byUrn = new Map(program.resources.map((r) => [r.urn, r]));
    const reaches = (from: readonly string[], target: string, depth = 0): boolean =>
      from.includes(target) ||
      (depth < 4 &&
        from.some((u) => reaches(byUrn.get(u)?.options.dependsOn ?? [], target, depth + 1)));
    for (const needed of ["genesis-namespace", "genesis-flagd-policy"]) {
      ok(reaches(delivery.options.dependsOn, byName(program, needed).urn), needed);
    }
  });

  it("places core's manifests unchanged: the component adds only the secret values", () => {
    const input = productionKubernetes();
    const config = parseStackConfig({
      values: input.values,
      secrets: { grafanaAdminPassword: "encrypted", pagerDutyRoutingKey: "encrypted" },
    });
    const m = kubernetesMonitoringManifests(config);
    const flagd = flagdManifests(config, renderFlagdFlags(config.rollout.percentage));
    const expected: Obj[] = [
      ...m.namespaces,
      ...m.networkPolicies,
      ...m.configMaps,
      ...m.secrets.map((t) => ({
        ...t.manifest,
        stringData: Object.fromEntries(t.entries.map((e) => [e.key, SECRET_VALUES[e.secret]])),
      })),
      ...m.services,
      ...m.statefulSets,
      ...m.daemonSets,
      flagd.configMap,
      flagd.service,
      flagd.deployment,
    ] as unknown as Obj[];
    const key = (o: Obj) => {
      const meta = o.metadata as Obj;
      return `${String(o.kind)} ${String(meta.namespace ?? "")}/${String(meta.name)}`;
    };
    const declared = Object.fromEntries(
      custom(program).map((r) => [key(manifestOf(r)), manifestOf(r)]),
    );
    deepStrictEqual(Object.keys(declared).sort(), expected.map(key).sort());
    for (const e of expected) deepStrictEqual(declared[key(e)], e, key(e));
  });

  it("validates every manifest against the Kubernetes API schemas", async () => {
    const failures: string[] = [];
    for (const r of custom(program)) {
      const problems = await schemaViolations(manifestOf(r));
      if (problems !== "") failures.push(`${r.name}: ${problems}`);
    }
    deepStrictEqual(failures, []);
  });

  it("the schema check does fail a broken manifest (the validator is live)", async () => {
    const broken = manifestOf(byName(program, "genesis-prometheus"));
    const spec = structuredClone(broken.spec) as Obj;
    delete spec.selector;
    const problems = await schemaViolations({ ...broken, spec });
    strictEqual(problems, "data/spec must have required property selector");
  });

  it("labels the namespace Pod Security restricted (enforce, audit, warn) and protects it", () => {
    const ns = byName(program, "genesis-namespace");
    deepStrictEqual((ns.inputs.metadata as Obj).labels, {
      "app.kubernetes.io/managed-by": "pulumi",
      "app.kubernetes.io/part-of": "genesis",
      "genesis.io/environment": "production",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "latest",
    });
    strictEqual((ns.inputs.metadata as Obj).name, "genesis-monitoring");
    strictEqual(ns.options.protect, true);
    strictEqual(ns.options.retainOnDelete, true);
  });

  it("every pod meets Pod Security restricted, with a read-only root and no host access", () => {
    for (const w of workloads(program)) {
      const pod = podSpecOf(w);
      deepStrictEqual(restrictedViolations(pod), [], w.name);
      strictEqual(pod.automountServiceAccountToken, false, w.name);
      for (const c of pod.containers as Obj[]) {
        deepStrictEqual(
          c.securityContext,
          {
            runAsNonRoot: true,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
          w.name,
        );
      }
    }
    deepStrictEqual(
      Object.fromEntries(
        workloads(program).map((w) => {
          const sc = podSpecOf(w).securityContext as Obj;
          return [w.name, [sc.runAsUser, sc.runAsGroup, sc.fsGroup, sc.runAsNonRoot]];
        }),
      ),
      {
        "genesis-node-exporter": [65534, 65534, 65534, true],
        "genesis-prometheus": [65534, 65534, 65534, true],
        "genesis-alertmanager": [65534, 65534, 65534, true],
        "genesis-grafana": [472, 472, 472, true],
        "genesis-flagd": [65532, 65532, 65532, true],
      },
    );
  });

  it("gives every container requests and limits, and probes on its own health endpoint", () => {
    const seen: Record<string, unknown> = {};
    for (const w of workloads(program)) {
      const c = (podSpecOf(w).containers as Obj[])[0];
      seen[w.name] = {
        resources: c.resources,
        readiness: ((c.readinessProbe as Obj).httpGet as Obj).path,
        liveness: ((c.livenessProbe as Obj).httpGet as Obj).path,
      };
    }
    deepStrictEqual(seen, {
      "genesis-prometheus": {
        resources: {
          requests: { cpu: "250m", memory: "1024Mi" },
          limits: { cpu: "1000m", memory: "1024Mi" },
        },
        readiness: "/-/healthy",
        liveness: "/-/healthy",
      },
      "genesis-alertmanager": {
        resources: {
          requests: { cpu: "50m", memory: "256Mi" },
          limits: { cpu: "200m", memory: "256Mi" },
        },
        readiness: "/-/ready",
        liveness: "/-/ready",
      },
      "genesis-grafana": {
        resources: {
          requests: { cpu: "100m", memory: "512Mi" },
          limits: { cpu: "500m", memory: "512Mi" },
        },
        readiness: "/api/health",
        liveness: "/api/health",
      },
      "genesis-node-exporter": {
        resources: {
          requests: { cpu: "50m", memory: "128Mi" },
          limits: { cpu: "200m", memory: "128Mi" },
        },
        readiness: "/metrics",
        liveness: "/metrics",
      },
      "genesis-flagd": {
        resources: {
          requests: { cpu: "50m", memory: "128Mi" },
          limits: { cpu: "200m", memory: "128Mi" },
        },
        readiness: "/readyz",
        liveness: "/healthz",
      },
    });
  });

  it("keeps Prometheus' data on a retained claim and its config from the rendered file", () => {
    const ss = byName(program, "genesis-prometheus");
    const spec = ss.inputs.spec as Obj;
    deepStrictEqual(spec.persistentVolumeClaimRetentionPolicy, {
      whenDeleted: "Retain",
      whenScaled: "Retain",
    });
    deepStrictEqual((spec.volumeClaimTemplates as Obj[])[0].spec, {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "20Gi" } },
    });
    const container = (podSpecOf(ss).containers as Obj[])[0];
    deepStrictEqual(container.args, [
      "--config.file=/etc/prometheus/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      "--storage.tsdb.retention.time=15d",
      "--web.listen-address=:9090",
    ]);
    deepStrictEqual(container.volumeMounts, [
      { name: "config", mountPath: "/etc/prometheus", readOnly: true },
      { name: "data", mountPath: "/prometheus" },
    ]);
    const text = (byName(program, "genesis-prometheus-config").inputs.data as Obj)[
      "prometheus.yml"
    ] as string;
    ok(text.includes("dns_sd_configs"), "node exporter found by DNS");
    ok(text.includes("node-exporter.genesis-monitoring.svc"));
    // Everything but the node exporter job is the Docker stack's file, line for line.
    const docker = renderPrometheusConfig({
      environment: "production",
      monitoring: { scrapeIntervalSeconds: 15 },
      app: { metricsTarget: "genesis-app:8080" },
    } as Parameters<typeof renderPrometheusConfig>[0]);
    strictEqual(
      text.split("- job_name: node-exporter")[0],
      docker.split("- job_name: node-exporter")[0],
    );
  });

  it("delivers Grafana's password as a file from a Secret, never in plain text", () => {
    const secret = byName(program, "genesis-grafana-secrets");
    deepStrictEqual(reveal(secret.inputs.stringData), { "secrets_admin-password": PASSWORD });
    strictEqual(secret.maskedInputs.stringData, "[secret]");
    for (const r of program.resources) {
      const wire = JSON.stringify(r.maskedInputs);
      ok(!wire.includes(PASSWORD), `${r.name} carries the password in plain text`);
      ok(!wire.includes(ROUTING_KEY), `${r.name} carries the routing key in plain text`);
    }
    const pod = podSpecOf(byName(program, "genesis-grafana"));
    const c = (pod.containers as Obj[])[0];
    ok(
      (c.env as Obj[]).some(
        (e) =>
          e.name === "GF_SECURITY_ADMIN_PASSWORD__FILE" &&
          e.value === "/etc/grafana/provisioning/secrets/admin-password",
      ),
    );
    deepStrictEqual((pod.volumes as Obj[])[0], {
      name: "config",
      projected: {
        defaultMode: 0o444,
        sources: [
          {
            configMap: {
              name: "grafana-config",
              items: [
                {
                  key: "provisioning_datasources_prometheus.yml",
                  path: "provisioning/datasources/prometheus.yml",
                },
                {
                  key: "provisioning_dashboards_genesis.yml",
                  path: "provisioning/dashboards/genesis.yml",
                },
                {
                  key: "provisioning_alerting_genesis.yml",
                  path: "provisioning/alerting/genesis.yml",
                },
                { key: "dashboards_genesis-rollout.json", path: "dashboards/genesis-rollout.json" },
              ],
            },
          },
          {
            secret: {
              name: "grafana-secrets",
              items: [
                { key: "secrets_admin-password", path: "secrets/admin-password", mode: 0o440 },
              ],
            },
          },
        ],
      },
    });
  });

  it("serves the configured percentage from flagd's ConfigMap", () => {
    const cm = byName(program, "genesis-flagd-flags");
    deepStrictEqual(cm.inputs.data, { "flags.json": renderFlagdFlags(0) });
    const c = (podSpecOf(byName(program, "genesis-flagd")).containers as Obj[])[0];
    deepStrictEqual(c.args, [
      "start",
      "--uri",
      "file:/etc/flagd/flags.json",
      "--port",
      "8013",
      "--management-port",
      "8014",
      "--ofrep-port",
      "8016",
    ]);
    strictEqual((byName(program, "genesis-flagd").inputs.spec as Obj).replicas as number, 2);
  });

  it("makes every Service ClusterIP, Node Exporter's headless", () => {
    const services = custom(program).filter((r) => r.type === "kubernetes:core/v1:Service");
    deepStrictEqual(
      services.map((s) => [
        (s.inputs.metadata as Obj).name,
        (s.inputs.spec as Obj).type,
        (s.inputs.spec as Obj).clusterIP ?? null,
        ((s.inputs.spec as Obj).ports as Obj[]).map((p) => p.port),
      ]),
      [
        ["prometheus", "ClusterIP", null, [9090]],
        ["alertmanager", "ClusterIP", null, [9093]],
        ["grafana", "ClusterIP", null, [3000]],
        ["node-exporter", "ClusterIP", "None", [9100]],
        ["flagd", "ClusterIP", null, [8013, 8014, 8016]],
      ],
    );
  });

  it("exports the namespace and the in-cluster URLs", () => {
    const keys = [
      "environment",
      "rolloutPercentage",
      "networkName",
      "prometheusUrl",
      "grafanaUrl",
      "alertmanagerUrl",
      "nodeExporterUrl",
    ];
    deepStrictEqual(Object.fromEntries(keys.map((k) => [k, program.outputs[k]?.value])), {
      environment: "production",
      rolloutPercentage: 0,
      networkName: "genesis-monitoring",
      prometheusUrl: "http://prometheus.genesis-monitoring.svc:9090",
      grafanaUrl: "http://grafana.genesis-monitoring.svc:3000",
      alertmanagerUrl: "http://alertmanager.genesis-monitoring.svc:9093",
      nodeExporterUrl: "http://node-exporter.genesis-monitoring.svc:9100",
    });
  });
});

describe("program: Kubernetes with Node Exporter host access", function () {
  this.timeout(60_000);
  let program: CapturedProgram;
  before(async () => {
    program = await captureProgram(
      productionKubernetes({ kubernetesNodeExporterHostAccess: true }),
    );
  });

  it("puts Node Exporter in its own namespace, enforced privileged, reported at baseline", () => {
    const ns = byName(program, "genesis-genesis-monitoring-node-exporter-namespace");
    const labels = (ns.inputs.metadata as Obj).labels as Obj;
    strictEqual((ns.inputs.metadata as Obj).name, "genesis-monitoring-node-exporter");
    strictEqual(labels["pod-security.kubernetes.io/enforce"], "privileged");
    strictEqual(labels["pod-security.kubernetes.io/audit"], "baseline");
    strictEqual(labels["pod-security.kubernetes.io/warn"], "baseline");
    const ds = byName(program, "genesis-node-exporter");
    strictEqual((ds.inputs.metadata as Obj).namespace, "genesis-monitoring-node-exporter");
  });

  it("breaks exactly the hostPath control, nothing else, and mounts the host read-only", () => {
    const pod = podSpecOf(byName(program, "genesis-node-exporter"));
    deepStrictEqual(restrictedViolations(pod), [
      "hostPath volume proc",
      "hostPath volume sys",
      "hostPath volume root",
    ]);
    deepStrictEqual(baselineViolations(pod), restrictedViolations(pod));
    const c = (pod.containers as Obj[])[0];
    ok((c.volumeMounts as Obj[]).every((m) => m.readOnly === true));
    const template = (byName(program, "genesis-node-exporter").inputs.spec as Obj).template as Obj;
    strictEqual(((template.metadata as Obj).labels as Obj)["genesis.role"], "host-metrics");
    ok((c.args as string[]).includes("--path.procfs=/host/proc"));
  });

  it("fences the second namespace too, letting in only Prometheus from the stack's namespace", async () => {
    const deny = byName(program, "genesis-genesis-monitoring-node-exporter-default-deny-policy");
    deepStrictEqual(deny.inputs.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const allow = byName(program, "genesis-genesis-monitoring-node-exporter-node-exporter-policy");
    deepStrictEqual(((allow.inputs.spec as Obj).ingress as Obj[])[0].from, [
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "genesis-monitoring" } },
        podSelector: {
          matchLabels: {
            "app.kubernetes.io/name": "prometheus",
            "app.kubernetes.io/part-of": "genesis",
          },
        },
      },
    ]);
    for (const r of custom(program)) {
      strictEqual(await schemaViolations(manifestOf(r)), "", r.name);
    }
  });
});

describe("program: Kubernetes in helm mode (kube-prometheus-stack)", function () {
  this.timeout(60_000);
  let program: CapturedProgram;
  before(async () => {
    program = await captureProgram(productionKubernetes({ kubernetesMode: "helm" }));
  });

  it("declares the chart, its admin Secret and the PrometheusRule instead of the StatefulSets", () => {
    const types = custom(program).map((r) => `${r.type} ${r.name}`);
    ok(!types.some((t) => t.includes("StatefulSet")));
    ok(types.includes("kubernetes:core/v1:Secret genesis-grafana-admin"));
    ok(types.includes("kubernetes:core/v1:Secret genesis-alertmanager-config"));
    ok(types.includes("kubernetes:monitoring.coreos.com/v1:PrometheusRule genesis-rules"));
    const chart = program.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart")!;
    strictEqual(chart.name, "genesis-kube-prometheus-stack");
    strictEqual(chart.inputs.chart, "kube-prometheus-stack");
    strictEqual(chart.inputs.version, "67.8.0");
    strictEqual(chart.inputs.name, "genesis");
    strictEqual(chart.inputs.namespace, "genesis-monitoring");
    deepStrictEqual(chart.inputs.repositoryOpts, {
      repo: "https://prometheus-community.github.io/helm-charts",
    });
  });

  it("passes values that select the rule by its release label and carry the stack's settings", () => {
    const chart = program.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart")!;
    const values = chart.inputs.values as Obj;
    const spec = (values.prometheus as Obj).prometheusSpec as Obj;
    strictEqual(spec.ruleSelectorNilUsesHelmValues, true);
    strictEqual(spec.retention, "15d");
    strictEqual(spec.scrapeInterval, "15s");
    deepStrictEqual(
      (spec.additionalScrapeConfigs as Obj[]).map((j) => j.job_name),
      ["node-exporter", "flagd", "genesis-app"],
    );
    deepStrictEqual((values.nodeExporter as Obj).enabled, false);
    deepStrictEqual(((values.grafana as Obj).admin as Obj).existingSecret, "grafana-admin");
    const rule = byName(program, "genesis-rules");
    strictEqual(((rule.inputs.metadata as Obj).labels as Obj).release, chart.inputs.name);
  });

  it("validates every manifest, the PrometheusRule against the operator's CRD schema", async () => {
    for (const r of custom(program)) {
      strictEqual(await schemaViolations(manifestOf(r)), "", r.name);
    }
    const deny = byName(program, "genesis-default-deny-policy");
    deepStrictEqual(deny.inputs.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const admin = byName(program, "genesis-grafana-admin");
    deepStrictEqual(reveal(admin.inputs.stringData), {
      "admin-user": "admin",
      "admin-password": PASSWORD,
    });
    strictEqual(admin.maskedInputs.stringData, "[secret]");
  });
});

describe("program: staging stack file on Kubernetes", function () {
  this.timeout(60_000);

  it("renders, validates, stays restricted, and fences every namespace it declares", async () => {
    const base = stackCaptureConfig("staging", () => PASSWORD);
    const program = await captureProgram({
      ...base,
      values: { ...base.values, platform: "kubernetes", kubernetesNodeExporterHostAccess: true },
      secrets: { grafanaAdminPassword: PASSWORD },
    });
    for (const r of custom(program)) {
      strictEqual(await schemaViolations(manifestOf(r)), "", r.name);
    }
    for (const w of workloads(program).filter((x) => x.name !== "genesis-node-exporter")) {
      deepStrictEqual(restrictedViolations(podSpecOf(w)), [], w.name);
    }
    const namespaces = custom(program)
      .filter((r) => r.type === "kubernetes:core/v1:Namespace")
      .map((r) => (r.inputs.metadata as Obj).name);
    const denied = custom(program)
      .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")
      .map((r) => manifestOf(r))
      .filter((p) => JSON.stringify((p.spec as Obj).podSelector) === "{}")
      .filter((p) => ((p.spec as Obj).policyTypes as string[]).length === 2)
      .map((p) => (p.metadata as Obj).namespace);
    deepStrictEqual(namespaces, ["genesis-monitoring", "genesis-monitoring-node-exporter"]);
    deepStrictEqual(denied.sort(), [...namespaces].sort());
    strictEqual(byName(program, "genesis-namespace").options.protect, false);
    strictEqual((byName(program, "genesis-flagd").inputs.spec as Obj).replicas as number, 1);
  });
});

describe("program: index.ts chooses the component by genesis:platform", function () {
  this.timeout(60_000);

  it("docker declares the Docker component and no Kubernetes object; kubernetes the reverse", async () => {
    const base = stackCaptureConfig("staging", () => PASSWORD);
    const kinds = async (platform: string) => {
      const p = await captureProgram({
        ...base,
        values: { ...base.values, platform },
        secrets: { grafanaAdminPassword: PASSWORD },
      });
      const providers = new Set(p.resources.map((r) => r.type.split(":")[0]));
      return [providers.has("docker"), providers.has("kubernetes")];
    };
    deepStrictEqual(await kinds("docker"), [true, false]);
    deepStrictEqual(await kinds("kubernetes"), [false, true]);
  });
});
