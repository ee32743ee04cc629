/**
 * The security gate's bridge-not-host check (CI runs it on its own with
 * `npm run check:bridge`): every resource the program declares, on both platforms and for
 * both stacks (the monitoring stack, flagd, its init containers and the reference service),
 * is judged by policy/hostAttachment.ts, and the judge is shown to catch every way a
 * container or pod can reach the host's network or namespaces.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { captureProgram, CapturedResource } from "../../../program/captureProgram";
import { stackCaptureConfig } from "../../../cli/stackCapture";
import { DeclaredResource, hostAttachment } from "../../../policy/hostAttachment";
import { OPERATOR_SECRETS, PRODUCTION_OPERATOR_VALUES } from "../../policy/stacks";

type Env = "staging" | "production";

async function declared(env: Env, values: Record<string, unknown> = {}) {
  const base = stackCaptureConfig(env, (name) => OPERATOR_SECRETS[env][name] ?? "");
  const { resources } = await captureProgram({
    ...base,
    values: {
      ...base.values,
      ...(env === "production" ? PRODUCTION_OPERATOR_VALUES : {}),
      ...values,
    },
    secrets: OPERATOR_SECRETS[env],
  });
  return resources;
}

const CONTAINER = "docker:index/container:Container";

/** The monitoring stack's and the delivery's containers, init containers included. */
const MONITORING = ["prometheus", "alertmanager", "grafana", "node-exporter"];
const expectedContainers = (env: Env): string[] => [
  ...MONITORING.flatMap((s) =>
    s === "node-exporter" ? [`genesis-${s}`] : [`genesis-${s}-config`, `genesis-${s}`],
  ),
  "genesis-flagd-config",
  "genesis-flagd",
  ...(env === "staging" ? ["genesis-app"] : []),
];

describe("bridge, never host: every resource of every stack (security gate)", function () {
  this.timeout(60_000);

  for (const env of ["staging", "production"] as const) {
    it(`docker ${env}: every container (monitoring, flagd, init${env === "staging" ? ", the reference service" : ""}) is on the stack's bridge or on no network`, async () => {
      const resources = await declared(env);
      const report = hostAttachment(resources);
      deepStrictEqual([...report.containers].sort(), expectedContainers(env).sort());
      deepStrictEqual(report.problems, []);
    });
  }

  const kubernetesCases: [Env, Record<string, unknown>][] = [
    ["staging", {}],
    ["production", {}],
    ["production", { kubernetesNodeExporterHostAccess: true }],
    ["production", { kubernetesMode: "helm" }],
  ];
  for (const [env, values] of kubernetesCases) {
    it(`kubernetes ${env} ${JSON.stringify(values)}: no pod in the node's network, PID or IPC namespace, no hostPort`, async () => {
      const resources = await declared(env, { platform: "kubernetes", ...values });
      const report = hostAttachment(resources);
      ok(report.kubernetes.length >= 5, `judged ${report.kubernetes.length} resources`);
      deepStrictEqual(report.containers, []);
      deepStrictEqual(report.problems, []);
    });
  }

  describe("the judge catches every way onto the host", () => {
    let production: readonly CapturedResource[];
    before(async () => {
      production = await declared("production");
    });

    /** The production stack with `change` applied to the inputs of resource `name`. */
    const changed = (
      name: string,
      change: (inputs: Record<string, unknown>) => Record<string, unknown>,
    ): DeclaredResource[] =>
      production.map((r) => (r.name === name ? { ...r, inputs: change({ ...r.inputs }) } : r));

    const faults: [string, () => DeclaredResource[], string[]][] = [
      [
        "an extra networksAdvanced entry for host",
        () =>
          changed("genesis-flagd", (i) => ({
            ...i,
            networksAdvanced: [...(i.networksAdvanced as unknown[]), { name: "host" }],
          })),
        [
          `container genesis-flagd: networksAdvanced[1].name "host"; allowed: the stack's bridge "genesis-monitoring"`,
        ],
      ],
      [
        "networkMode host",
        () => changed("genesis-prometheus", (i) => ({ ...i, networkMode: "host" })),
        [
          `container genesis-prometheus: networkMode "host"; allowed: the stack's bridge "genesis-monitoring" or "none"`,
        ],
      ],
      [
        "the default docker0 bridge",
        () => changed("genesis-grafana", (i) => ({ ...i, networkMode: "bridge" })),
        [
          `container genesis-grafana: networkMode "bridge"; allowed: the stack's bridge "genesis-monitoring" or "none"`,
        ],
      ],
      [
        "another container's network namespace",
        () =>
          changed("genesis-alertmanager", (i) => ({ ...i, networkMode: "container:genesis-x" })),
        [
          `container genesis-alertmanager: networkMode "container:genesis-x"; allowed: the stack's bridge "genesis-monitoring" or "none"`,
        ],
      ],
      [
        "host PID, UTS and user namespaces",
        () =>
          changed("genesis-node-exporter", (i) => ({
            ...i,
            pidMode: "host",
            utsMode: "host",
            usernsMode: "host",
          })),
        [
          'container genesis-node-exporter: pidMode "host"; leave it private',
          'container genesis-node-exporter: utsMode "host"; leave it private',
          'container genesis-node-exporter: usernsMode "host"; leave it private',
        ],
      ],
      [
        "a port on every address",
        () =>
          changed("genesis-grafana", (i) => ({
            ...i,
            ports: [{ internal: 3000, external: 3000, ip: "0.0.0.0" }],
          })),
        ['container genesis-grafana: ports[0] published on "0.0.0.0"; allowed: "127.0.0.1"'],
      ],
      [
        "the Docker socket and privilege",
        () =>
          changed("genesis-flagd-config", (i) => ({
            ...i,
            privileged: true,
            volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/s" }],
          })),
        [
          "container genesis-flagd-config: privileged",
          'container genesis-flagd-config: mounts the Docker socket "/var/run/docker.sock"',
        ],
      ],
      [
        "a macvlan network",
        () =>
          production.map((r) =>
            r.type === "docker:index/network:Network"
              ? { ...r, inputs: { ...r.inputs, driver: "macvlan" } }
              : r,
          ),
        ['network genesis-network: driver "macvlan"; use the bridge driver'],
      ],
    ];
    for (const [title, resources, expected] of faults) {
      it(`${title}`, () => {
        const problems = hostAttachment(resources()).problems;
        // A broken network makes every container's bridge unknown: judge the named ones.
        deepStrictEqual(
          problems.filter((p) => expected.some((e) => e.split(":")[0] === p.split(":")[0])),
          expected,
        );
      });
    }

    it("a pod with hostNetwork, hostPID or a hostPort, in a workload or in chart values", () => {
      const report = hostAttachment([
        {
          type: "kubernetes:apps/v1:DaemonSet",
          name: "node-exporter",
          inputs: {
            spec: {
              template: {
                spec: {
                  hostNetwork: true,
                  hostPID: true,
                  hostIPC: false,
                  containers: [{ name: "c", ports: [{ containerPort: 9100, hostPort: 9100 }] }],
                },
              },
            },
          },
        },
        {
          type: "kubernetes:helm.sh/v4:Chart",
          name: "chart",
          inputs: { values: { prometheus: { prometheusSpec: { hostNetwork: true } } } },
        },
      ]);
      deepStrictEqual(report.problems, [
        "kubernetes:apps/v1:DaemonSet node-exporter: spec.template.spec.hostNetwork is true",
        "kubernetes:apps/v1:DaemonSet node-exporter: spec.template.spec.hostPID is true",
        "kubernetes:apps/v1:DaemonSet node-exporter: spec.template.spec.containers[0].ports[0].hostPort 9100 publishes on the node",
        "kubernetes:helm.sh/v4:Chart chart: values.prometheus.prometheusSpec.hostNetwork is true",
      ]);
    });

    it("the stack's one network is the bridge genesis-monitoring", () => {
      deepStrictEqual(
        production
          .filter((r) => r.type === "docker:index/network:Network")
          .map((r) => [r.inputs.name, r.inputs.driver ?? "bridge"]),
        [["genesis-monitoring", "bridge"]],
      );
    });

    it("judges every container the stack declares (none is skipped)", () => {
      deepStrictEqual(
        hostAttachment(production).containers,
        production.filter((r) => r.type === CONTAINER).map((r) => r.name),
      );
    });
  });
});
