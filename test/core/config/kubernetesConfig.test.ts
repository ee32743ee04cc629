import { deepStrictEqual, ok } from "node:assert/strict";
import {
  ConfigError,
  parseStackConfig,
  RawStackConfig,
  SecretPresence,
} from "../../../core/config/stackConfig";

const kubernetes = (
  values: Record<string, unknown> = {},
  secrets: Record<string, SecretPresence> = {},
): RawStackConfig => ({
  values: { environment: "staging", platform: "kubernetes", ...values },
  secrets: { grafanaAdminPassword: "encrypted", ...secrets },
});

function problemsOf(raw: RawStackConfig): readonly string[] {
  try {
    parseStackConfig(raw);
  } catch (e) {
    ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
  throw new Error("expected the configuration to be refused");
}

describe("parseStackConfig: the Kubernetes platform keys", () => {
  it("applies the defaults: plain manifests in genesis-monitoring, no host access", () => {
    const cfg = parseStackConfig(kubernetes());
    deepStrictEqual(cfg.platform, "kubernetes");
    deepStrictEqual(cfg.kubernetes, {
      namespace: "genesis-monitoring",
      mode: "plain",
      storageClass: "",
      gateNamespace: "",
      nodeExporterHostAccess: false,
      kubePrometheusStackVersion: "67.8.0",
    });
  });

  it("reads every key as Pulumi hands it (text)", () => {
    const cfg = parseStackConfig(
      kubernetes({
        kubernetesNamespace: "obs",
        kubernetesMode: "helm",
        kubernetesStorageClass: "fast.ssd",
        kubernetesGateNamespace: "genesis-gate",
        kubernetesNodeExporterHostAccess: "true",
        kubePrometheusStackVersion: "68.1.0",
      }),
    );
    deepStrictEqual(cfg.kubernetes, {
      namespace: "obs",
      mode: "helm",
      storageClass: "fast.ssd",
      gateNamespace: "genesis-gate",
      nodeExporterHostAccess: true,
      kubePrometheusStackVersion: "68.1.0",
    });
  });

  const cases: { name: string; values: Record<string, unknown>; problems: string[] }[] = [
    {
      name: "a namespace with capitals",
      values: { kubernetesNamespace: "Genesis" },
      problems: [
        'genesis:kubernetesNamespace must be a DNS label of at most 49 characters (lowercase letters, digits and -); got "Genesis"',
      ],
    },
    {
      name: "a namespace too long for its Node Exporter sibling",
      values: { kubernetesNamespace: "a".repeat(50) },
      problems: [
        `genesis:kubernetesNamespace must be a DNS label of at most 49 characters (lowercase letters, digits and -); got "${"a".repeat(50)}"`,
      ],
    },
    {
      name: "a namespace ending in a dash",
      values: { kubernetesNamespace: "genesis-" },
      problems: [
        'genesis:kubernetesNamespace must be a DNS label of at most 49 characters (lowercase letters, digits and -); got "genesis-"',
      ],
    },
    {
      name: "an unknown mode",
      values: { kubernetesMode: "kustomize" },
      problems: ['genesis:kubernetesMode must be one of plain, helm; got "kustomize"'],
    },
    {
      name: "a storage class with an underscore",
      values: { kubernetesStorageClass: "fast_ssd" },
      problems: [
        'genesis:kubernetesStorageClass must be a StorageClass name (DNS subdomain), or empty for the cluster default; got "fast_ssd"',
      ],
    },
    {
      name: "a gate namespace that is not a DNS label",
      values: { kubernetesGateNamespace: "gate.runner" },
      problems: [
        'genesis:kubernetesGateNamespace must be a namespace name (DNS label), or empty for none; got "gate.runner"',
      ],
    },
    {
      name: "the gate namespace equal to the stack's own",
      values: { kubernetesNamespace: "obs", kubernetesGateNamespace: "obs" },
      problems: [
        'genesis:kubernetesGateNamespace must name another namespace than genesis:kubernetesNamespace (pods inside it already reach the services it allows) or be empty; got "obs"',
      ],
    },
    {
      name: "host access that is not a boolean",
      values: { kubernetesNodeExporterHostAccess: "yes" },
      problems: ['genesis:kubernetesNodeExporterHostAccess must be true or false; got "yes"'],
    },
    {
      name: "a chart version range",
      values: { kubePrometheusStackVersion: "^67" },
      problems: [
        'genesis:kubePrometheusStackVersion must be a chart version such as 67.8.0; got "^67"',
      ],
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}, naming the key, the value and what is allowed`, () => {
      deepStrictEqual(problemsOf(kubernetes(c.values)), c.problems);
    });
  }

  it("reports every Kubernetes problem at once", () => {
    deepStrictEqual(
      problemsOf(kubernetes({ kubernetesMode: "operator", kubernetesNamespace: "-x" })),
      [
        'genesis:kubernetesNamespace must be a DNS label of at most 49 characters (lowercase letters, digits and -); got "-x"',
        'genesis:kubernetesMode must be one of plain, helm; got "operator"',
      ],
    );
  });
});
