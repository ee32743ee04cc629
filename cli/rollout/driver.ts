/**
 * The rollout driver: walks a stack through its steps with the I/O the pure loop leaves
 * out. Each stage is a config change plus `pulumi up` (the gate decides), then a bake that
 * measures every scrape interval until the window ends; the pure core decides what follows.
 * Everything it touches comes in as an argument (stack, measurements, clock, display), so
 * tests and the benchmark run it with in-process replacements.
 */
import * as path from "node:path";
import {
  BakeMeasurement,
  BakeOutcome,
  Breach,
  startBake,
  stepBake,
} from "../../core/rollout/bakeLoop";
import { BakeRules } from "../../core/rollout/bakeRules";
import { BakeView, bakeView } from "../../core/rollout/bakeView";
import { decideAfterBake } from "../../core/rollout/rolloutDecision";
import { isStep, nextStep } from "../../core/rollout/steps";
import {
  gateStateFromOutputs,
  PERCENTAGE_KEY,
  RolloutStack,
} from "../../core/rollout/rolloutStack";
import { incidentFileName, renderIncidentReport, Roles } from "../../core/report/incidentReport";
import { GateState } from "../../core/gate/types";

/** Time, as the driver sees it. */
export interface Clock {
  /** Now, ms since the epoch. */
  nowMs(): number;
  /** Resolves at `ms` (ms since the epoch), or as soon as `signal` aborts. */
  sleepUntil(ms: number, signal: AbortSignal): Promise<void>;
}

/** The real clock. */
export const SYSTEM_CLOCK: Clock = {
  nowMs: () => Date.now(),
  sleepUntil: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms - Date.now()));
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    }),
};

/** Where the driver shows progress. */
export interface RolloutDisplay {
  /** A new frame of the live bake display. */
  bake(view: BakeView): void;
  /** The bake display is done (the stage passed, breached or stopped). */
  endBake(): void;
  /** A line of narrative: promotions, rollbacks, results. */
  log(line: string): void;
}

/** Measures one bake tick of `percentage` at `nowMs`. */
export type Measure = (percentage: number, nowMs: number) => Promise<BakeMeasurement>;

/** What one rollout run is asked to do. */
export interface RolloutRequest {
  /** The stack's name. */
  readonly stack: string;
  /** staging or production, for the incident report. */
  readonly environment: string;
  /** The steps this rollout walks (the stack's, or `--steps`). */
  readonly plannedSteps: readonly number[];
  /** The stack's own steps. */
  readonly stackSteps: readonly number[];
  /** What each bake judges by. */
  readonly rules: BakeRules;
  /** Roll back by itself on a breach. */
  readonly autoRollback: boolean;
  /** Preview the next stage's change instead of applying anything. */
  readonly dryRun: boolean;
  /** Where incident reports go. */
  readonly reportDir: string;
  /** Who the incident report names. */
  readonly roles: Roles;
}

/** What the driver needs from the world. */
export interface RolloutDeps {
  /** The stack. */
  readonly stack: RolloutStack;
  /** One tick's measurement. */
  readonly measure: Measure;
  /** The clock. */
  readonly clock: Clock;
  /** Progress. */
  readonly display: RolloutDisplay;
  /** Aborts at an interrupt: the driver finishes the stack operation in flight, then stops. */
  readonly signal: AbortSignal;
  /** Writes a report file (creating its directory). */
  writeFile(filePath: string, text: string): Promise<void>;
}

/** A stage the run went through. */
export interface StageRecord {
  /** Its percentage. */
  readonly percentage: number;
  /** When it went live, ms since the epoch. */
  readonly liveSinceMs: number;
  /** When its bake ended (passed, breached or stopped), ms since the epoch. */
  readonly endedMs: number;
  /** How the bake ended. */
  readonly outcome: Exclude<BakeOutcome["kind"], "wait"> | "interrupted";
}

/** How a run ended. */
export interface RolloutResult {
  /** 0 done, 1 breach or blocked, 2 could not decide, 70 the stack could not be converged, 130 interrupted. */
  readonly exitCode: number;
  /** The last message shown. */
  readonly message: string;
  /** The percentage the stack config holds at the end. */
  readonly finalPercentage: number;
  /** The stages baked, in order. */
  readonly stages: readonly StageRecord[];
  /** The breach, when one ended the run. */
  readonly breach?: Breach;
  /** When the rollback's `pulumi up` completed, ms since the epoch. */
  readonly rollbackCompletedMs?: number;
  /** The incident report written, if any. */
  readonly incidentPath?: string;
}

/** Attempts of a rollback's `pulumi up` before giving up: a rollback must go through. */
export const ROLLBACK_ATTEMPTS = 3;
/** Wait between rollback attempts, in ms (times the attempt number). */
export const ROLLBACK_BACKOFF_MS = 2000;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reads the stack's current percentage; throws naming the key and value when it is not a step. */
export async function currentPercentage(
  stack: RolloutStack,
  steps: readonly number[],
): Promise<number> {
  const raw = (await stack.getConfig(PERCENTAGE_KEY)) ?? "0";
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!isStep(steps, n)) {
    throw new Error(`${PERCENTAGE_KEY} must be one of ${steps.join(",")}; got "${raw}"`);
  }
  return n;
}

/** The gate's state from the stack outputs; undefined when they cannot be read. */
async function gateOf(stack: RolloutStack): Promise<GateState | undefined> {
  try {
    return gateStateFromOutputs(await stack.outputs());
  } catch {
    return undefined;
  }
}

/** When `percentage` went live per the gate's state in the outputs; undefined when unknown. */
async function liveSinceOf(stack: RolloutStack, percentage: number): Promise<number | undefined> {
  const gate = await gateOf(stack);
  return gate !== undefined && gate.percentage === percentage ? gate.liveSinceMs : undefined;
}

/**
 * Moves the stack to `to` and runs `pulumi up` for a rollback (never gated). Retries the up;
 * on final failure the config still asks for `to`, so the next `pulumi up` converges there.
 */
export async function applyRollback(
  deps: Pick<RolloutDeps, "stack" | "clock" | "display">,
  from: number,
  to: number,
  reason: string,
): Promise<{ readonly completedMs?: number; readonly error?: string }> {
  let error = "";
  for (let attempt = 1; attempt <= ROLLBACK_ATTEMPTS; attempt++) {
    try {
      await deps.stack.setConfig(PERCENTAGE_KEY, String(to));
      await deps.stack.up(`genesis rollback ${from}% -> ${to}%: ${reason}`);
      return { completedMs: deps.clock.nowMs() };
    } catch (e) {
      error = errorText(e);
      deps.display.log(`rollback attempt ${attempt}/${ROLLBACK_ATTEMPTS} failed: ${error}`);
      if (attempt < ROLLBACK_ATTEMPTS) {
        const never = new AbortController().signal;
        await deps.clock.sleepUntil(deps.clock.nowMs() + ROLLBACK_BACKOFF_MS * attempt, never);
      }
    }
  }
  return { error };
}

/**
 * Runs a rollout from the stack's current percentage to the last planned step. An interrupt
 * (the signal) stops it between stack operations, never inside one: the stack config and
 * state then agree on a real step, and a rerun resumes from there (a stage keeps the time
 * it already baked, read from the gate's `liveSince`).
 */
export async function runRollout(req: RolloutRequest, deps: RolloutDeps): Promise<RolloutResult> {
  const { stack, clock, display, signal } = deps;
  let current = await currentPercentage(stack, req.stackSteps);
  const stages: StageRecord[] = [];
  const finish = (
    exitCode: number,
    message: string,
    extra: Partial<RolloutResult> = {},
  ): RolloutResult => {
    display.log(message);
    return { exitCode, message, finalPercentage: current, stages, ...extra };
  };

  if (req.dryRun) return dryRun(req, deps, current);

  const gate = await gateOf(stack);
  if (gate !== undefined && gate.percentage !== current) {
    return finish(
      2,
      `${PERCENTAGE_KEY} is ${current} but ${gate.percentage}% is live (an earlier update did not complete): converge first with pulumi up --stack ${req.stack} (a rollback is never gated), or set the config back to ${gate.percentage}`,
    );
  }
  // Unknown when the stage went live (no gate outputs yet): bake a whole window from now.
  let liveSinceMs = gate?.liveSinceMs ?? clock.nowMs();
  for (;;) {
    if (signal.aborted) return finish(130, interruptedMessage(req.stack, current));
    display.log(`baking ${current}% for the ${req.rules.windowSeconds} s validation window`);
    let state = startBake(current, liveSinceMs, req.rules);
    let outcome: BakeOutcome = { kind: "wait", nextTickMs: clock.nowMs() };
    while (outcome.kind === "wait") {
      await clock.sleepUntil(outcome.nextTickMs, signal);
      if (signal.aborted) break;
      const m = await deps.measure(current, clock.nowMs());
      const stepped = stepBake(state, m, req.rules);
      state = stepped.state;
      outcome = stepped.outcome;
      display.bake(bakeView(state, m, req.rules, clock.nowMs()));
    }
    display.endBake();
    if (outcome.kind === "wait") {
      stages.push({
        percentage: current,
        liveSinceMs,
        endedMs: clock.nowMs(),
        outcome: "interrupted",
      });
      return finish(130, interruptedMessage(req.stack, current));
    }
    stages.push({
      percentage: current,
      liveSinceMs,
      endedMs: clock.nowMs(),
      outcome: outcome.kind,
    });
    const action = decideAfterBake(outcome, {
      stack: req.stack,
      plannedSteps: req.plannedSteps,
      stackSteps: req.stackSteps,
      percentage: current,
      autoRollback: req.autoRollback,
    });
    if (action.kind === "complete") {
      return finish(
        0,
        `rollout complete: ${req.stack} is at ${current}% and held its SLOs for the window`,
      );
    }
    if (action.kind === "hold") {
      return finish(
        action.exitCode,
        action.message,
        outcome.kind === "rollback" ? { breach: outcome.breach } : {},
      );
    }
    if (action.kind === "rollback") {
      const b = action.breach;
      display.log(`BREACH at ${action.from}%: ${b.reason}; rolling back to ${action.to}%`);
      const r = await applyRollback(deps, action.from, action.to, `${b.check} breached`);
      if (r.completedMs !== undefined) current = action.to;
      const incidentPath = await writeIncident(req, deps, {
        breach: b,
        startedMs: b.detectedMs,
        from: action.from,
        to: action.to,
        ...r,
      });
      const message =
        r.completedMs !== undefined
          ? `rolled back ${req.stack} from ${action.from}% to ${action.to}% after ${b.check} breached (${b.value}, threshold ${b.threshold}); incident report: ${incidentPath}`
          : `ROLLBACK FAILED after ${ROLLBACK_ATTEMPTS} attempts: ${r.error}; the stack config asks for ${action.to}%: run pulumi up --stack ${req.stack}; incident report: ${incidentPath}`;
      return finish(r.completedMs !== undefined ? 1 : 70, message, {
        breach: b,
        incidentPath,
        ...(r.completedMs !== undefined ? { rollbackCompletedMs: r.completedMs } : {}),
      });
    }
    // Promotion: config, then `pulumi up`; the gate decides.
    const from = current;
    const to = action.to;
    display.log(`promoting ${from}% -> ${to}% (pulumi up; the gate decides)`);
    try {
      await stack.setConfig(PERCENTAGE_KEY, String(to));
      await stack.up(`genesis rollout ${from}% -> ${to}%`);
    } catch (e) {
      const why = errorText(e);
      const converged = await restore(deps, from, to);
      if (!converged.ok) {
        return finish(
          70,
          `promotion ${from}% -> ${to}% failed: ${why}\nand the stack could not be put back on ${from}%: ${converged.error}; run: pulumi config set ${PERCENTAGE_KEY} ${from} --stack ${req.stack} && pulumi up --stack ${req.stack}`,
        );
      }
      return finish(
        1,
        `promotion ${from}% -> ${to}% did not go through; the stack stays at ${from}%:\n${why}`,
      );
    }
    current = to;
    liveSinceMs = (await liveSinceOf(stack, to)) ?? clock.nowMs();
  }
}

/**
 * Puts a failed promotion back: config to `from`, then `pulumi up` so the state agrees
 * (a no-change when the gate kept `from`, a rollback, never gated, when it had moved).
 */
async function restore(
  deps: Pick<RolloutDeps, "stack" | "display">,
  from: number,
  to: number,
): Promise<{ readonly ok: boolean; readonly error?: string }> {
  try {
    await deps.stack.setConfig(PERCENTAGE_KEY, String(from));
    await deps.stack.up(`genesis rollout: promotion ${from}% -> ${to}% failed; back to ${from}%`);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

function interruptedMessage(stack: string, at: number): string {
  return `interrupted: ${stack} is at ${at}% (config and state agree); resume with: genesis rollout --stack ${stack}`;
}

/** Previews the next stage (config set, preview, config put back) and lists the rest. */
async function dryRun(
  req: RolloutRequest,
  deps: RolloutDeps,
  current: number,
): Promise<RolloutResult> {
  const { stack, display } = deps;
  const to = nextStep(req.plannedSteps, current);
  if (to === undefined) {
    const message = `dry run: ${req.stack} is at ${current}%, the last step; nothing to preview`;
    display.log(message);
    return { exitCode: 0, message, finalPercentage: current, stages: [] };
  }
  let preview;
  try {
    await stack.setConfig(PERCENTAGE_KEY, String(to));
    preview = await stack.preview(`genesis rollout --dry-run ${current}% -> ${to}%`);
  } catch (e) {
    const message = `dry run: the preview of ${current}% -> ${to}% fails: ${errorText(e)}`;
    display.log(message);
    return { exitCode: 1, message, finalPercentage: current, stages: [] };
  } finally {
    await stack.setConfig(PERCENTAGE_KEY, String(current));
  }
  const rest = req.plannedSteps.filter((s) => s > to);
  const summary = Object.entries(preview.changeSummary)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  const message = [
    `dry run: ${current}% -> ${to}% previews as: ${summary || "no changes"}`,
    ...(rest.length > 0
      ? [
          `then, one stage at a time after each bake: ${rest.map((s) => `${s}%`).join(" -> ")} (each previewed when it is next)`,
        ]
      : []),
    "nothing was applied",
  ].join("\n");
  display.log(message);
  return { exitCode: 0, message, finalPercentage: current, stages: [] };
}

interface IncidentInput {
  readonly breach?: Breach;
  readonly manualReason?: string;
  readonly startedMs: number;
  readonly from: number;
  readonly to: number;
  readonly completedMs?: number;
  readonly error?: string;
}

/** Writes the incident report of a rollback; returns its path. */
export async function writeIncident(
  req: Pick<RolloutRequest, "stack" | "environment" | "rules" | "reportDir" | "roles">,
  deps: Pick<RolloutDeps, "writeFile">,
  i: IncidentInput,
): Promise<string> {
  const file = path.join(req.reportDir, incidentFileName(req.stack, i.startedMs));
  await deps.writeFile(
    file,
    renderIncidentReport({
      stack: req.stack,
      environment: req.environment,
      ...(i.breach !== undefined ? { breach: i.breach } : {}),
      ...(i.manualReason !== undefined ? { manualReason: i.manualReason } : {}),
      startedMs: i.startedMs,
      fromPercentage: i.from,
      toPercentage: i.to,
      ...(i.completedMs !== undefined ? { completedMs: i.completedMs } : {}),
      ...(i.error !== undefined ? { rollbackError: i.error } : {}),
      errorRateThresholdPercent: req.rules.errorRateThresholdPercent,
      latencyP95ThresholdMs: req.rules.latencyP95ThresholdMs,
      roles: req.roles,
    }),
  );
  return file;
}
