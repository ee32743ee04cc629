/**
 * `genesis rollout` and `genesis rollback` as commands, with the Automation API replaced by
 * an in-process stack (the Pulumi CLI is not needed): flags, usage errors (exit 64 naming
 * flag and value), confirmation, and a rollback that writes its incident report.
 */
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import {
  copyFileSync,
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RolloutEnvironment, useRolloutEnvironment } from "../../../cli/commands/rollout";
import { RolloutDisplay } from "../../../cli/rollout/driver";
import { CheckResult, GateSettings } from "../../../core/gate/types";
import { inProcessStack, InProcessStack } from "../../support/inProcessStack";
import { completedStackYaml } from "../../support/stacks";
import { runGenesis as genesis } from "../../support/genesisCli";

const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");
const T0 = Date.parse("2026-01-01T12:00:00Z");
const SETTINGS = {
  steps: [0, 5, 10, 25, 50, 75, 100],
  allowStepSkip: false,
  cooldownSeconds: 60,
  overrideReason: "",
} as unknown as GateSettings;

describe("genesis rollout and rollback commands with an in-process stack in place of the Pulumi CLI", () => {
  let stack: InProcessStack;
  let lines: string[];
  let confirmAnswer: boolean | undefined;
  let onSleep: () => void = () => undefined;
  let restore: RolloutEnvironment;
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-rollout-cmd-"));
  const project = path.join(dir, "project");
  const reports = path.join(dir, "reports");
  mkdirSync(project);
  copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
  writeFileSync(path.join(project, "Pulumi.staging.yaml"), completedStackYaml("staging"));
  const run = (args: string[]) => genesis([...args, "--project-dir", project]);

  beforeEach(() => {
    lines = [];
    confirmAnswer = undefined;
    stack = inProcessStack({
      name: "staging",
      percentage: 100,
      liveSinceMs: T0,
      settings: SETTINGS,
      nowMs: () => T0 + 1000,
      evaluate: async (): Promise<CheckResult[]> => [],
    });
    const display: RolloutDisplay = {
      bake: () => undefined,
      endBake: () => undefined,
      log: (l) => lines.push(l),
    };
    restore = useRolloutEnvironment({
      openStack: async () => stack,
      clock: { nowMs: () => T0 + 1000, sleepUntil: async () => onSleep() },
      display: () => display,
      confirm: async () => confirmAnswer,
    });
  });
  afterEach(() => {
    useRolloutEnvironment(restore);
    onSleep = () => undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const usage: [string[], string][] = [
    [
      ["rollout", "--stack", "staging", "--steps", "0,7,100", "--yes"],
      '--steps must be only the stack\'s steps 0,5,10,25,50,75,100 (not 7); got "0,7,100"',
    ],
    [
      ["rollout", "--stack", "staging", "--wait", "30", "--yes"],
      '--wait must be a duration such as 300, 90s, 5m or 1h30m, at least genesis:validationWindowSeconds (60s: the gate refuses a shorter stage); got "30"',
    ],
    [
      ["rollout", "--stack", "staging", "--wait", "30s", "--yes"],
      '--wait must be a duration such as 300, 90s, 5m or 1h30m, at least genesis:validationWindowSeconds (60s: the gate refuses a shorter stage); got "30s"',
    ],
    [
      ["rollout", "--stack", "staging", "--wait", "soon", "--yes"],
      '--wait must be a duration such as 300, 90s, 5m or 1h30m, at least genesis:validationWindowSeconds (60s: the gate refuses a shorter stage); got "soon"',
    ],
    [
      ["rollout", "--stack", "staging"],
      "--yes is required when there is no terminal to confirm on; got nothing",
    ],
    [
      ["rollback", "--stack", "staging", "--to", "100", "--yes"],
      '--to must be a rollout step below the current 100%: one of 0,5,10,25,50,75; got "100"',
    ],
    [
      ["rollout", "--stack", "nosuch", "--yes"],
      `--stack nosuch: no stack file ${path.join(project, "Pulumi.nosuch.yaml")}; the stacks here are staging`,
    ],
  ];
  for (const [args, message] of usage) {
    it(`${args.slice(0, 1).concat(args.slice(3)).join(" ")}: exit 64 naming flag and value`, async () => {
      const r = await run(args);
      strictEqual(r.code, 64);
      strictEqual(r.stderr, `${message}\n`);
      strictEqual(stack.log.length, 0);
    });
  }

  it("rollback: one step down, never gated, with an incident report; exit 0", async () => {
    const r = await run([
      "rollback",
      "--stack",
      "staging",
      "--yes",
      "--reason",
      "customer reports",
      "--report-dir",
      reports,
    ]);
    strictEqual(r.code, 0);
    strictEqual(stack.configured(), 75);
    strictEqual(stack.gate().percentage, 75);
    const files = readdirSync(reports);
    strictEqual(files.length, 1);
    const report = readFileSync(path.join(reports, files[0]), "utf8");
    match(report, /^# Incident: rollback of staging from 100% to 75%$/m);
    match(report, /rollback requested by an operator: customer reports/);
    match(lines[lines.length - 1], /^rolled back staging to 75%; incident report: /);
  });

  it("rollback --to 25 and a declined confirmation changes nothing (exit 1)", async () => {
    confirmAnswer = false;
    const r = await run(["rollback", "--stack", "staging", "--to", "25"]);
    strictEqual(r.code, 1);
    strictEqual(stack.log.length, 0);
    strictEqual(lines[lines.length - 1], "not confirmed; nothing was changed");
  });

  it("rollout: SIGINT during a bake stops on the live step (exit 130) and removes its handlers", async () => {
    // Only the command's own handler may see this SIGINT (a reporter's would kill the run).
    const others = process.listeners("SIGINT");
    process.removeAllListeners("SIGINT");
    let r: { code: number };
    let left: number;
    try {
      onSleep = () => {
        process.emit("SIGINT", "SIGINT");
      };
      r = await run(["rollout", "--stack", "staging", "--yes"]);
      left = process.listenerCount("SIGINT");
    } finally {
      for (const l of others) process.on("SIGINT", l);
    }
    strictEqual(r.code, 130);
    strictEqual(left, 0);
    strictEqual(stack.log.length, 0);
    deepStrictEqual(lines.slice(-2), [
      "SIGINT: finishing the stack operation in flight, then stopping on a real step (again to force)",
      "interrupted: staging is at 100% (config and state agree); resume with: genesis rollout --stack staging",
    ]);
  });

  it("rollout --dry-run at the last step previews nothing and needs no confirmation", async () => {
    const r = await run(["rollout", "--stack", "staging", "--dry-run", "--json"]);
    strictEqual(r.code, 0);
    match(r.stdout, /"message": "dry run: staging is at 100%, the last step; nothing to preview"/);
  });
});
