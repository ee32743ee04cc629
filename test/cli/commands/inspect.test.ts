/**
 * `genesis inspect` without an engine to ask, and the stack judge it uses. The engine test
 * (test/engine/stack.test.ts) runs it against containers a real Docker engine runs.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ContainerInspect, judgeStackContainers } from "../../../policy/containerInspect";
import { runGenesis as genesis } from "../../support/genesisCli";

const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");
const EXPECT = { network: "genesis-monitoring", publishAddress: "127.0.0.1", secretValues: [] };

const hardened = (name: string, env: string[] = []): ContainerInspect => ({
  Name: `/${name}`,
  Config: { User: "65534:65534", Env: ["PATH=/bin", ...env], Labels: {} },
  HostConfig: {
    NetworkMode: "genesis-monitoring",
    ReadonlyRootfs: true,
    Privileged: false,
    CapAdd: null,
    CapDrop: ["ALL"],
    SecurityOpt: ["no-new-privileges:true"],
    Memory: 268435456,
    PortBindings: {},
  },
  NetworkSettings: { Networks: { "genesis-monitoring": {} }, Ports: {} },
});

describe("genesis inspect", () => {
  const withEnv = async (env: Record<string, string>, args: string[]) => {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      return await genesis(args);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };

  it("no docker CLI on PATH: exit 2, one line saying what to install", async () => {
    const r = await withEnv({ PATH: "/nonexistent" }, ["inspect", "--stack", "staging"]);
    deepStrictEqual(
      [r.code, r.stdout, r.stderr],
      [
        2,
        "",
        "genesis inspect: the docker CLI was not found on PATH: run this on the deployment host, or install Docker's CLI (Debian: apt-get install docker.io)\n",
      ],
    );
  });

  it("no engine at DOCKER_HOST: exit 2 (cannot decide), never a pass", async () => {
    const r = await withEnv({ DOCKER_HOST: "unix:///nonexistent/docker.sock" }, [
      "inspect",
      "--stack",
      "staging",
    ]);
    strictEqual(r.code, 2, r.stdout + r.stderr);
    strictEqual(r.stderr.startsWith("genesis inspect: "), true, r.stderr);
  });

  it("a Kubernetes stack is a usage error naming the platform", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-inspect-"));
    try {
      copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      writeFileSync(
        path.join(dir, "Pulumi.k8s.yaml"),
        "config:\n  genesis:environment: staging\n  genesis:platform: kubernetes\n",
      );
      const r = await genesis(["inspect", "--stack", "k8s", "--project-dir", dir]);
      deepStrictEqual(
        [r.code, r.stderr],
        [
          64,
          "genesis inspect judges Docker containers; stack k8s runs on genesis:platform kubernetes\n",
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("judgeStackContainers", () => {
  it("every declared container runs and passes: pass", () => {
    const r = judgeStackContainers(["a", "b"], [hardened("a"), hardened("b")], EXPECT);
    deepStrictEqual([r.pass, r.missing, r.containers.map((c) => c.name)], [true, [], ["a", "b"]]);
  });

  it("a declared container that does not run fails, named", () => {
    const r = judgeStackContainers(["a", "b"], [hardened("a")], EXPECT);
    deepStrictEqual([r.pass, r.missing], [false, ["b"]]);
  });

  it("a secret-named variable holding a value inline fails, without knowing the value", () => {
    const r = judgeStackContainers(
      ["a", "b"],
      [
        hardened("a", ["GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana/secrets/admin-password"]),
        hardened("b", ["GF_SECURITY_ADMIN_PASSWORD=hunter2"]),
      ],
      EXPECT,
    );
    const secrets = r.containers.map((c) => c.findings.find((f) => f.check === "secrets absent")!);
    deepStrictEqual(
      secrets.map((f) => [f.verdict, f.reason]),
      [
        ["pass", "no secret value in Config.Env or Config.Labels"],
        ["fail", "a secret value appears in Config.Env (GF_SECURITY_ADMIN_PASSWORD inline)"],
      ],
    );
    strictEqual(r.pass, false);
  });
});
