/**
 * `genesis gate --stack S [--to PERCENT] [--window DURATION] [--live-since TIME] [--json]`:
 * the promotion decision a `pulumi up` would make now. Exit 0 pass, 1 fail, 2 could not
 * decide, 64 usage.
 */
import { summarizeVerdict } from "../../core/gate/checks";
import { decideRollout, transitionProblems } from "../../core/gate/decideRollout";
import { renderDecisionTable } from "../../core/gate/decisionTable";
import { parseDurationSeconds } from "../../core/gate/duration";
import { gateSettingsFromConfig } from "../../core/gate/gateSettings";
import { CheckResult, GateVerdict } from "../../core/gate/types";
import { evaluateGateNow } from "../../components/gates/gateProbe";
import { loadStackConfig, UsageError } from "../loadStack";
import type { CommandRegistrar } from "../main";
import { addGateOptions, endpointOverrides, GateCommandOptions } from "./gateOptions";

interface GateOptions extends GateCommandOptions {
  readonly to?: string;
  readonly window?: string;
  readonly liveSince?: string;
}

const EXIT: Readonly<Record<GateVerdict, number>> = { pass: 0, fail: 1, inconclusive: 2 };

/** Registers `genesis gate`. */
export const registerGate: CommandRegistrar = (program, setExitCode) => {
  addGateOptions(
    program.command("gate").description("the promotion decision a pulumi up would make now"),
  )
    .option("--to <percent>", "the percentage to promote to (default: the next step)")
    .option("--window <duration>", "the validation window, such as 300s or 5m")
    .option(
      "--live-since <time>",
      "when the current stage went live (ISO 8601; the stack's liveSince output); without it the stage counts as live for --window, and without both the stage-live check cannot be decided",
    )
    .action(async (opts: GateOptions) => {
      const cfg = loadStackConfig(opts.stack, opts.projectDir);
      let windowSeconds: number | undefined;
      if (opts.window !== undefined) {
        try {
          windowSeconds = parseDurationSeconds(opts.window, "--window");
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      }
      const settings = {
        ...gateSettingsFromConfig(cfg, {
          ...endpointOverrides(opts),
          validationWindowSeconds: windowSeconds,
        }),
        ...(opts.appInstance !== undefined ? { appInstance: opts.appInstance } : {}),
      };
      const from = cfg.rollout.percentage;
      const next = settings.steps.find((s) => s > from);
      const to = opts.to === undefined ? next : Number(opts.to);
      if (to === undefined) {
        throw new UsageError(
          `--to: the stack is at ${from}%, the last step; there is nothing to promote to`,
        );
      }
      const problems = transitionProblems(settings.steps, settings.allowStepSkip, from, to);
      if (problems.length > 0) throw new UsageError(`--to: ${problems.join("; ")}`);
      let liveSinceMs: number | undefined;
      if (opts.liveSince !== undefined) {
        liveSinceMs = Date.parse(opts.liveSince);
        if (Number.isNaN(liveSinceMs)) {
          throw new UsageError(
            `--live-since must be an ISO 8601 time such as 2026-01-01T12:00:00Z; got ${JSON.stringify(opts.liveSince)}`,
          );
        }
      }
      const nowMs = Date.now();
      let checks: CheckResult[] = [];
      let verdict: GateVerdict = "pass";
      let summary: string;
      if (to <= from) {
        summary = decideRollout({
          state: {
            percentage: from,
            liveSinceMs: liveSinceMs ?? nowMs,
            lastVerdicts: [],
            records: [],
          },
          targetPercentage: to,
          nowMs,
          settings,
        }).message;
      } else {
        // Without the gate's state, --window stands for how long the stage has been live.
        const assumed = liveSinceMs === undefined && windowSeconds !== undefined;
        const since = liveSinceMs ?? (assumed ? nowMs - windowSeconds! * 1000 : nowMs);
        checks = await evaluateGateNow(settings, from, since, nowMs);
        if (assumed) {
          checks = checks.map((c) =>
            c.name === "stage live"
              ? {
                  ...c,
                  reason: `assumed live for the --window ${opts.window} (no --live-since given)`,
                }
              : c,
          );
        } else if (liveSinceMs === undefined) {
          checks = checks.map((c) =>
            c.name === "stage live"
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
        verdict = summarizeVerdict(checks);
        summary = `promotion from ${from}% to ${to}%: ${verdict}`;
      }
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify({ verdict, checks }, null, 2)}\n`);
      } else {
        process.stdout.write(
          checks.length > 0 ? `${summary}\n${renderDecisionTable(checks)}\n` : `${summary}\n`,
        );
      }
      setExitCode(EXIT[verdict]);
    });
};
