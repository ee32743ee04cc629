/**
 * `npm run demo`: a gated rollout in a few minutes, without Pulumi or Docker.
 *
 * Starts Prometheus, Alertmanager and Node Exporter from Debian's packages (as the
 * integration tests do, with the same functions), the reference service and a stand-in for
 * Grafana's /api/health, all on free loopback ports, and Pulumi's own dynamic-provider host.
 * Then `genesis rollout` runs with short windows against a stand-in stack whose `pulumi up`
 * runs the real gate and verdict in that host (scripts/demoStack.ts):
 *   1. at low traffic the 0 % stage cannot be judged, so it is not promoted, and a
 *      `pulumi up` to 5 % anyway is refused by the gate (too little traffic);
 *   2. at full traffic it promotes 0 -> 5 -> 10 -> 25 %; a fault is injected into the canary
 *      at 25 % (POST /admin/faults) and the rollout rolls back to 10 % by itself, writing the
 *      incident report;
 *   3. `genesis report` writes the daily update (Markdown and HTML with charts).
 * Everything it started is stopped at the end, on an error and on Ctrl-C.
 *
 * Options: `--out DIR` (default reports/demo-<time>/). GENESIS_DEMO_WINDOW_SECONDS sets the
 * validation window (default 20 s; the test uses less).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startApp } from "../app/server";
import { NO_FAULTS } from "../app/faults";
import { captureProgram } from "../program/captureProgram";
import { stackCaptureConfig } from "../cli/stackCapture";
import { main as genesis } from "../cli/main";
import { useRolloutEnvironment } from "../cli/commands/rollout";
import { SYSTEM_CLOCK } from "../cli/rollout/driver";
import { terminalDisplay } from "../cli/rollout/display";
import { PERCENTAGE_KEY } from "../core/rollout/rolloutStack";
import { ProviderHost } from "../test/support/providerHost";
import {
  startAlertmanager,
  startGrafanaStandIn,
  startLoad,
  startNodeExporter,
  startPrometheus,
} from "../test/support/processes";
import { DemoStack, openDemoStack } from "./demoStack";

const PROJECT_DIR = path.resolve(__dirname, "..");
const STACK = "demo";
/** Full traffic, requests per second (the canary gets its percentage of it). */
const FULL_LOAD_PER_SECOND = 150;
/** The canary's fault at 25 %: half its requests answer 500. */
const FAULT = { ...NO_FAULTS, errorPercent: 50 };

const ENGINE_NOTE = [
  "The Pulumi engine is stood in for by an in-process stack: `pulumi up` here runs the",
  "rollout gate and verdict exactly as the program declares them, in Pulumi's own",
  "dynamic-provider host (Check, Diff, Update), then rewrites the flag file the service reads.",
  "A real `pulumi up` adds: a state backend (here state lives in memory), previews of the",
  "whole program, the Docker provider creating the containers, networks and volumes, and",
  "policy packs. Grafana is a stand-in answering /api/health (Grafana has no Debian package).",
].join("\n");

const say = (line = ""): void => {
  process.stdout.write(`${line}\n`);
};
const heading = (line: string): void => say(`\n=== ${line} ===`);

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** One request a second: too little traffic for the gate to judge. */
function startTrickle(baseUrl: string): { stop(): void } {
  let n = 0;
  const timer = setInterval(() => {
    void fetch(`${baseUrl}/work?user=trickle-${n++}`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
  }, 1000);
  return { stop: () => clearInterval(timer) };
}

/** The stack settings file of the demo stack. */
function stackFile(values: Record<string, string | number | boolean>): string {
  return [
    "# Written by npm run demo: short windows, everything on loopback.",
    "config:",
    ...Object.entries(values).map(([k, v]) => `  genesis:${k}: ${JSON.stringify(v)}`),
    "  genesis:grafanaAdminPassword:",
    "    secure: AAABAMdemo",
    "",
  ].join("\n");
}

async function run(signal: AbortSignal, stops: (() => Promise<void>)[]): Promise<number> {
  const windowSeconds = Number(process.env.GENESIS_DEMO_WINDOW_SECONDS ?? "20");
  if (!Number.isInteger(windowSeconds) || windowSeconds < 4) {
    say(`GENESIS_DEMO_WINDOW_SECONDS must be a whole number, 4 or more; got ${windowSeconds}`);
    return 64;
  }
  const outArg = process.argv.indexOf("--out");
  const out = path.resolve(
    outArg > 0 && process.argv[outArg + 1] !== undefined
      ? process.argv[outArg + 1]
      : path.join(
          PROJECT_DIR,
          "reports",
          `demo-${new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)}`,
        ),
  );
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), "genesis-demo-"));
  stops.push(async () => rmSync(work, { recursive: true, force: true }));

  say("Genesis rollout demo: a gated, staged rollout against real Prometheus, in a few minutes.");
  say(ENGINE_NOTE);
  say(`Validation window: ${windowSeconds} s. Reports go to: ${out}`);

  heading("Starting the tools on free loopback ports");
  const flagFile = path.join(work, "flags.json");
  writeFileSync(flagFile, '{"flags":{}}\n');
  const app = await startApp({ flagFile, port: 0, name: "demo" });
  stops.push(() => app.stop());
  const started = await Promise.allSettled([
    startPrometheus([app.instance], 1),
    startAlertmanager(),
    startNodeExporter(),
    startGrafanaStandIn(),
    ProviderHost.start(),
  ]);
  for (const s of started) if (s.status === "fulfilled") stops.push(() => s.value.stop());
  const failed = started.find((s) => s.status === "rejected");
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  const [prometheus, alertmanager, nodeExporter, grafana, host] = started.map(
    (s) => (s as PromiseFulfilledResult<unknown>).value,
  ) as [{ url: string }, { url: string }, { url: string }, { url: string }, ProviderHost];
  say(`reference service  http://${app.instance}  (flag file ${flagFile})`);
  say(`Prometheus         ${prometheus.url}  (scrapes the service every second)`);
  say(`Alertmanager       ${alertmanager.url}`);
  say(`Node Exporter      ${nodeExporter.url}`);
  say(`Grafana stand-in   ${grafana.url}/api/health  (answers as Grafana does; not Grafana)`);
  say("Pulumi's dynamic-provider host (node_modules/@pulumi/pulumi/cmd/dynamic-provider)");
  if (signal.aborted) return 130;

  // The project: Pulumi.yaml and a stack file, in a folder of its own.
  const projectDir = path.join(work, "project");
  mkdirSync(projectDir);
  copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
  const values = {
    environment: "staging",
    rolloutPercentage: 0,
    validationWindowSeconds: windowSeconds,
    scrapeIntervalSeconds: 1,
    minRequestCount: 2 * windowSeconds,
    cooldownSeconds: windowSeconds,
    autoRollback: true,
    signoffHours: 1,
    appMetricsTarget: app.instance,
    prometheusUrl: prometheus.url,
    grafanaUrl: grafana.url,
    alertmanagerUrl: alertmanager.url,
    nodeExporterUrl: nodeExporter.url,
    appHealthUrl: `http://${app.instance}/health`,
    deploymentLeadEmail: "lead@example.org",
    onCallEmail: "oncall@example.org",
  };
  writeFileSync(path.join(projectDir, `Pulumi.${STACK}.yaml`), stackFile(values));

  say("Capturing the rollout gate and verdict from the program (index.ts, under mocks) ...");
  const program = await captureProgram(
    stackCaptureConfig(STACK, () => "demo-password", projectDir),
  );
  const gate = program.resources.find((r) => r.type.endsWith("dynamic/gates:RolloutGate"));
  const verdict = program.resources.find((r) => r.type.endsWith("dynamic/gates:RolloutVerdict"));
  if (gate === undefined || verdict === undefined) {
    throw new Error("the program declares no RolloutGate and RolloutVerdict");
  }
  let faultInjected = false;
  const stack: DemoStack = await openDemoStack({
    name: STACK,
    host,
    gateInputs: { ...gate.inputs },
    verdictProvider: verdict.inputs.__provider as string,
    percentage: 0,
    flagFile,
    onEngineCall(line) {
      say(`  [pulumi up] ${line}`);
      if (!faultInjected && stack.gate().percentage === 25) {
        faultInjected = true;
        say("  [demo] 25% is live: injecting a fault into the canary (POST /admin/faults):");
        say(`         ${FAULT.errorPercent}% of the canary's requests now answer 500`);
        void fetch(`http://${app.instance}/admin/faults`, {
          method: "POST",
          body: JSON.stringify({ variant: "canary", ...FAULT }),
        }).catch((e: Error) => say(`  [demo] the fault could not be injected: ${e.message}`));
      }
    },
  });
  const restore = useRolloutEnvironment({
    openStack: async () => stack,
    clock: SYSTEM_CLOCK,
    display: () => terminalDisplay(process.stdout),
    confirm: async () => true,
  });
  stops.push(async () => void useRolloutEnvironment(restore));
  const cli = ["--stack", STACK, "--project-dir", projectDir];

  heading("1. Low traffic (one request a second): nothing can be promoted");
  const trickle = startTrickle(`http://${app.instance}`);
  stops.push(async () => trickle.stop());
  say(`$ genesis rollout --stack ${STACK} --yes   (bakes 0% for ${windowSeconds} s, then decides)`);
  const first = await genesis(["node", "genesis", "rollout", ...cli, "--yes", "--report-dir", out]);
  say(`genesis rollout exited ${first}${first === 2 ? " (could not judge: not promoted)" : ""}`);
  if (signal.aborted) return 130;

  say(`\nAnd a \`pulumi up\` with ${PERCENTAGE_KEY}=5 anyway? The gate judges 0% itself:`);
  await stack.setConfig(PERCENTAGE_KEY, "5");
  let blocked = "";
  try {
    await stack.up("demo: promote at low traffic");
  } catch (e) {
    blocked = (e as Error).message;
  }
  say(blocked !== "" ? `BLOCKED by the gate: ${blocked}` : "the gate let it through (unexpected)");
  await stack.setConfig(PERCENTAGE_KEY, "0");
  await stack.up("demo: back to 0%");
  trickle.stop();
  if (signal.aborted) return 130;

  heading(`2. Full traffic (${FULL_LOAD_PER_SECOND} requests a second): the rollout proceeds`);
  const load = startLoad(`http://${app.instance}`, FULL_LOAD_PER_SECOND);
  stops.push(() => load.stop());
  say(`waiting ${windowSeconds + 2} s so that a whole window has this traffic ...`);
  await sleep((windowSeconds + 2) * 1000, signal);
  if (signal.aborted) return 130;
  say(`$ genesis rollout --stack ${STACK} --yes   (the canary fails at 25%: watch the rollback)`);
  const second = await genesis([
    "node",
    "genesis",
    "rollout",
    ...cli,
    "--yes",
    "--report-dir",
    out,
  ]);
  say(`genesis rollout exited ${second}${second === 1 ? " (breach: rolled back)" : ""}`);
  app.setFaults("canary", NO_FAULTS);
  if (signal.aborted) return 130;

  heading("3. The daily update");
  const reports: number[] = [];
  for (const format of ["md", "html"]) {
    say(`$ genesis report --stack ${STACK} --format ${format} --out ${out}`);
    reports.push(
      await genesis(["node", "genesis", "report", ...cli, "--format", format, "--out", out]),
    );
  }
  const asScripted =
    first === 2 && blocked !== "" && second === 1 && stack.gate().percentage === 10;
  heading(asScripted ? "Done: the rollout went as scripted" : "Done, but not as scripted");
  say(`Reports (the incident report and the daily update) are in: ${out}`);
  return asScripted && reports.every((c) => c === 0) ? 0 : 1;
}

async function demo(): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      say(`\n${sig}: stopping; everything the demo started is being stopped ...`);
      controller.abort();
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const stops: (() => Promise<void>)[] = [];
  let code = 1;
  try {
    code = await run(controller.signal, stops);
    if (controller.signal.aborted) code = 130;
  } catch (e) {
    say(`the demo failed: ${e instanceof Error ? e.message : String(e)}`);
    code = controller.signal.aborted ? 130 : 1;
  } finally {
    for (const stop of stops.reverse()) {
      await stop().catch((e: Error) => say(`while stopping: ${e.message}`));
    }
    say("\nEverything the demo started has been stopped.");
    say(ENGINE_NOTE);
  }
  return code;
}

void demo().then((code) => process.exit(code));
