/**
 * The security gate's bridge-not-host check (CI runs it on its own with
 * `npm run check:bridge`): the production Docker stack, declared under Pulumi's mocks, puts
 * every container on its user-defined bridge (or on no network), never on the host's
 * network or PID namespace, never mounts the Docker socket, and publishes on 127.0.0.1 only.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { completedStack } from "../../support/stacks";

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

describe("production Docker stack: bridge, never host (security gate)", () => {
  it("every container is on the bridge or on no network, with no host namespaces or Docker socket", async () => {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          return {
            id: `${args.name}-id`,
            state: { ...args.inputs, name: args.inputs.name ?? args.name, imageId: "sha256:0" },
          };
        },
        call(args) {
          return args.inputs;
        },
      },
      "genesis",
      "production",
      false,
    );
    const { DockerMonitoringStack } = await import("../../../components/docker/monitoringStack");
    const stack = new DockerMonitoringStack("genesis", {
      config: completedStack("production"),
      secrets: {
        grafanaAdminPassword: pulumi.secret("x"),
        pagerDutyRoutingKey: pulumi.secret("y"),
        smtpPassword: pulumi.secret("z"),
      },
    });
    await Promise.all(
      Object.values(stack.containers).map(
        (c) => new Promise<void>((resolve) => c.urn.apply(() => resolve())),
      ),
    );
    const networks = registered.filter((r) => r.type === "docker:index/network:Network");
    strictEqual(networks.length, 1);
    const bridge = networks[0].inputs;
    strictEqual(bridge.driver ?? "bridge", "bridge");
    strictEqual(typeof bridge.name, "string");
    const containers = registered.filter((r) => r.type === "docker:index/container:Container");
    const onBridge = containers.filter((c) => c.inputs.networkMode === bridge.name).length;
    ok(onBridge >= 4, `the four services run on the bridge; ${onBridge} do`);
    ok(containers.length >= 4, `expected the four services' containers; got ${containers.length}`);
    const problems: string[] = [];
    for (const c of containers) {
      const i = c.inputs;
      if (i.networkMode !== bridge.name && i.networkMode !== "none") {
        problems.push(`${c.name}: networkMode ${String(i.networkMode)}`);
      }
      if (i.pidMode === "host") problems.push(`${c.name}: pidMode host`);
      if (i.ipcMode === "host") problems.push(`${c.name}: ipcMode host`);
      if (i.privileged === true) problems.push(`${c.name}: privileged`);
      const mounts = [
        ...((i.mounts as { source?: string }[]) ?? []),
        ...((i.volumes as { hostPath?: string }[]) ?? []),
      ];
      for (const m of mounts) {
        const source =
          (m as { source?: string; hostPath?: string }).source ??
          (m as { hostPath?: string }).hostPath;
        if (source !== undefined && source.includes("docker.sock"))
          problems.push(`${c.name}: mounts ${source}`);
      }
      for (const p of (i.ports as { ip?: string }[]) ?? []) {
        if (p.ip !== "127.0.0.1") problems.push(`${c.name}: publishes on ${String(p.ip)}`);
      }
    }
    deepStrictEqual(problems, []);
  });
});
