/**
 * `npm run bench:cli`: how long the `genesis` command takes from process start to exit, as
 * an operator runs it (`node bin/genesis.js ...`), side by side with `node -e 0` (Node's own
 * start): `genesis --help` (target <= 3x) and one `genesis gate` decision end to end against
 * a real Prometheus 2.42 scraping the reference service (target <= 8x).
 *
 * The services run on random loopback ports: the reference service (app/server.ts) under
 * steady traffic, Prometheus, Alertmanager and Node Exporter from Debian's packages, and the
 * Grafana /api/health stand-in (test/support/processes.ts). The commands run in turn
 * (node, help, gate, node, help, gate, ...) so a drift of the machine's speed hits each the
 * same; medians are shown, and each command's median ratio to `node -e 0` pair by pair.
 *
 * It builds the CLI first (`npm run build`) and reports whether bin/genesis.js ran the
 * compiled CLI or fell back to ts-node (a source edited after the build); a ts-node figure
 * of `--help` is printed too, for comparison.
 */
import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startApp, RunningApp } from "../app/server";
import { renderFlagdFlags } from "../core/render/flagdFlags";
import {
  Service,
  startAlertmanager,
  startGrafanaStandIn,
  startLoad,
  startNodeExporter,
  startPrometheus,
} from "../test/support/processes";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin", "genesis.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const WARMUP_RUNS = 2;
const TS_NODE_RUNS = 3;
const WINDOW_SECONDS = 8;
const HELP_TARGET = 3;
const GATE_TARGET = 8;

/** One finished process: its wall time from spawn to exit, exit code and output. */
interface Timed {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node args` from the project directory and times it from spawn to exit. */
function timeNode(args: readonly string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) =>
      resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code, stdout, stderr }),
    );
  });
}

/** The median of `values`. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Which CLI bin/genesis.js runs now: "compiled" when a `--help` loads no ts-node, else
 * "ts-node" (the build is older than a source).
 */
async function cliMode(): Promise<"compiled" | "ts-node"> {
  const probe = [
    `process.argv = ${JSON.stringify([process.execPath, BIN, "--help"])};`,
    "process.stdout.write = () => true;",
    "const exit = process.exit;",
    "process.exit = (code) => {",
    "  const tsNode = Object.keys(require.cache).some((f) => f.includes('/node_modules/ts-node/'));",
    "  process.stderr.write(tsNode ? 'ts-node' : 'compiled');",
    "  exit(code);",
    "};",
    `require(${JSON.stringify(BIN)});`,
  ].join("\n");
  const { stderr } = await timeNode(["-e", probe]);
  return stderr.trim() === "compiled" ? "compiled" : "ts-node";
}

/** The services a gate decision reads, on random loopback ports. */
interface Services {
  readonly app: RunningApp;
  readonly prometheus: Service;
  readonly alertmanager: Service;
  readonly nodeExporter: Service;
  readonly grafana: Service;
  readonly load: { stop(): Promise<void> };
}

/** Starts the reference service at 50 % under traffic and the tools that watch it. */
async function startServices(dir: string): Promise<Services> {
  const flagFile = path.join(dir, "flags.json");
  writeFileSync(flagFile, renderFlagdFlags(50));
  const app = await startApp({ flagFile, port: 0, name: "bench" });
  const [prometheus, alertmanager, nodeExporter, grafana] = await Promise.all([
    startPrometheus([app.instance], 1),
    startAlertmanager(),
    startNodeExporter(),
    startGrafanaStandIn(),
  ]);
  const load = startLoad(`http://${app.instance}`, 20);
  return { app, prometheus, alertmanager, nodeExporter, grafana, load };
}

/** Stops what {@link startServices} started. */
async function stopServices(s: Services): Promise<void> {
  await s.load.stop();
  await Promise.all([s.prometheus, s.alertmanager, s.nodeExporter, s.grafana].map((x) => x.stop()));
  await s.app.stop();
}

/** A project directory with this project's Pulumi.yaml and a stack `bench` for the gate. */
function writeBenchStack(dir: string): void {
  copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  writeFileSync(
    path.join(dir, "Pulumi.bench.yaml"),
    [
      "config:",
      "  genesis:environment: staging",
      "  genesis:rolloutPercentage: 50",
      `  genesis:validationWindowSeconds: ${WINDOW_SECONDS}`,
      "  genesis:scrapeIntervalSeconds: 1",
      "  genesis:minRequestCount: 40",
      "  genesis:grafanaAdminPassword:",
      "    secure: AAABAMbench",
      "",
    ].join("\n"),
  );
}

/** Formats `ms` as seconds with 3 decimals. */
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

async function main(): Promise<void> {
  console.log("building the CLI (npm run build) ...");
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: ROOT,
  }).catch((e: { stdout?: string }) => {
    throw new Error(`npm run build failed (a source mid-edit?):\n${e.stdout ?? String(e)}`);
  });
  const modeBefore = await cliMode();

  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-cli-bench-"));
  writeBenchStack(dir);
  const services = await startServices(dir);
  try {
    console.log(`waiting ${WINDOW_SECONDS + 2} s for a validation window of scrapes ...`);
    await new Promise((r) => setTimeout(r, (WINDOW_SECONDS + 2) * 1000));

    const liveSince = new Date(Date.now() - (WINDOW_SECONDS + 5) * 1000).toISOString();
    const gateArgs = [
      BIN,
      "gate",
      "--project-dir",
      dir,
      "--stack",
      "bench",
      "--prometheus-url",
      services.prometheus.url,
      "--grafana-url",
      services.grafana.url,
      "--alertmanager-url",
      services.alertmanager.url,
      "--node-exporter-url",
      services.nodeExporter.url,
      "--app-url",
      `http://${services.app.instance}/health`,
      "--app-instance",
      services.app.instance,
      "--from",
      "50",
      "--to",
      "75",
      "--live-since",
      liveSince,
      "--json",
    ];
    const commands = {
      "node -e 0": ["-e", "0"],
      "genesis --help": [BIN, "--help"],
      "genesis gate": gateArgs,
    } as const;
    type Name = keyof typeof commands;
    const names = Object.keys(commands) as Name[];

    const first = await timeNode(gateArgs);
    if (first.code !== 0) {
      throw new Error(`genesis gate exited ${first.code}:\n${first.stdout}${first.stderr}`);
    }
    const decision = JSON.parse(first.stdout) as { decision?: unknown; verdict?: unknown };
    console.log(
      `genesis gate decides: ${JSON.stringify(decision.decision ?? decision.verdict)} (exit 0)`,
    );

    const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<
      Name,
      number[]
    >;
    for (let i = 0; i < WARMUP_RUNS + RUNS; i++) {
      for (const name of names) {
        const run = await timeNode(commands[name]);
        if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${run.stderr}`);
        if (i >= WARMUP_RUNS) times[name].push(run.ms);
      }
    }
    const tsNodeHelp: number[] = [];
    for (let i = 0; i < TS_NODE_RUNS; i++) {
      const run = await timeNode([
        "-r",
        "ts-node/register/transpile-only",
        "-e",
        'require("./cli/main").main(["node", "genesis", "--help"]).then((c) => process.exit(c))',
      ]);
      tsNodeHelp.push(run.ms);
    }
    const modeAfter = await cliMode();

    const base = times["node -e 0"];
    const pairRatio = (name: Name) => median(times[name].map((t, i) => t / base[i]));
    console.log(
      `\nbin/genesis.js ran the ${modeBefore === modeAfter ? modeBefore : `${modeBefore} then ${modeAfter}`} CLI; ${RUNS} runs each after ${WARMUP_RUNS} warm-up, in turn, wall time from spawn to exit\n`,
    );
    console.log(
      "command                      median     min        max        x node -e 0 (pairs)",
    );
    for (const name of names) {
      const t = times[name];
      console.log(
        `${name.padEnd(28)} ${seconds(median(t)).padEnd(10)} ${seconds(Math.min(...t)).padEnd(10)} ${seconds(Math.max(...t)).padEnd(10)} ${pairRatio(name).toFixed(2)}`,
      );
    }
    console.log(
      `${"--help through ts-node".padEnd(28)} ${seconds(median(tsNodeHelp)).padEnd(10)} ${seconds(Math.min(...tsNodeHelp)).padEnd(10)} ${seconds(Math.max(...tsNodeHelp)).padEnd(10)} ${(median(tsNodeHelp) / median(base)).toFixed(2)} (${TS_NODE_RUNS} runs, for comparison)`,
    );
    const help = pairRatio("genesis --help");
    const gate = pairRatio("genesis gate");
    console.log(
      `\ngenesis --help: ${help.toFixed(2)}x node -e 0 (target <= ${HELP_TARGET}x: ${help <= HELP_TARGET ? "met" : "NOT met"})`,
    );
    console.log(
      `genesis gate:   ${gate.toFixed(2)}x node -e 0 (target <= ${GATE_TARGET}x: ${gate <= GATE_TARGET ? "met" : "NOT met"})`,
    );
  } finally {
    await stopServices(services);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
