/**
 * `genesis gate --stack S [--from PERCENT] [--to PERCENT] [--window DURATION]
 * [--live-since TIME] [--json]`: the decision a `pulumi up` would make now, judged from the
 * live percentage (`--from`, or the gate's state in the stack outputs), not the configured
 * one: after a blocked promotion the two differ. Exit 0 pass, 1 fail, 2 could not decide,
 * 64 usage.
 */
import {
  FromSource,
  gateHeadline,
  liveUnknownMessage,
  parseLiveSinceArgument,
  parseStepArgument,
  parseWindowArgument,
  ParsedArgument,
} from "../../core/gate/cliArguments";
import { isCheck } from "../../core/gate/checkCatalogue";
import { summarizeVerdict } from "../../core/gate/checks";
import {
  decideOnMeasurements,
  decideWithoutMeasuring,
  StepQuestion,
} from "../../core/rollout/decide";
import { nextStep, TransitionKind } from "../../core/rollout/steps";
import { renderDecisionTable } from "../../core/gate/decisionTable";
import { gateSettingsFromConfig } from "../../core/gate/gateSettings";
import { CheckResult, GateState, GateVerdict } from "../../core/gate/types";
import { evaluateGateNow } from "../../io/gateProbe";
import { loadStackConfig, PROJECT_DIR, UsageError } from "../loadStack";
import type { CommandRegistrar } from "../main";
import { addGateOptions, endpointOverrides, GateCommandOptions } from "./gateOptions";
import { rolloutEnvironment } from "./rollout";
import { readStackGateState } from "../stackGateState";

interface GateOptions extends GateCommandOptions {
  readonly from?: string;
  readonly to?: string;
  readonly window?: string;
  readonly liveSince?: string;
}

const EXIT: Readonly<Record<GateVerdict, number>> = { pass: 0, fail: 1, inconclusive: 2 };

/** Where the time the stage went live came from, as the JSON output names it. */
type LiveSinceSource = "--live-since" | "stack outputs" | "assumed from --window" | "unknown";

/** The value of an optional flag, collecting its problem; undefined when not given or refused. */
function collect<T>(
  problems: string[],
  text: string | undefined,
  parse: (t: string) => ParsedArgument<T>,
): T | undefined {
  if (text === undefined) return undefined;
  const parsed = parse(text);
  if ("problem" in parsed) {
    problems.push(parsed.problem);
    return undefined;
  }
  return parsed.value;
}

/** The gate's state from the stack outputs; throws the usage error naming --from otherwise. */
async function liveStateFromOutputs(stack: string, projectDir: string): Promise<GateState> {
  const read = await readStackGateState(stack, projectDir);
  if (read.kind === "unreadable") {
    const reason = read.error instanceof Error ? read.error.message : String(read.error);
    throw new UsageError(liveUnknownMessage(`reading the stack outputs failed: ${reason}`));
  }
  if (read.kind === "missing") {
    throw new UsageError(
      liveUnknownMessage("the stack outputs have no valid livePercentage and liveSince"),
    );
  }
  return read.gate;
}

/** Registers `genesis gate`. */
/** The table's overall verdict for checks that did not let a promotion through. */
function holdVerdict(checks: readonly CheckResult[]): GateVerdict {
  return summarizeVerdict(checks) === "fail" ? "fail" : "inconclusive";
}

export const registerGate: CommandRegistrar = (program, setExitCode) => {
  addGateOptions(
    program
      .command("gate")
      .description("the decision a pulumi up would make now, from the live percentage"),
  )
    .option(
      "--from <percent>",
      "the live percentage to judge from (the stack's livePercentage output); without it the gate's state is read from the stack outputs (needs the Pulumi CLI), and with it they are not read",
    )
    .option(
      "--to <percent>",
      "the percentage asked for (default: the next step above the live one)",
    )
    .option(
      "--window <duration>",
      "the validation window, such as 300s or 5m (default: genesis:validationWindowSeconds); it may be shorter than the stack's, but at least 4 scrape intervals (4 x genesis:scrapeIntervalSeconds), and at most 7 days",
    )
    .option(
      "--live-since <time>",
      "when the live stage went live: an ISO 8601 date-time with a time zone such as 2026-01-01T12:00:00Z, not in the future (default: the stack's liveSince output when the outputs are read); without it the stage counts as live for --window, and without both the stage-live check cannot be decided",
    )
    .action(async (opts: GateOptions) => {
      const projectDir = opts.projectDir ?? PROJECT_DIR;
      const cfg = loadStackConfig(opts.stack, projectDir, { assumeSecrets: true });
      const steps = cfg.rollout.steps;
      const nowMs = rolloutEnvironment().clock.nowMs();

      // Every flag's problems at once, before anything is read from the stack or the network.
      const problems: string[] = [];
      const fromArg = collect(problems, opts.from, (t) => parseStepArgument("--from", t, steps));
      const toArg = collect(problems, opts.to, (t) => parseStepArgument("--to", t, steps));
      const windowSeconds = collect(problems, opts.window, (t) =>
        parseWindowArgument(t, { scrapeIntervalSeconds: cfg.monitoring.scrapeIntervalSeconds }),
      );
      const liveSinceArg = collect(problems, opts.liveSince, (t) =>
        parseLiveSinceArgument(t, nowMs),
      );
      if (problems.length > 0) throw new UsageError(problems.join("\n"));

      let from: number;
      let fromSource: FromSource;
      let liveSinceMs = liveSinceArg;
      let liveSinceSource: LiveSinceSource = liveSinceMs !== undefined ? "--live-since" : "unknown";
      if (fromArg !== undefined) {
        // The operator's word: the outputs are not read, nor mixed with it.
        [from, fromSource] = [fromArg, "--from"];
      } else {
        const state = await liveStateFromOutputs(opts.stack, projectDir);
        [from, fromSource] = [state.percentage, "stack outputs"];
        if (liveSinceMs === undefined) {
          [liveSinceMs, liveSinceSource] = [state.liveSinceMs, "stack outputs"];
        }
      }

      const to = toArg ?? nextStep(steps, from);
      if (to === undefined) {
        throw new UsageError(
          `--to: the live percentage is ${from}% (from ${fromSource === "--from" ? "--from" : "the stack outputs"}), the last step; there is nothing to promote to`,
        );
      }
      // The decision's first phase: a move the step rules refuse is a usage error here; a
      // rollback or no change is decided without measuring; a promotion is measured.
      const question: StepQuestion = {
        live: { percentage: from, liveSinceMs: liveSinceMs ?? nowMs },
        requested: to,
        nowMs,
        rules: { steps, allowStepSkip: cfg.rollout.allowStepSkip, overrideReason: "" },
      };
      const first = decideWithoutMeasuring(question);
      if (first.phase === "decided" && first.decision.basis === "step rules") {
        throw new UsageError(`--to: ${first.decision.reason}`);
      }
      const kind: TransitionKind =
        first.phase === "measure"
          ? "promotion"
          : first.decision.basis === "rollback asked"
            ? "rollback"
            : "no-change";
      let checks: CheckResult[] = [];
      let verdict: GateVerdict = "pass";
      if (first.phase === "measure") {
        const settings = {
          ...gateSettingsFromConfig(cfg, {
            ...endpointOverrides(opts),
            validationWindowSeconds: windowSeconds,
          }),
          ...(opts.appInstance !== undefined ? { appInstance: opts.appInstance } : {}),
        };
        // Without when the stage went live, --window stands for how long it has been live.
        const assumed = liveSinceMs === undefined && windowSeconds !== undefined;
        const since = liveSinceMs ?? (assumed ? nowMs - windowSeconds * 1000 : nowMs);
        checks = await evaluateGateNow(settings, from, since, nowMs);
        if (assumed) {
          liveSinceSource = "assumed from --window";
          checks = checks.map((c) =>
            isCheck(c.name, "stageLive")
              ? {
                  ...c,
                  reason: `assumed live for the --window ${opts.window} (no --live-since given)`,
                }
              : c,
          );
        } else if (liveSinceMs === undefined) {
          checks = checks.map((c) =>
            isCheck(c.name, "stageLive")
              ? {
                  ...c,
                  value: "unknown",
                  verdict: "inconclusive",
                  reason:
                    "when the stage went live is unknown: pass --live-since (the gate's liveSince output)",
                }
              : c,
          );
        }
        // The decision's second phase; the table's overall verdict says how it was reached.
        const decision = decideOnMeasurements(question, { checks });
        verdict = decision.action === "promote" ? "pass" : holdVerdict(checks);
      }
      const headline = gateHeadline({ kind, from, fromSource, to, verdict });
      if (opts.json === true) {
        const since =
          liveSinceSource === "assumed from --window" ? nowMs - windowSeconds! * 1000 : liveSinceMs;
        const json = {
          verdict,
          transition: kind,
          from,
          fromSource,
          to,
          liveSince: since === undefined ? null : new Date(since).toISOString(),
          liveSinceSource,
          message: headline,
          checks,
        };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      } else {
        process.stdout.write(
          checks.length > 0 ? `${headline}\n${renderDecisionTable(checks)}\n` : `${headline}\n`,
        );
      }
      setExitCode(EXIT[verdict]);
    });
};
