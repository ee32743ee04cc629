/**
 * The staging stack on a real Docker engine: a private dockerd (test/support/dockerEngine),
 * the stand-in images built here (images/), and the docker resources exactly as the program
 * registers them (captured under mocks), created by the applier that stands in for the
 * Docker provider (test/support/engineApplier). Grafana and flagd are not run (no package,
 * no image here): every test says so. The reference service reads the flag file itself.
 *
 * Staging's own values, except: a PagerDuty routing key is set (so Alertmanager receives a
 * secret file), and a 2 s scrape interval with an 8 s window keeps the tests short.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { CapturedProgram, captureProgram } from "../../program/captureProgram";
import { stackCaptureConfig } from "../../cli/stackCapture";
import { DEFAULT_IMAGES } from "../../core/config/configKeys";
import { GateSettings } from "../../core/gate/types";
import { MONITORING_NETWORK, PUBLISH_ADDRESS } from "../../core/monitoring/services";
import { ContainerInspect, judgeContainerInspect } from "../../policy/containerInspect";
import { DockerEngine, startDockerEngine } from "../support/dockerEngine";
import { EngineApplier, LeaveOut, localReference } from "../support/engineApplier";
import { runGenesis } from "../support/genesisCli";
import { startGrafanaStandIn, startLoad } from "../support/processes";
import { ProviderHost } from "../support/providerHost";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const SCRAPE_SECONDS = 2;
const WINDOW_SECONDS = 8;
const ROUTING_KEY = "engine-test-routing-key-0123456789";
const ADMIN_PASSWORD = "engine-test-admin-password";

/** What is not run on this engine, and why. */
const LEAVE_OUT: LeaveOut = {
  "genesis-grafana": "Grafana has no Debian package and no image can be pulled",
  "genesis-grafana-config": "its init container runs the Grafana image",
  "genesis-grafana-image": "no Grafana image here",
  "genesis-flagd": "flagd has no package and no image can be pulled",
  "genesis-flagd-image": "no flagd image here",
};

/** Milliseconds each phase took, printed when the suite ends. */
const timings: Record<string, number> = {};
async function timed<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await f();
  } finally {
    timings[what] = Date.now() - t0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(
    `${what}: not within ${timeoutMs} ms${last !== undefined ? `: ${String(last)}` : ""}`,
  );
}

/** The stack's values for a capture at `percentage`, with `extra` on top. */
async function captureStaging(
  percentage: number,
  extra: Record<string, unknown> = {},
): Promise<CapturedProgram> {
  const base = stackCaptureConfig("staging", () => ADMIN_PASSWORD);
  return captureProgram({
    ...base,
    values: {
      ...base.values,
      rolloutPercentage: percentage,
      scrapeIntervalSeconds: SCRAPE_SECONDS,
      validationWindowSeconds: WINDOW_SECONDS,
      ...extra,
    },
    secrets: { grafanaAdminPassword: ADMIN_PASSWORD, pagerDutyRoutingKey: ROUTING_KEY },
  });
}

/** Builds the stand-in images with images/buildImages.sh, tagged as the stack refers to them. */
function buildImages(engine: DockerEngine): Promise<void> {
  const tag = (ref: string) => localReference(ref).tag;
  const args = [
    `prometheus=${tag(DEFAULT_IMAGES.prometheusImage)}`,
    `alertmanager=${tag(DEFAULT_IMAGES.alertmanagerImage)}`,
    `node-exporter=${tag(DEFAULT_IMAGES.nodeExporterImage)}`,
    "node-base=genesis-node-base:20",
    `app=${tag(DEFAULT_IMAGES.appImage)}`,
    "metrics-standin=genesis-metrics-standin:local",
  ];
  return new Promise((resolve, reject) => {
    const proc = spawn("sh", [path.join(PROJECT_DIR, "images", "buildImages.sh"), ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, DOCKER_HOST: engine.host },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
    proc.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`images/buildImages.sh exited with ${code}:\n${out}`)),
    );
  });
}

async function promQuery(
  query: string,
  time?: number,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const url = new URL("http://127.0.0.1:9090/api/v1/query");
  url.searchParams.set("query", query);
  if (time !== undefined) url.searchParams.set("time", String(time));
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; data: { result: never[] } };
  if (body.status !== "success") throw new Error(`${query}: ${JSON.stringify(body)}`);
  return body.data.result;
}

/** The variant the reference service serves each of `users` distinct users, as counts. */
async function variantCounts(users: number, salt: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < users; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, users - i) }, async (_, j) => {
        const res = await fetch(`http://127.0.0.1:8080/work?user=${salt}-${i + j}`, {
          signal: AbortSignal.timeout(5000),
        });
        await res.arrayBuffer();
        return res.headers.get("x-variant") ?? "none";
      }),
    );
    for (const v of batch) counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

describe("the staging stack on a real Docker engine (Grafana and flagd not run: no package or image here)", function () {
  this.timeout(600_000);
  let engine: DockerEngine | undefined;
  let applier: EngineApplier;
  let program: CapturedProgram;
  let containers: Record<string, { id: string; exitCode?: number }> = {};
  const suiteStart = Date.now();

  const inspect = (name: string) =>
    engine!.call<
      ContainerInspect & { Id: string; State: { Status: string; Health?: { Status: string } } }
    >("GET", `/containers/${name}/json`);

  before(async function () {
    engine = await timed("start dockerd", () => startDockerEngine());
    await timed("build images", () => buildImages(engine!));
    program = await timed("capture staging at 0%", () => captureStaging(0));
    applier = new EngineApplier(engine);
    const result = await timed("apply staging", () => applier.apply(program.resources, LEAVE_OUT));
    containers = { ...result.containers };
  });

  after(async () => {
    await engine?.stop();
    timings["whole engine suite"] = Date.now() - suiteStart;
    console.log(
      `    engine layer timings (ms): ${Object.entries(timings)
        .map(([k, v]) => `${k} ${v}`)
        .join("; ")}`,
    );
  });

  it("staging comes up without Grafana and flagd: every healthcheck healthy, every init container exits 0, genesis health passes for every service that runs", async () => {
    await timed("test: comes up", async () => {
      const inits = Object.entries(containers).filter(([n]) => n.endsWith("-config"));
      deepStrictEqual(inits.map(([n, c]) => [n, c.exitCode]).sort(), [
        ["genesis-alertmanager-config", 0],
        ["genesis-flagd-config", 0],
        ["genesis-prometheus-config", 0],
      ]);
      const services = [
        "genesis-prometheus",
        "genesis-alertmanager",
        "genesis-node-exporter",
        "genesis-app",
      ];
      deepStrictEqual(
        Object.keys(containers)
          .filter((n) => !n.endsWith("-config"))
          .sort(),
        [...services].sort(),
      );
      for (const name of services) {
        await until(`${name} healthy`, 90_000, async () => {
          const i = await inspect(name);
          if (i.State.Health === undefined) throw new Error(`${name} has no healthcheck`);
          if (i.State.Status !== "running") throw new Error(`${name} is ${i.State.Status}`);
          return i.State.Health.Status === "healthy" ? true : undefined;
        });
      }
      const { stdout } = await runGenesis(["health", "--stack", "staging", "--json"]);
      const out = JSON.parse(stdout) as {
        checks: { name: string; verdict: string; reason: string }[];
      };
      deepStrictEqual(
        out.checks.map((c) => [c.name, c.name === "grafana health" ? "not run" : c.verdict]),
        [
          ["prometheus health", "pass"],
          ["grafana health", "not run"],
          ["alertmanager health", "pass"],
          ["node-exporter health", "pass"],
          ["app health", "pass"],
        ],
      );
    });
  });

  it("docker inspect of every running container passes the seed's security checks (policy/containerInspect); ports answer on 127.0.0.1 only; the secret file is 0400 and in no environment or label", async () => {
    await timed("test: security from inspect", async () => {
      for (const name of Object.keys(containers)) {
        const i = await inspect(name);
        const findings = judgeContainerInspect(i, {
          network: MONITORING_NETWORK,
          publishAddress: PUBLISH_ADDRESS,
          secretValues: [ROUTING_KEY, ADMIN_PASSWORD],
        });
        if (name.endsWith("-config")) {
          // One-shot init containers: no network at all, writable root (to receive files).
          strictEqual(i.HostConfig.NetworkMode, "none", name);
          const kept = findings.filter(
            (f) => f.check !== "network" && f.check !== "read-only root",
          );
          deepStrictEqual(
            kept.filter((f) => f.verdict === "fail"),
            [],
            name,
          );
        } else {
          deepStrictEqual(
            findings.filter((f) => f.verdict === "fail"),
            [],
            name,
          );
          strictEqual(findings.length, 9);
        }
      }
      const secret = await engine!.docker([
        "exec",
        "genesis-alertmanager",
        "sh",
        "-c",
        "for f in $(find /etc/alertmanager -type f -path '*secret*' -o -type f -name '*key*'); do stat -c '%a %u %n' $f; done",
      ]);
      strictEqual(secret.code, 0, secret.stderr);
      ok(
        /^400 65534 \/etc\/alertmanager\/.+\n$/.test(secret.stdout),
        `secret files: ${JSON.stringify(secret.stdout)}`,
      );
      // Published on 127.0.0.1, and on no other address of this machine.
      const others = Object.values(os.networkInterfaces())
        .flat()
        .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
        .map((a) => a!.address);
      for (const port of [9090, 9093, 9100, 8080]) {
        strictEqual(await connects("127.0.0.1", port), true, `127.0.0.1:${port}`);
        for (const address of others) {
          strictEqual(await connects(address, port), false, `${address}:${port} must not answer`);
        }
      }
      ok(others.length > 0, "this machine has no other IPv4 address to try the ports on");
    });
  });

  it("genesis inspect on this engine (DOCKER_HOST): every running container passes; Grafana and flagd (not run here) are reported not running, exit 1", async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = engine!.host;
    try {
      const run = await runGenesis(["inspect", "--stack", "staging", "--json"]);
      const report = JSON.parse(run.stdout) as {
        missing: string[];
        containers: { name: string; findings: { check: string; verdict: string }[] }[];
        pass: boolean;
      };
      deepStrictEqual(
        [run.code, report.pass, report.missing],
        [1, false, ["genesis-grafana", "genesis-flagd"]],
      );
      deepStrictEqual(
        report.containers.map((c) => c.name),
        ["genesis-prometheus", "genesis-alertmanager", "genesis-node-exporter", "genesis-app"],
      );
      for (const c of report.containers) {
        deepStrictEqual(
          c.findings.filter((f) => f.verdict !== "pass"),
          [],
          c.name,
        );
        strictEqual(c.findings.length, 9);
      }
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it("containers reach each other by alias: the containerized Prometheus scrapes Node Exporter and the reference service (up == 1) and its alerts (Grafana and flagd down: not run) reach the containerized Alertmanager", async () => {
    await timed("test: aliases and alerts", async () => {
      const up = await until("every running target up", 60_000, async () => {
        const r = await promQuery("up");
        const byJob = Object.fromEntries(r.map((s) => [s.metric.job, s.value[1]]));
        if (
          ["prometheus", "alertmanager", "node-exporter", "genesis-app"].every(
            (j) => byJob[j] === "1",
          )
        ) {
          return byJob;
        }
        const res = await fetch("http://127.0.0.1:9090/api/v1/targets", {
          signal: AbortSignal.timeout(5000),
        });
        const t = (await res.json()) as {
          data: { activeTargets: { labels: { job: string }; lastError: string }[] };
        };
        throw new Error(
          JSON.stringify(t.data.activeTargets.map((x) => [x.labels.job, x.lastError])),
        );
      });
      deepStrictEqual(up, {
        prometheus: "1",
        alertmanager: "1",
        "node-exporter": "1",
        "genesis-app": "1",
        grafana: "0",
        flagd: "0",
      });
      const alerts = await until(
        "GenesisMonitoringTargetDown in Alertmanager",
        90_000,
        async () => {
          const res = await fetch("http://127.0.0.1:9093/api/v2/alerts", {
            signal: AbortSignal.timeout(5000),
          });
          const list = (await res.json()) as { labels: Record<string, string> }[];
          const down = list.filter((a) => a.labels.alertname === "GenesisMonitoringTargetDown");
          return down.length > 0 ? down.map((a) => a.labels.job).sort() : undefined;
        },
      );
      ok(alerts.includes("grafana") || alerts.includes("flagd"), JSON.stringify(alerts));
    });
  });

  /**
   * Metrics-only stand-ins on the bridge under the aliases Prometheus scrapes for Grafana and
   * flagd (not run here), then no alert firing: fresh in Prometheus (its own evaluations, not
   * a sample of a replaced Prometheus still inside the 5 min lookback) and none active in
   * Alertmanager. Started before Prometheus is replaced, so that the alerts their absence
   * fired resolve in the Prometheus that fired them.
   */
  /** The stand-ins' container ids (the engine's stop removes them with the rest). */
  const standIns: string[] = [];
  const startStandIns = async () => {
    // Metrics-only stand-ins on the bridge under the aliases Prometheus scrapes.
    for (const [alias, port] of [
      ["grafana", 3000],
      ["flagd", 8014],
    ] as const) {
      const { Id } = await engine!.call<{ Id: string }>(
        "POST",
        `/containers/create?name=genesis-standin-${alias}`,
        {
          Image: "genesis-metrics-standin:local",
          Cmd: [String(port)],
          User: "65534:65534",
          HostConfig: {
            NetworkMode: MONITORING_NETWORK,
            ReadonlyRootfs: true,
            CapDrop: ["ALL"],
            SecurityOpt: ["no-new-privileges:true"],
            Memory: 32 * 1024 * 1024,
          },
          NetworkingConfig: { EndpointsConfig: { [MONITORING_NETWORK]: { Aliases: [alias] } } },
        },
      );
      standIns.push(Id);
      await engine!.call("POST", `/containers/${Id}/start`);
    }
    // No alert firing: fresh evaluations in Prometheus, nothing active in Alertmanager.
    await until("no alert firing once the stand-ins answer", 60_000, async () => {
      const r = await promQuery(
        `last_over_time(ALERTS{alertstate="firing"}[${2 * SCRAPE_SECONDS}s])`,
      );
      if (r.length > 0) {
        const res = await fetch("http://127.0.0.1:9090/api/v1/targets", {
          signal: AbortSignal.timeout(5000),
        });
        const t = (await res.json()) as {
          data: {
            activeTargets: { labels: { job: string }; health: string; lastError: string }[];
          };
        };
        const down = t.data.activeTargets
          .filter((x) => x.health !== "up")
          .map((x) => [x.labels.job, x.lastError]);
        throw new Error(JSON.stringify({ firing: r.map((a) => a.metric), down }));
      }
      return true;
    });
    await until("no alert active in Alertmanager", 60_000, async () => {
      const res = await fetch("http://127.0.0.1:9093/api/v2/alerts?active=true", {
        signal: AbortSignal.timeout(5000),
      });
      const list = (await res.json()) as { labels: Record<string, string> }[];
      if (list.length > 0) throw new Error(JSON.stringify(list.map((a) => a.labels)));
      return true;
    });
  };

  it("data survives replacement: a sample scraped before Prometheus's container is replaced (a rule threshold changes its config) is queryable after (Grafana and flagd not run: their targets answered by metrics-only stand-ins from here on)", async () => {
    await timed("test: data survives replacement", async () => {
      await startStandIns();
      const before = await promQuery('up{job="node-exporter"}');
      deepStrictEqual(
        before.map((s) => s.value[1]),
        ["1"],
      );
      const at = before[0].value[0];
      const oldId = containers["genesis-prometheus"].id;
      program = await captureStaging(0, { errorRateThresholdPercent: 2 });
      const result = await applier.apply(program.resources, LEAVE_OUT);
      deepStrictEqual([...result.replaced].sort(), [
        "genesis-prometheus",
        "genesis-prometheus-config",
      ]);
      containers = { ...result.containers };
      ok(containers["genesis-prometheus"].id !== oldId);
      strictEqual(containers["genesis-prometheus-config"].exitCode, 0);
      await until("Prometheus ready again", 60_000, async () => {
        const res = await fetch("http://127.0.0.1:9090/-/ready", {
          signal: AbortSignal.timeout(2000),
        });
        return res.status === 200 ? true : undefined;
      });
      const after = await promQuery('up{job="node-exporter"}', at);
      deepStrictEqual(
        after.map((s) => [s.value[0], s.value[1]]),
        [[at, "1"]],
      );
    });
  });

  describe("promotion and rollback through the gate in Pulumi's dynamic-provider host (Grafana and flagd not run: their scrape targets answered by a metrics-only stand-in container, Grafana's health by a loopback stand-in, so no target-down alert blocks the gate)", () => {
    let host: ProviderHost | undefined;
    let grafana: Awaited<ReturnType<typeof startGrafanaStandIn>> | undefined;
    let load: { stop(): Promise<void> } | undefined;
    let provider: string;
    let settings: GateSettings;

    before(async () => {
      await sleep((WINDOW_SECONDS + SCRAPE_SECONDS) * 1000);
      grafana = await startGrafanaStandIn();
      load = startLoad("http://127.0.0.1:8080", 40);
      host = await ProviderHost.start();
    });
    after(async () => {
      await load?.stop();
      await host?.stop();
      await grafana?.stop();
    });

    it("0 -> 5 -> 10 -> 0 change the flag file the reference service reads, its canary share follows within one scrape window, and no service container is replaced", async () => {
      await timed("test: promotion and rollback", async () => {
        const gate = program.resources.find(
          (r) => r.type === "pulumi-nodejs:dynamic/gates:RolloutGate",
        )!;
        provider = gate.inputs.__provider as string;
        settings = {
          ...(gate.inputs.settings as GateSettings),
          // 5 % of 40 requests a second is about 16 canary requests in the 8 s window, fewer
          // when the machine is busy: this test is about the flag's path, not the traffic floor.
          minRequestCount: 3,
          endpoints: {
            ...(gate.inputs.settings as GateSettings).endpoints,
            grafanaUrl: grafana!.url,
          },
        };
        strictEqual(settings.endpoints.prometheusUrl, "http://127.0.0.1:9090");
        const created = await host!.create({ ...gate.inputs, settings, targetPercentage: 0 });
        strictEqual(created.outs.percentage, 0);
        // The long-running containers: none may be replaced by a change of stage.
        const serviceIds = () =>
          Object.fromEntries(
            Object.entries(containers)
              .filter(([name]) => !name.endsWith("-config"))
              .map(([name, c]) => [name, c.id]),
          );
        const idsAtStart = serviceIds();
        ok(Object.keys(idsAtStart).includes("genesis-app"), JSON.stringify(idsAtStart));
        let live = created.outs;
        const stages = [
          [5, (n: number) => n > 0 && n < 60],
          [10, (n: number) => n > 0 && n < 100],
          [0, (n: number) => n === 0],
        ] as const;
        for (const [percentage, canary] of stages) {
          // A full validation window of traffic at the live stage before changing it.
          if (percentage > 0) await sleep((WINDOW_SECONDS + 2 * SCRAPE_SECONDS) * 1000);
          live = await host!.update(
            "rollout-gate",
            { ...live, state: { ...(live.state as object), liveSinceMs: Date.now() - 3_600_000 } },
            { __provider: provider, targetPercentage: percentage, settings },
          );
          strictEqual(live.percentage, percentage, JSON.stringify(live.lastDecision));
          program = await captureStaging(percentage, { errorRateThresholdPercent: 2 });
          const applied = Date.now();
          const result = await applier.apply(program.resources, LEAVE_OUT);
          containers = { ...result.containers };
          // Only flagd's one-shot init container runs again, renaming the new flag file in.
          deepStrictEqual(result.replaced, ["genesis-flagd-config"]);
          strictEqual(containers["genesis-flagd-config"].exitCode, 0);
          deepStrictEqual(serviceIds(), idsAtStart, `at ${percentage} %`);
          // The reference service polls its flag file (fs.watchFile, about every 5 s).
          const counts = await until(
            `the reference service serves ${percentage} %`,
            20_000,
            async () => {
              const c = await variantCounts(400, `p${percentage}-${Date.now()}`);
              return canary(c.canary ?? 0) ? c : undefined;
            },
          );
          const servedMs = Date.now() - applied;
          // Prometheus sees it within one scrape window after the service serves it.
          const seen = await until(
            `Prometheus sees the ${percentage} % share`,
            SCRAPE_SECONDS * 1000 + 5000,
            async () => {
              const r = await promQuery(
                `sum(increase(http_requests_total{job="genesis-app",variant="canary"}[${2 * SCRAPE_SECONDS}s])) or vector(0)`,
              );
              const n = Number(r[0]?.value[1] ?? "0");
              return (percentage > 0 ? n > 0 : n === 0) ? n : undefined;
            },
          );
          timings[`served ${percentage}% after apply`] = servedMs;
          ok(counts.stable > 0 && seen >= 0);
        }
      });
    });
  });

  // Defined last, so it runs after every other test of this file (mocha runs a suite's child
  // suites in order, after its own tests).
  describe("stopping the engine", () => {
    it("removes the stack's network through the engine: its bridge interface does not outlive the daemon", async () => {
      const networks = await engine!.call<{ Id: string; Name: string }[]>("GET", "/networks");
      const bridges = networks
        .filter((n) => n.Name === MONITORING_NETWORK)
        .map((n) => `br-${n.Id.slice(0, 12)}`);
      strictEqual(bridges.length, 1);
      ok(existsSync(`/sys/class/net/${bridges[0]}`), `${bridges[0]} exists while the engine runs`);
      await engine!.stop();
      deepStrictEqual(
        bridges.filter((b) => existsSync(`/sys/class/net/${b}`)),
        [],
      );
    });
  });
});

/** Whether a TCP connection to address:port is accepted. */
function connects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port, timeout: 2000 });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("timeout", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(false));
  });
}
