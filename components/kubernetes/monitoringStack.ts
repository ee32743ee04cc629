/**
 * The monitoring stack on Kubernetes: the same services, files and secrets as the Docker
 * stack, declared in a Pod Security "restricted" namespace fenced by NetworkPolicies
 * (flagd's included; flagd itself is {@link KubernetesRolloutDelivery}'s).
 * Places the manifests core/kubernetes built; the secret values are the only thing added
 * here, as Pulumi secrets.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesMonitoringView, OnPlatform } from "../../core/config/componentViews";
import {
  HELM_RELEASE_NAME,
  KUBE_PROMETHEUS_STACK_CHART,
} from "../../core/kubernetes/kubePrometheusStack";
import { SecretTemplate, unsetSecrets } from "../../core/kubernetes/manifests";
import { MonitoringServiceName } from "../../core/monitoring/services";
import { MonitoringSecrets } from "../docker/monitoringStack";

/** Arguments of {@link KubernetesMonitoringStack}. */
export interface KubernetesMonitoringStackArgs {
  /** The stack's objects and names, from `kubernetesMonitoringView` (core/config/componentViews). */
  readonly view: OnPlatform<KubernetesMonitoringView>;
  /** Secret values, each a Pulumi secret; placed in Secrets mounted as files. */
  readonly secrets: MonitoringSecrets;
}

/** The Kubernetes monitoring stack (type `genesis:kubernetes:MonitoringStack`). */
export class KubernetesMonitoringStack extends pulumi.ComponentResource {
  /** The stack's namespace: the Kubernetes counterpart of the Docker network. */
  public readonly networkName: pulumi.Output<string>;
  /** Each service's in-cluster URL (Service DNS name and port). */
  public readonly urls: Readonly<Record<MonitoringServiceName, pulumi.Output<string>>>;

  constructor(
    name: string,
    args: KubernetesMonitoringStackArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("genesis:kubernetes:MonitoringStack", name, {}, opts);
    const { view } = args;
    if (view.platform !== "kubernetes") {
      throw new Error(
        `genesis:platform must be kubernetes for ${name} (KubernetesMonitoringStack); got "${view.platform}"`,
      );
    }
    const { manifests, helm } = view;
    const chartTemplates = helm?.secrets ?? [];
    const missing = unsetSecrets(
      [...manifests.secrets, ...chartTemplates],
      (s) => args.secrets[s] !== undefined,
    );
    if (missing.length > 0) throw new Error(missing.join("; "));
    const child = { parent: this };

    // Deleting a namespace deletes the data claims in it: they are protected as data.
    const namespaces = manifests.namespaces.map(
      (ns, i) =>
        new k8s.core.v1.Namespace(
          i === 0 ? `${name}-namespace` : `${name}-${ns.metadata!.name!}-namespace`,
          { metadata: ns.metadata },
          { ...child, protect: view.data.protect, retainOnDelete: view.data.retainOnDelete },
        ),
    );
    const inNamespace = { ...child, dependsOn: namespaces };
    const main = view.namespace;

    const policies = manifests.networkPolicies.map(
      (p) =>
        new k8s.networking.v1.NetworkPolicy(
          `${name}-${p.metadata!.namespace === main ? "" : `${p.metadata!.namespace}-`}${p.metadata!.name}-policy`,
          { metadata: p.metadata, spec: p.spec as k8s.types.input.networking.v1.NetworkPolicySpec },
          inNamespace,
        ),
    );
    const configMaps = manifests.configMaps.map(
      (cm) =>
        new k8s.core.v1.ConfigMap(
          `${name}-${cm.metadata!.name}`,
          { metadata: cm.metadata, data: cm.data },
          inNamespace,
        ),
    );
    const secrets = manifests.secrets.map((s) => this.secret(name, s, args.secrets, inNamespace));
    const services = manifests.services.map(
      (svc) =>
        new k8s.core.v1.Service(
          `${name}-${svc.metadata!.name}-service`,
          { metadata: svc.metadata, spec: svc.spec as k8s.types.input.core.v1.ServiceSpec },
          inNamespace,
        ),
    );
    const workloadOpts = {
      ...child,
      dependsOn: [...namespaces, ...policies, ...configMaps, ...secrets, ...services],
    };
    for (const ss of manifests.statefulSets) {
      new k8s.apps.v1.StatefulSet(
        `${name}-${ss.metadata!.name}`,
        { metadata: ss.metadata, spec: ss.spec as k8s.types.input.apps.v1.StatefulSetSpec },
        { ...workloadOpts, deleteBeforeReplace: true },
      );
    }
    for (const ds of manifests.daemonSets) {
      new k8s.apps.v1.DaemonSet(
        `${name}-${ds.metadata!.name}`,
        { metadata: ds.metadata, spec: ds.spec as k8s.types.input.apps.v1.DaemonSetSpec },
        workloadOpts,
      );
    }

    if (helm !== undefined) {
      const chartSecrets = chartTemplates.map((t) =>
        this.secret(name, t, args.secrets, inNamespace),
      );
      const chart = new k8s.helm.v4.Chart(
        `${name}-kube-prometheus-stack`,
        {
          chart: KUBE_PROMETHEUS_STACK_CHART.chart,
          repositoryOpts: { repo: KUBE_PROMETHEUS_STACK_CHART.repo },
          version: helm.version,
          name: HELM_RELEASE_NAME,
          namespace: main,
          values: helm.values,
        },
        { ...child, dependsOn: [...namespaces, ...chartSecrets] },
      );
      const { rule } = helm;
      new k8s.apiextensions.CustomResource(
        `${name}-rules`,
        { apiVersion: rule.apiVersion, kind: rule.kind, metadata: rule.metadata, spec: rule.spec },
        { ...child, dependsOn: [...namespaces, chart] },
      );
    }

    const urls = view.urls;
    this.networkName = pulumi.output(main);
    this.urls = {
      prometheus: pulumi.output(urls.prometheus),
      alertmanager: pulumi.output(urls.alertmanager),
      grafana: pulumi.output(urls.grafana),
      nodeExporter: pulumi.output(urls.nodeExporter),
    };
    this.registerOutputs({
      networkName: this.networkName,
      urls: this.urls,
    });
  }

  /** A Secret from its template, its values the stack's secrets, never plain text. */
  private secret(
    name: string,
    template: SecretTemplate,
    values: MonitoringSecrets,
    opts: pulumi.CustomResourceOptions,
  ): k8s.core.v1.Secret {
    // Every value was checked to be set before any child was declared.
    const entries = template.entries.map((e) =>
      pulumi.output(values[e.secret]!).apply((v) => [e.key, v] as const),
    );
    const stringData = pulumi.all(entries).apply((pairs) => ({
      ...(template.manifest.stringData ?? {}),
      ...Object.fromEntries(pairs),
    }));
    return new k8s.core.v1.Secret(
      `${name}-${template.manifest.metadata!.name}`,
      {
        metadata: template.manifest.metadata,
        type: template.manifest.type,
        stringData: pulumi.secret(stringData),
      },
      { ...opts, additionalSecretOutputs: ["data", "stringData"] },
    );
  }
}
