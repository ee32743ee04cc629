/**
 * `genesis report --stack S [--format md|html] [--out DIR]`: the daily update, with figures
 * from Prometheus (now, and across the rollout for the HTML charts) and the gate's state
 * from the stack outputs. `genesis signoff --stack S`: final sign-off (Gate 3). Exit codes
 * of signoff: 0 pass, 1 fail or approvals missing, 2 could not decide, 64 usage.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { renderDecisionTable } from "../../core/gate/decisionTable";
import { gateSettingsFromConfig } from "../../core/gate/gateSettings";
import { GateState } from "../../core/gate/types";
import { chartRange, dailyFacts } from "../../core/report/dailyFacts";
import { dailyStatus, renderDailyHtml, renderDailyMarkdown } from "../../core/report/dailyReport";
import {
  Baseline,
  baselineFromRecords,
  InputFile,
  Period,
  PeriodFigures,
  parseBaselineArguments,
  periodQueries,
} from "../../core/signoff/finalValidation";
import { evaluateSignoff, renderSignoff, signoffQueries } from "../../core/signoff/signoff";
import { appSelector, sloRule, sloRules } from "../../core/slo/sloRules";
import {
  collectHealth,
  collectMetrics,
  startDecision,
  DecisionDeadline,
  queryPrometheus,
  queryPrometheusAt,
  queryPrometheusRange,
} from "../../io/gateProbe";
import { loadStackConfig, PROJECT_DIR, UsageError } from "../loadStack";
import { PulumiCliMissingError } from "../rollout/automationStack";
import { readStackGateState } from "../stackGateState";
import type { CommandRegistrar } from "../main";
import { addGateOptions, endpointOverrides, GateCommandOptions } from "./gateOptions";
import { rolloutEnvironment } from "./rollout";

interface ReportOptions extends GateCommandOptions {
  readonly format?: string;
  readonly out?: string;
}

/** The gate's state from the stack outputs, or why it could not be read (the fix on stderr). */
export async function readGate(
  stack: string,
  projectDir: string,
): Promise<{ gate?: GateState; gateUnavailable?: string }> {
  const read = await readStackGateState(stack, projectDir);
  if (read.kind === "state") return { gate: read.gate };
  if (read.kind === "missing") {
    return { gateUnavailable: "the stack outputs have no livePercentage and liveSince" };
  }
  // Documents say what is unknown and why in one line, never a raw error; the operator gets
  // the fix on stderr.
  const e = read.error;
  process.stderr.write(`gate state unavailable: ${e instanceof Error ? e.message : String(e)}\n`);
  return {
    gateUnavailable:
      e instanceof PulumiCliMissingError
        ? "the Pulumi CLI was not found on PATH"
        : "the stack outputs could not be read",
  };
}

/** What both commands start from: the config, gate settings, the SLO rules, the gate's state. */
async function reportContext(opts: GateCommandOptions) {
  const projectDir = opts.projectDir ?? PROJECT_DIR;
  const cfg = loadStackConfig(opts.stack, projectDir);
  const settings = {
    ...gateSettingsFromConfig(cfg, endpointOverrides(opts)),
    ...(opts.appInstance !== undefined ? { appInstance: opts.appInstance } : {}),
  };
  const nowMs = rolloutEnvironment().clock.nowMs();
  const gateState = await readGate(opts.stack, projectDir);
  const rules = sloRules(cfg, appSelector(settings.appJob, settings.appInstance));
  return { projectDir, cfg, settings, nowMs, rules, ...gateState };
}

/** Registers `genesis report`. */
export const registerReport: CommandRegistrar = (program, setExitCode) => {
  addGateOptions(
    program.command("report").description("write the daily update (Markdown or HTML with charts)"),
  )
    .option("--format <format>", "md or html", "md")
    .option("--out <dir>", "where to write it (default: reports/)")
    .action(async (opts: ReportOptions) => {
      const format = opts.format ?? "md";
      if (opts.json === true) {
        throw new UsageError(
          `--json does not apply to report, which writes a document: use --format md or --format html; got --json`,
        );
      }
      if (format !== "md" && format !== "html") {
        throw new UsageError(`--format must be md or html; got "${format}"`);
      }
      const { projectDir, cfg, settings, nowMs, rules, gate, gateUnavailable } =
        await reportContext(opts);
      const { startS, endS, stepS } = chartRange(gate, nowMs, cfg.monitoring.scrapeIntervalSeconds);
      // One deadline for everything the report reads, as for a gate decision.
      const decision = startDecision(settings.decisionTimeoutMs);
      const range = (q: string) =>
        queryPrometheusRange(
          settings.endpoints.prometheusUrl,
          q,
          startS,
          endS,
          stepS,
          settings.requestTimeoutMs,
          settings.retries,
          decision,
        );
      const [probes, metrics, errorSeries, latencySeries] = await Promise.all([
        collectHealth(settings.endpoints, settings.requestTimeoutMs, settings.retries, decision),
        collectMetrics(settings, undefined, decision),
        range(`max(${sloRule(rules, "GenesisErrorRateHigh").measure.expr})`),
        range(`max(${sloRule(rules, "GenesisLatencyP95High").measure.expr})`),
      ]);
      const facts = dailyFacts({
        stack: opts.stack,
        config: cfg,
        nowMs,
        ...(gate !== undefined ? { gate } : {}),
        ...(gateUnavailable !== undefined ? { gateUnavailable } : {}),
        probes,
        metrics,
        errorSeries,
        latencySeries,
      });
      const out = opts.out ?? path.join(projectDir, "reports");
      const file = path.join(
        out,
        `daily-${opts.stack}-${new Date(nowMs).toISOString().slice(0, 10)}.${format}`,
      );
      await mkdir(out, { recursive: true });
      await writeFile(
        file,
        format === "md" ? renderDailyMarkdown(facts) : renderDailyHtml(facts),
        "utf8",
      );
      process.stdout.write(`${dailyStatus(facts).status}: daily update written to ${file}\n`);
      setExitCode(0);
    });
};

interface SignoffOptions extends GateCommandOptions {
  readonly baselineFrom?: string;
  readonly baselineTo?: string;
  readonly testResults?: string;
  readonly securityReport?: string;
}

/** A file named by a flag: its text, or why it could not be read (never thrown). */
async function readInputFile(file: string | undefined): Promise<InputFile | undefined> {
  if (file === undefined) return undefined;
  try {
    return { path: file, text: await readFile(file, "utf8") };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { path: file, error: err.code ?? err.message ?? String(e) };
  }
}

/** The figures of `period`: its error ratio and P95, queried at its end over its length. */
async function periodFigures(
  settings: ReturnType<typeof gateSettingsFromConfig>,
  period: Period,
  decision: DecisionDeadline,
): Promise<PeriodFigures> {
  const q = periodQueries(settings, (period.toMs - period.fromMs) / 1000);
  const at = (query: string) =>
    queryPrometheusAt(
      settings.endpoints.prometheusUrl,
      query,
      period.toMs / 1000,
      settings.requestTimeoutMs,
      settings.retries,
      decision,
    );
  const [errorRatio, latencyP95Seconds] = await Promise.all([
    at(q.errorRatio),
    at(q.latencyP95Seconds),
  ]);
  return { errorRatio, latencyP95Seconds };
}

/** Registers `genesis signoff`. */
export const registerSignoff: CommandRegistrar = (program, setExitCode) => {
  addGateOptions(
    program
      .command("signoff")
      .description(
        "final sign-off: 100% for the required time with the SLOs held, no regression against the baseline, the suite's pass rate, the security scan, and the approvals",
      ),
  )
    .option(
      "--baseline-from <time>",
      "start of the stable version's period before the rollout (ISO 8601; default: the 0% stage's window from the gate's records)",
    )
    .option("--baseline-to <time>", "end of that period (ISO 8601; with --baseline-from)")
    .option("--test-results <file>", "the pipeline's mocha JSON report of the full suite")
    .option("--security-report <file>", "the JSON genesis security-check --json wrote")
    .action(async (opts: SignoffOptions) => {
      const nowForFlags = rolloutEnvironment().clock.nowMs();
      const parsed = parseBaselineArguments(opts.baselineFrom, opts.baselineTo, nowForFlags);
      if ("problems" in parsed) throw new UsageError(parsed.problems.join("; "));
      const { cfg, settings, nowMs, rules, gate, gateUnavailable } = await reportContext(opts);
      const decision = startDecision(settings.decisionTimeoutMs);
      const baseline: Baseline =
        parsed.baseline ??
        (gate !== undefined
          ? baselineFromRecords(gate.records, cfg.slo.validationWindowSeconds)
          : {
              kind: "unknown",
              reason: `the gate's state is unknown (${gateUnavailable ?? "no stack outputs"}): pass the stable version's period with --baseline-from and --baseline-to`,
            });
      const signoffPeriod: Period = {
        fromMs: nowMs - cfg.signoff.requiredHours * 3600_000,
        toMs: nowMs,
      };
      const queries = signoffQueries(
        rules,
        cfg.signoff.requiredHours * 3600,
        cfg.monitoring.scrapeIntervalSeconds,
      );
      const [entries, signoffFigures, baselineFigures, testResults, securityReport] =
        await Promise.all([
          Promise.all(
            Object.entries(queries).map(async ([alert, q]) => [
              alert,
              await queryPrometheus(
                settings.endpoints.prometheusUrl,
                q,
                settings.requestTimeoutMs,
                settings.retries,
                decision,
              ),
            ]),
          ),
          periodFigures(settings, signoffPeriod, decision),
          baseline.kind === "period"
            ? periodFigures(settings, baseline.period, decision)
            : Promise.resolve(undefined),
          readInputFile(opts.testResults),
          readInputFile(opts.securityReport),
        ]);
      const result = evaluateSignoff({
        stack: opts.stack,
        config: cfg,
        ...(gate !== undefined ? { gate } : {}),
        ...(gateUnavailable !== undefined ? { gateUnavailable } : {}),
        nowMs,
        held: Object.fromEntries(entries),
        regression: {
          baseline,
          ...(baselineFigures !== undefined ? { baselineFigures } : {}),
          signoffPeriod,
          signoffFigures,
          tolerancePercent: cfg.signoff.regressionTolerancePercent,
          errorRateObjectivePercent: cfg.slo.errorRateObjectivePercent,
        },
        ...(testResults !== undefined ? { testResults } : {}),
        ...(securityReport !== undefined ? { securityReport } : {}),
      });
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        process.stdout.write(
          `${renderSignoff(opts.stack, result, renderDecisionTable(result.checks))}\n`,
        );
      }
      setExitCode(result.verdict === "pass" ? 0 : result.verdict === "fail" ? 1 : 2);
    });
};
