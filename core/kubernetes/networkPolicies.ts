/**
 * The NetworkPolicies of the Kubernetes platform: the cluster's equivalent of the isolated
 * Docker bridge. Everything the stack runs is denied by default, in and out; each allow
 * names its peers and ports exactly. Pure.
 *
 * NetworkPolicy matches IP blocks, not DNS names, so egress to PagerDuty and to the SMTP
 * relay is limited by pod, port and address range (PagerDuty: public addresses only), and
 * only Alertmanager and Grafana get it. Kubelet probes and `kubectl port-forward` do not
 * pass through NetworkPolicy on common CNIs, so neither needs an allow.
 */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import { StackConfig } from "../config/stackConfig";
import { MONITORING_SERVICES } from "../monitoring/services";
import {
  FLAGD,
  KubernetesWorkloadName,
  PART_OF,
  nodeExporterNamespace,
  selectorLabels,
  smtpPort,
  stackLabels,
  targetPort,
} from "./workloads";

/** The label every namespace carries with its own name (set by the API server). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Address ranges PagerDuty is never in: private, link-local (cloud metadata) ranges. */
export const NON_PUBLIC_RANGES: readonly string[] = Object.freeze([
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "169.254.0.0/16",
  "100.64.0.0/10",
]);

/** PagerDuty's Events API port. */
export const PAGERDUTY_PORT = 443;

const tcp = (port: number): INetworkPolicyPort => ({ protocol: "TCP", port });
const pods = (name: KubernetesWorkloadName): INetworkPolicyPeer => ({
  podSelector: { matchLabels: selectorLabels(name) },
});
const podsIn = (namespace: string, name: KubernetesWorkloadName): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
  podSelector: { matchLabels: selectorLabels(name) },
});
const namespacePeer = (namespace: string): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
});

function policy(
  config: StackConfig,
  name: string,
  namespace: string,
  spec: NonNullable<INetworkPolicy["spec"]>,
): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace, labels: stackLabels(config) },
    spec,
  };
}

/**
 * Every NetworkPolicy of the stack, in declaration order.
 *
 * The default deny selects every pod of the namespace, in both modes. In helm mode the
 * chart's own pods (operator and its admission webhook, Prometheus, Alertmanager, Grafana)
 * need the API server, the nodes' kubelets and each other at addresses only the cluster
 * knows, so one named policy, `kube-prometheus-stack`, lets every pod that is not this
 * program's (`app.kubernetes.io/part-of` not `genesis`) in and out: the exception is a
 * declared object, not a gap, and this program's own pods stay fenced.
 */
export function monitoringNetworkPolicies(config: StackConfig): readonly INetworkPolicy[] {
  const ns = config.kubernetes.namespace;
  const neNs = nodeExporterNamespace(config);
  const plain = config.kubernetes.mode === "plain";
  const gate = config.kubernetes.gateNamespace;
  const gatePeers: INetworkPolicyPeer[] = gate === "" ? [] : [namespacePeer(gate)];
  const { prometheus, alertmanager, grafana, nodeExporter } = MONITORING_SERVICES;
  // The chart's Prometheus pods carry the operator's name label, not this stack's labels.
  const prometheusLabels = plain
    ? selectorLabels("prometheus")
    : { "app.kubernetes.io/name": MONITORING_SERVICES.prometheus.host };
  const localPrometheus: INetworkPolicyPeer = { podSelector: { matchLabels: prometheusLabels } };
  const prometheusPeer: INetworkPolicyPeer =
    neNs === ns ? localPrometheus : { ...namespacePeer(ns), ...localPrometheus };
  const smtp = smtpPort(config);
  const smtpEgress =
    smtp === undefined ? [] : [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(smtp)] }];

  const policies: INetworkPolicy[] = [
    policy(config, "default-deny", ns, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy(config, "allow-dns", ns, {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
  ];

  if (!plain) {
    policies.push(
      policy(config, "kube-prometheus-stack", ns, {
        podSelector: {
          matchExpressions: [
            { key: "app.kubernetes.io/part-of", operator: "NotIn", values: [PART_OF] },
          ],
        },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{}],
        egress: [{}],
      }),
    );
  }
  if (plain) {
    policies.push(
      policy(config, "prometheus", ns, {
        podSelector: { matchLabels: selectorLabels("prometheus") },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [pods("prometheus"), pods("grafana"), ...gatePeers],
            ports: [tcp(prometheus.port)],
          },
        ],
        egress: [
          { to: [pods("prometheus")], ports: [tcp(prometheus.port)] },
          { to: [pods("alertmanager")], ports: [tcp(alertmanager.port)] },
          { to: [pods("grafana")], ports: [tcp(grafana.port)] },
          { to: [pods("flagd")], ports: [tcp(FLAGD.managementPort)] },
          {
            to: [neNs === ns ? pods("nodeExporter") : podsIn(neNs, "nodeExporter")],
            ports: [tcp(nodeExporter.port)],
          },
          { ports: [tcp(targetPort(config.app.metricsTarget))] },
        ],
      }),
      policy(config, "alertmanager", ns, {
        podSelector: { matchLabels: selectorLabels("alertmanager") },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [pods("prometheus"), ...gatePeers], ports: [tcp(alertmanager.port)] }],
        egress: [
          ...(config.secrets.pagerDutyRoutingKey
            ? [
                {
                  to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...NON_PUBLIC_RANGES] } }],
                  ports: [tcp(PAGERDUTY_PORT)],
                },
              ]
            : []),
          ...smtpEgress,
        ],
      }),
      policy(config, "grafana", ns, {
        podSelector: { matchLabels: selectorLabels("grafana") },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [pods("prometheus"), ...gatePeers], ports: [tcp(grafana.port)] }],
        egress: [{ to: [pods("prometheus")], ports: [tcp(prometheus.port)] }, ...smtpEgress],
      }),
    );
  }

  policies.push(
    policy(config, "flagd", ns, {
      podSelector: { matchLabels: selectorLabels("flagd") },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [{ namespaceSelector: {} }],
          ports: [tcp(FLAGD.evaluationPort), tcp(FLAGD.ofrepPort)],
        },
        { from: [localPrometheus], ports: [tcp(FLAGD.managementPort)] },
      ],
      egress: [],
    }),
  );

  if (neNs !== ns) {
    policies.push(
      policy(config, "default-deny", neNs, {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
      }),
    );
  }
  policies.push(
    policy(config, "node-exporter", neNs, {
      podSelector: { matchLabels: selectorLabels("nodeExporter") },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [prometheusPeer, ...gatePeers], ports: [tcp(nodeExporter.port)] }],
      egress: [],
    }),
  );
  return policies;
}
