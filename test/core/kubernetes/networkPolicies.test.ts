import { deepStrictEqual } from "node:assert/strict";
import { monitoringNetworkPolicies } from "../../../core/kubernetes/networkPolicies";
import { productionKubernetes, stagingKubernetes } from "./fixtures";

type Obj = Record<string, unknown>;

const labels = (name: string) => ({
  matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "genesis" },
});
const pods = (name: string) => ({ podSelector: labels(name) });
const namespace = (name: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});
const tcp = (port: number) => ({ protocol: "TCP", port });

function policies(config: ReturnType<typeof stagingKubernetes>) {
  return Object.fromEntries(
    monitoringNetworkPolicies(config).map((p) => [
      `${p.metadata!.namespace}/${p.metadata!.name}`,
      p.spec as unknown as Obj,
    ]),
  );
}

describe("monitoringNetworkPolicies", () => {
  it("production, plain: default deny, DNS, and the exact allows of each service", () => {
    deepStrictEqual(policies(productionKubernetes()), {
      "genesis-monitoring/default-deny": {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
      },
      "genesis-monitoring/allow-dns": {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                ...namespace("kube-system"),
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      },
      "genesis-monitoring/prometheus": {
        podSelector: labels("prometheus"),
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [pods("prometheus"), pods("grafana")], ports: [tcp(9090)] }],
        egress: [
          { to: [pods("prometheus")], ports: [tcp(9090)] },
          { to: [pods("alertmanager")], ports: [tcp(9093)] },
          { to: [pods("grafana")], ports: [tcp(3000)] },
          { to: [pods("flagd")], ports: [tcp(8014)] },
          { to: [pods("node-exporter")], ports: [tcp(9100)] },
          { ports: [tcp(8080)] },
        ],
      },
      "genesis-monitoring/alertmanager": {
        podSelector: labels("alertmanager"),
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [pods("prometheus")], ports: [tcp(9093)] }],
        egress: [
          {
            to: [
              {
                ipBlock: {
                  cidr: "0.0.0.0/0",
                  except: [
                    "10.0.0.0/8",
                    "172.16.0.0/12",
                    "192.168.0.0/16",
                    "169.254.0.0/16",
                    "100.64.0.0/10",
                  ],
                },
              },
            ],
            ports: [tcp(443)],
          },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(587)] },
        ],
      },
      "genesis-monitoring/grafana": {
        podSelector: labels("grafana"),
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [pods("prometheus")], ports: [tcp(3000)] }],
        egress: [
          { to: [pods("prometheus")], ports: [tcp(9090)] },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(587)] },
        ],
      },
      "genesis-monitoring/flagd": {
        podSelector: labels("flagd"),
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          { from: [{ namespaceSelector: {} }], ports: [tcp(8013), tcp(8016)] },
          { from: [pods("prometheus")], ports: [tcp(8014)] },
        ],
        egress: [],
      },
      "genesis-monitoring/node-exporter": {
        podSelector: labels("node-exporter"),
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [pods("prometheus")], ports: [tcp(9100)] }],
        egress: [],
      },
    });
  });

  it("staging without PagerDuty or SMTP: Alertmanager and Grafana get no way out", () => {
    const p = policies(stagingKubernetes());
    deepStrictEqual(p["genesis-monitoring/alertmanager"].egress, []);
    deepStrictEqual(p["genesis-monitoring/grafana"].egress, [
      { to: [pods("prometheus")], ports: [tcp(9090)] },
    ]);
  });

  it("the gate's namespace reaches the four services it health-checks, and nothing else", () => {
    const p = policies(stagingKubernetes({ kubernetesGateNamespace: "genesis-gate" }));
    const gate = namespace("genesis-gate");
    deepStrictEqual(
      Object.fromEntries(
        Object.entries(p).map(([name, spec]) => [
          name,
          ((spec.ingress as Obj[] | undefined) ?? []).some((rule) =>
            JSON.stringify(rule.from).includes(JSON.stringify(gate)),
          ),
        ]),
      ),
      {
        "genesis-monitoring/default-deny": false,
        "genesis-monitoring/allow-dns": false,
        "genesis-monitoring/prometheus": true,
        "genesis-monitoring/alertmanager": true,
        "genesis-monitoring/grafana": true,
        "genesis-monitoring/flagd": false,
        "genesis-monitoring/node-exporter": true,
      },
    );
  });

  it("host access: Node Exporter's namespace is denied by default and admits Prometheus only", () => {
    const p = policies(stagingKubernetes({ kubernetesNodeExporterHostAccess: true }));
    deepStrictEqual(p["genesis-monitoring-node-exporter/default-deny"], {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    });
    deepStrictEqual(p["genesis-monitoring-node-exporter/node-exporter"].ingress, [
      { from: [{ ...namespace("genesis-monitoring"), ...pods("prometheus") }], ports: [tcp(9100)] },
    ]);
    deepStrictEqual((p["genesis-monitoring/prometheus"].egress as Obj[])[4], {
      to: [{ ...namespace("genesis-monitoring-node-exporter"), ...pods("node-exporter") }],
      ports: [tcp(9100)],
    });
  });

  it("helm mode: every pod denied; the chart's pods let through by one named policy", () => {
    const p = policies(stagingKubernetes({ kubernetesMode: "helm" }));
    deepStrictEqual(Object.keys(p), [
      "genesis-monitoring/default-deny",
      "genesis-monitoring/allow-dns",
      "genesis-monitoring/kube-prometheus-stack",
      "genesis-monitoring/flagd",
      "genesis-monitoring/node-exporter",
    ]);
    deepStrictEqual(p["genesis-monitoring/default-deny"].podSelector, {});
    deepStrictEqual(p["genesis-monitoring/kube-prometheus-stack"], {
      podSelector: {
        matchExpressions: [
          { key: "app.kubernetes.io/part-of", operator: "NotIn", values: ["genesis"] },
        ],
      },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{}],
      egress: [{}],
    });
    deepStrictEqual(p["genesis-monitoring/node-exporter"].ingress, [
      {
        from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }],
        ports: [tcp(9100)],
      },
    ]);
  });

  it("follows the application's metrics port", () => {
    const p = policies(stagingKubernetes({ appMetricsTarget: "genesis-app.shop.svc:9464" }));
    deepStrictEqual((p["genesis-monitoring/prometheus"].egress as Obj[])[5], {
      ports: [tcp(9464)],
    });
  });
});
