/**
 * `npm run demo` end to end, as a user runs it (its own process, real Prometheus,
 * Alertmanager, Node Exporter and Pulumi's dynamic-provider host), with a 10 s window: the
 * reports it writes tell the blocked promotion, the rollback and the incident; nothing it
 * started outlives it, also when it is stopped with Ctrl-C (SIGINT). The demo runs in a
 * process group of its own, so whatever it started is found by that group.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const WINDOW_SECONDS = 10;

/** The demo running in a process group of its own, with what it printed so far. */
interface DemoRun {
  readonly proc: ChildProcess;
  readonly output: { text: string };
  readonly exited: Promise<number | null>;
}

function startDemo(out: string): DemoRun {
  const proc = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "scripts/demo.ts", "--out", out],
    {
      cwd: PROJECT_DIR,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GENESIS_DEMO_WINDOW_SECONDS: String(WINDOW_SECONDS) },
    },
  );
  const output = { text: "" };
  proc.stdout!.on("data", (d: Buffer) => (output.text += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (output.text += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return { proc, output, exited };
}

/** Processes still in process group `pgid` (from /proc: the field after the command name). */
function groupMembers(pgid: number): string[] {
  const members: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") {
      members.push(`${pid} ${stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))}`);
    }
  }
  return members;
}

/** Kills what is left of a run's group, so that a failing test leaves nothing behind. */
function killGroup(run: DemoRun | undefined): void {
  if (run?.proc.pid === undefined) return;
  try {
    process.kill(-run.proc.pid, "SIGKILL");
  } catch {
    // Nothing left.
  }
}

async function waitForText(run: DemoRun, re: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!re.test(run.output.text)) {
    if (Date.now() > deadline || run.proc.exitCode !== null) {
      throw new Error(`no ${re} in the demo's output:\n${run.output.text}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("npm run demo (integration)", function () {
  this.timeout(300_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-demo-it-"));
  let run: DemoRun | undefined;
  afterEach(() => killGroup(run));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the whole story and writes the incident report and the daily update; nothing it started is left", async () => {
    const out = path.join(dir, "full");
    run = startDemo(out);
    const code = await run.exited;
    const text = run.output.text;
    strictEqual(code, 0, text);
    // What stands in for Pulumi is said at the start and at the end.
    strictEqual(text.match(/The Pulumi engine is stood in for by an in-process stack/g)?.length, 2);
    match(text, /A real `pulumi up` adds: a state backend/);
    match(text, /Grafana stand-in/);
    // The live display, the blocked promotion, the fault and the rollback, in that order.
    match(text, /stage +0% \| \d+ s left/);
    match(text, /stage 0% could not be judged, so it is not promoted.*too little traffic to judge/);
    match(text, /BLOCKED by the gate: .*promotion from 0% to 5% blocked/);
    match(text, /gate Update in the provider host: promotion: promoted from 10% to 25%/);
    match(text, /injecting a fault into the canary/);
    match(text, /BREACH at 25%: .*rolling back to 10%/);
    match(text, /Everything the demo started has been stopped\./);
    deepStrictEqual(groupMembers(run.proc.pid!), []);

    const files = readdirSync(out).sort();
    const incident = files.filter((f) => /^incident-demo-.*\.md$/.test(f));
    const daily = files.filter((f) => /^daily-demo-.*\.(md|html)$/.test(f));
    strictEqual(incident.length, 1, files.join(", "));
    deepStrictEqual(
      daily.map((f) => path.extname(f)),
      [".html", ".md"],
    );
    const incidentText = readFileSync(path.join(out, incident[0]), "utf8");
    match(incidentText, /25%/);
    match(incidentText, /10%/);
    match(incidentText, /error rate/i);
    const md = readFileSync(
      path.join(
        out,
        daily.find((f) => f.endsWith(".md"))!,
      ),
      "utf8",
    );
    match(md, /\*\*Status: ROLLED BACK\*\*/);
    match(md, /promotion from 0% to 5% blocked \(inconclusive\)/);
    match(md, /promoted from 10% to 25%/);
    match(md, /rolled back from 25% to 10%/);
    const html = readFileSync(
      path.join(
        out,
        daily.find((f) => f.endsWith(".html"))!,
      ),
      "utf8",
    );
    strictEqual(html.match(/<svg /g)?.length, 2);
    // Both charts have data and mark the three promotions and the rollback.
    ok((html.match(/<polyline class="series"/g)?.length ?? 0) >= 2);
    strictEqual(html.match(/class="stage-change"/g)?.length, 8);
    ok(!html.includes("not enough data yet"));
  });

  it("Ctrl-C (SIGINT) mid-rollout stops everything it started and exits 130", async () => {
    run = startDemo(path.join(dir, "interrupted"));
    await waitForText(run, /stage +0% \| \d+ s left/, 120_000);
    process.kill(run.proc.pid!, "SIGINT");
    const code = await run.exited;
    strictEqual(code, 130, run.output.text);
    match(run.output.text, /SIGINT: stopping/);
    match(run.output.text, /Everything the demo started has been stopped\./);
    deepStrictEqual(groupMembers(run.proc.pid!), []);
  });
});
