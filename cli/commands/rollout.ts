/**
 * `genesis rollout --stack S [--steps LIST] [--wait SECONDS] [--yes] [--dry-run]` and
 * `genesis rollback --stack S [--to PERCENT]`: the staged rollout through the Automation
 * API, and the rollback that is never gated. Exit 0 done, 1 breach or blocked, 2 could not
 * decide, 64 usage, 70 the stack could not be converged, 130 interrupted.
 */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { createInterface } from "node:readline/promises";
import { Command } from "commander";
import { StackConfig } from "../../core/config/stackConfig";
import { parseDurationSeconds } from "../../core/gate/duration";
import { gateSettingsFromConfig } from "../../core/gate/gateSettings";
import { bakeRulesFromConfig } from "../../core/rollout/bakeRules";
import { planSteps, rollbackTarget, RolloutPlanError } from "../../core/rollout/rolloutPlan";
import { RolloutStack } from "../../core/rollout/rolloutStack";
import { loadStackConfig, PROJECT_DIR, UsageError } from "../loadStack";
import type { CommandRegistrar } from "../main";
import { openAutomationStack } from "../rollout/automationStack";
import { measureBake } from "../rollout/bakeProbe";
import {
  applyRollback,
  Clock,
  currentPercentage,
  RolloutDeps,
  RolloutDisplay,
  runRollout,
  SYSTEM_CLOCK,
  writeIncident,
} from "../rollout/driver";
import { terminalDisplay } from "../rollout/display";
import { addGateOptions, endpointOverrides, GateCommandOptions } from "./gateOptions";

/** How the commands reach a stack, the clock and the screen; tests replace these. */
export interface RolloutEnvironment {
  /** Opens stack `stack` of the project in `projectDir`. */
  openStack(stack: string, projectDir: string): Promise<RolloutStack>;
  /** The clock. */
  readonly clock: Clock;
  /** The display. */
  display(): RolloutDisplay;
  /** Asks a yes/no question on the terminal; undefined when there is no terminal. */
  confirm(question: string): Promise<boolean | undefined>;
}

/** The real environment: the Automation API, the system clock, the terminal. */
export const AUTOMATION_ENVIRONMENT: RolloutEnvironment = {
  openStack: (stack, projectDir) =>
    openAutomationStack({
      stack,
      projectDir,
      onOutput: (t) => process.stderr.write(t),
    }),
  clock: SYSTEM_CLOCK,
  display: () => terminalDisplay(),
  async confirm(question) {
    if (process.stdin.isTTY !== true) return undefined;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } finally {
      rl.close();
    }
  },
};

let environment: RolloutEnvironment = AUTOMATION_ENVIRONMENT;

/** How the commands reach the world now. */
export function rolloutEnvironment(): RolloutEnvironment {
  return environment;
}

/** Replaces how the commands reach the world (tests and benchmarks); returns the old one. */
export function useRolloutEnvironment(next: RolloutEnvironment): RolloutEnvironment {
  const old = environment;
  environment = next;
  return old;
}

interface RolloutOptions extends GateCommandOptions {
  readonly steps?: string;
  readonly wait?: string;
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly reportDir?: string;
}

interface RollbackOptions extends GateCommandOptions {
  readonly to?: string;
  readonly reason?: string;
  readonly yes?: boolean;
  readonly reportDir?: string;
}

async function writeReportFile(filePath: string, text: string): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  await writeFile(filePath, text, "utf8");
}

/**
 * Parses `--wait`: a duration as `--window` takes it (300, 90s, 5m, 1h30m), at least the
 * gate's validation window.
 */
export function parseWaitSeconds(text: string | undefined, cfg: StackConfig): number | undefined {
  if (text === undefined) return undefined;
  const min = cfg.slo.validationWindowSeconds;
  let seconds: number | undefined;
  try {
    seconds = parseDurationSeconds(text, "--wait");
  } catch {
    seconds = undefined;
  }
  if (seconds === undefined || seconds < min) {
    throw new UsageError(
      `--wait must be a duration such as 300, 90s, 5m or 1h30m, at least genesis:validationWindowSeconds (${min}s: the gate refuses a shorter stage); got "${text}"`,
    );
  }
  return seconds;
}

async function confirmOrRefuse(yes: boolean | undefined, question: string): Promise<boolean> {
  if (yes === true) return true;
  const answer = await environment.confirm(question);
  if (answer === undefined) {
    throw new UsageError("--yes is required when there is no terminal to confirm on; got nothing");
  }
  return answer;
}

/** Aborts on the first SIGINT/SIGTERM; a second one exits at once. Returns a remover. */
function interruptOnSignals(controller: AbortController, display: RolloutDisplay): () => void {
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      display.log(`${sig} again: exiting now; check the stack with genesis rollout --dry-run`);
      process.exit(130);
    }
    display.log(
      `${sig}: finishing the stack operation in flight, then stopping on a real step (again to force)`,
    );
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

const reportDirOf = (o: { reportDir?: string; projectDir?: string }): string =>
  o.reportDir ?? path.join(o.projectDir ?? PROJECT_DIR, "reports");

const rolesOf = (cfg: StackConfig) => ({ ...cfg.roles });

/** Registers `genesis rollout`. */
export const registerRollout: CommandRegistrar = (program: Command, setExitCode) => {
  addGateOptions(
    program
      .command("rollout")
      .description("roll the stack out step by step: set, pulumi up (gated), bake, repeat to 100%"),
  )
    .option(
      "--steps <list>",
      "the steps to walk, such as 0,5,10,25,50,75,100 (default: the stack's)",
    )
    .option(
      "--wait <duration>",
      "bake each stage this long, such as 300, 90s or 5m (default: genesis:validationWindowSeconds)",
    )
    .option("--yes", "do not ask for confirmation")
    .option("--dry-run", "preview the next stage's change without applying anything")
    .option("--report-dir <dir>", "where incident reports go (default: reports/)")
    .action(async (opts: RolloutOptions) => {
      const projectDir = opts.projectDir ?? PROJECT_DIR;
      const cfg = loadStackConfig(opts.stack, projectDir);
      let planned: readonly number[];
      try {
        planned = planSteps(cfg.rollout.steps, cfg.rollout.allowStepSkip, opts.steps);
      } catch (e) {
        if (e instanceof RolloutPlanError) throw new UsageError(e.message);
        throw e;
      }
      const waitSeconds = parseWaitSeconds(opts.wait, cfg);
      const instance = opts.appInstance ?? cfg.app.metricsTarget;
      const rules = bakeRulesFromConfig(cfg, instance, waitSeconds);
      const settings = {
        ...gateSettingsFromConfig(cfg, {
          ...endpointOverrides(opts),
          validationWindowSeconds: rules.windowSeconds,
        }),
        appInstance: instance,
      };
      const display = environment.display();
      const stack = await environment.openStack(opts.stack, projectDir);
      const from = await currentPercentage(stack, cfg.rollout.steps);
      if (opts.dryRun !== true) {
        const ok = await confirmOrRefuse(
          opts.yes,
          `roll ${opts.stack} out from ${from}% through ${planned.filter((s) => s > from).join(",")}?`,
        );
        if (!ok) {
          display.log("not confirmed; nothing was changed");
          setExitCode(1);
          return;
        }
      }
      const controller = new AbortController();
      const removeHandlers = interruptOnSignals(controller, display);
      try {
        const deps: RolloutDeps = {
          stack,
          measure: (percentage, nowMs) => measureBake(settings, rules, percentage, nowMs),
          clock: environment.clock,
          display,
          signal: controller.signal,
          writeFile: writeReportFile,
        };
        const result = await runRollout(
          {
            stack: opts.stack,
            environment: cfg.environment,
            plannedSteps: planned,
            stackSteps: cfg.rollout.steps,
            rules,
            autoRollback: cfg.rollout.autoRollback,
            dryRun: opts.dryRun === true,
            reportDir: reportDirOf(opts),
            roles: rolesOf(cfg),
          },
          deps,
        );
        if (opts.json === true) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        setExitCode(result.exitCode);
      } finally {
        removeHandlers();
      }
    });
};

/** Registers `genesis rollback`. */
export const registerRollback: CommandRegistrar = (program: Command, setExitCode) => {
  addGateOptions(
    program
      .command("rollback")
      .description("go back one step (or to --to), never gated, with an incident report"),
  )
    .option("--to <percent>", "the step to roll back to (default: the step before the current one)")
    .option("--reason <text>", "why, for the incident report")
    .option("--yes", "do not ask for confirmation")
    .option("--report-dir <dir>", "where the incident report goes (default: reports/)")
    .action(async (opts: RollbackOptions) => {
      const projectDir = opts.projectDir ?? PROJECT_DIR;
      const cfg = loadStackConfig(opts.stack, projectDir);
      const display = environment.display();
      const stack = await environment.openStack(opts.stack, projectDir);
      const from = await currentPercentage(stack, cfg.rollout.steps);
      let to: number;
      try {
        to = rollbackTarget(cfg.rollout.steps, from, opts.to);
      } catch (e) {
        if (e instanceof RolloutPlanError) throw new UsageError(e.message);
        throw e;
      }
      if (!(await confirmOrRefuse(opts.yes, `roll ${opts.stack} back from ${from}% to ${to}%?`))) {
        display.log("not confirmed; nothing was changed");
        setExitCode(1);
        return;
      }
      const clock = environment.clock;
      const startedMs = clock.nowMs();
      const reason = opts.reason ?? "requested by an operator";
      display.log(`rolling back ${opts.stack} from ${from}% to ${to}% (never gated)`);
      const r = await applyRollback({ stack, clock, display }, from, to, reason);
      const incidentPath = await writeIncident(
        {
          stack: opts.stack,
          environment: cfg.environment,
          rules: bakeRulesFromConfig(cfg),
          reportDir: reportDirOf(opts),
          roles: rolesOf(cfg),
        },
        { writeFile: writeReportFile },
        { manualReason: reason, startedMs, from, to, ...r },
      );
      if (r.completedMs !== undefined) {
        display.log(`rolled back ${opts.stack} to ${to}%; incident report: ${incidentPath}`);
        setExitCode(0);
      } else {
        display.log(
          `ROLLBACK FAILED: ${r.error}; the stack config asks for ${to}%: run pulumi up --stack ${opts.stack}; incident report: ${incidentPath}`,
        );
        setExitCode(70);
      }
    });
};
