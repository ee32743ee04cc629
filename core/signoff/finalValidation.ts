/**
 * Stage 5, final validation, beside the sign-off's time and SLO checks: no performance
 * regression against the stable version's figures before the rollout started, the full
 * suite's pass rate, and the final security scan. Each is a {@link CheckResult} with value,
 * threshold, verdict and reason, like the gate's; a missing input is inconclusive and names
 * the flag that supplies it, never a pass. Pure: the CLI reads files and queries Prometheus.
 */
import { parseIsoDateTimeMs } from "../gate/cliArguments";
import { QueryOutcome } from "../gate/prometheusResponse";
import { CheckResult, DecisionRecord } from "../gate/types";
import { appSelector, LATENCY_QUANTILE } from "../slo/sloRules";

/** The lowest pass rate of the full suite that signs off, in percent (the seed plan's 98 %). */
export const SIGNOFF_MIN_PASS_RATE_PERCENT = 98;

/** A span of time, ms since the epoch. */
export interface Period {
  /** Start, inclusive. */
  readonly fromMs: number;
  /** End. */
  readonly toMs: number;
}

/** The baseline period and where it came from, or why there is none. */
export type Baseline =
  | { readonly kind: "period"; readonly period: Period; readonly source: string }
  | { readonly kind: "unknown"; readonly reason: string };

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The stable version's baseline: the 0 % stage's validation window before the first
 * promotion from 0 % in the gate's records (the window the gate judged it on). The gate
 * keeps its last 20 records, so a long rollout may no longer hold it: then there is none, and
 * the reason names the flags that give one.
 */
export function baselineFromRecords(
  records: readonly DecisionRecord[],
  validationWindowSeconds: number,
): Baseline {
  const first = records.find((r) => r.decision === "promotion" && r.from === 0);
  const t = first === undefined ? NaN : Date.parse(first.time);
  if (first === undefined || !Number.isFinite(t)) {
    return {
      kind: "unknown",
      reason:
        "the gate's records hold no promotion from 0% (they keep the last 20 decisions): pass the stable version's period with --baseline-from and --baseline-to",
    };
  }
  return {
    kind: "period",
    period: { fromMs: t - validationWindowSeconds * 1000, toMs: t },
    source: `the 0% stage's validation window before the promotion 0% -> ${first.to}% at ${first.time}`,
  };
}

/**
 * The baseline from `--baseline-from` and `--baseline-to` (ISO 8601 date-times with a time
 * zone, both or neither, from before to, to not after now); `undefined` when neither is given
 * (the gate's records decide). Every problem is reported at once.
 */
export function parseBaselineArguments(
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
): { readonly baseline?: Baseline } | { readonly problems: readonly string[] } {
  if (from === undefined && to === undefined) return {};
  const problems: string[] = [];
  const allowed =
    "an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00";
  const read = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) {
      problems.push(
        `${flag} is required with ${flag === "--baseline-from" ? "--baseline-to" : "--baseline-from"}: give both ends of the stable version's period; got nothing`,
      );
      return undefined;
    }
    const ms = parseIsoDateTimeMs(text);
    if (ms === undefined) problems.push(`${flag} must be ${allowed}; got ${JSON.stringify(text)}`);
    else if (ms > nowMs) {
      problems.push(
        `${flag} must not be in the future (now ${iso(nowMs)}); got ${JSON.stringify(text)}`,
      );
      return undefined;
    }
    return ms;
  };
  const fromMs = read("--baseline-from", from);
  const toMs = read("--baseline-to", to);
  if (fromMs !== undefined && toMs !== undefined && !(fromMs < toMs)) {
    problems.push(
      `--baseline-from must be before --baseline-to (${to}); got ${JSON.stringify(from)}`,
    );
  }
  if (problems.length > 0 || fromMs === undefined || toMs === undefined) return { problems };
  return {
    baseline: {
      kind: "period",
      period: { fromMs, toMs },
      source: "--baseline-from/--baseline-to",
    },
  };
}

/** The queries of one period's figures: all traffic of the application, one series each. */
export interface PeriodQueries {
  /** 5xx / all responses over the period (0 when no 5xx at all; NaN with no requests). */
  readonly errorRatio: string;
  /** P95 request latency in seconds over the period. */
  readonly latencyP95Seconds: string;
}

/**
 * The queries of a period of `periodSeconds` ending at the evaluation time: the application's
 * whole traffic (`sum`, no variant: at 0 % all of it is the stable version, at 100 % the new
 * one), selected by job and instance as the gate does.
 */
export function periodQueries(
  app: { readonly appJob: string; readonly appInstance: string; readonly statusLabel: string },
  periodSeconds: number,
): PeriodQueries {
  const sel = appSelector(app.appJob, app.appInstance);
  const w = `${Math.max(1, Math.round(periodSeconds))}s`;
  const all = `sum(increase(http_requests_total{${sel}}[${w}]))`;
  return {
    errorRatio: `(sum(increase(http_requests_total{${sel},${app.statusLabel}=~"5.."}[${w}])) or vector(0)) / ${all}`,
    latencyP95Seconds: `histogram_quantile(${LATENCY_QUANTILE}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${w}])))`,
  };
}

/** The answers to {@link periodQueries} for one period. */
export interface PeriodFigures {
  /** The error ratio's answer. */
  readonly errorRatio: QueryOutcome;
  /** The P95's answer, in seconds. */
  readonly latencyP95Seconds: QueryOutcome;
}

/** What the regression checks compare. */
export interface RegressionInput {
  /** The baseline period, or why there is none. */
  readonly baseline: Baseline;
  /** Its figures; absent when there is no baseline period. */
  readonly baselineFigures?: PeriodFigures;
  /** The sign-off period at 100 %. */
  readonly signoffPeriod: Period;
  /** Its figures. */
  readonly signoffFigures: PeriodFigures;
  /** How far above the baseline a figure may be, in percent of it. */
  readonly tolerancePercent: number;
  /** The error rate objective in percent: the absolute floor of the error rate's allowance. */
  readonly errorRateObjectivePercent: number;
}

const check = (
  name: string,
  value: string,
  threshold: string,
  verdict: CheckResult["verdict"],
  reason: string,
): CheckResult => ({ name, value, threshold, verdict, reason });

/** One figure read from an answer: a number, nothing, or why it cannot be used. */
type Figure =
  | { readonly kind: "value"; readonly value: number }
  | { readonly kind: "none"; readonly reason: string }
  | { readonly kind: "error"; readonly reason: string };

/** The single label-less value of `outcome`, checked against its domain. */
function figure(
  outcome: QueryOutcome,
  what: string,
  period: string,
  max: number,
  domain: string,
): Figure {
  if (outcome.kind === "error")
    return { kind: "error", reason: `${what} query failed: ${outcome.reason}` };
  if (
    outcome.kind === "empty" ||
    (outcome.samples.length === 1 && Number.isNaN(outcome.samples[0].value))
  ) {
    return { kind: "none", reason: `no ${what} ${period}: no requests were measured` };
  }
  if (outcome.samples.length !== 1) {
    return {
      kind: "error",
      reason: `${what} query answered ${outcome.samples.length} series ${period}; expected one`,
    };
  }
  const v = outcome.samples[0].value;
  if (!Number.isFinite(v) || v < 0 || v > max) {
    return {
      kind: "error",
      reason: `Prometheus answered ${what} ${v} ${period}: not ${domain}`,
    };
  }
  return { kind: "value", value: v };
}

/** A signed change in percent of the baseline: `+7.1%`, `-3.0%`, `n/a` from a baseline of 0. */
function change(value: number, base: number): string {
  if (base === 0) return value === 0 ? "+0.0%" : "n/a from 0";
  const p = ((value - base) / base) * 100;
  return `${p >= 0 ? "+" : ""}${p.toFixed(1)}%`;
}

/** Milliseconds as the checks show them: whole from 100 ms, to a tenth below (5.3 ms). */
function msShown(ms: number): string {
  return `${ms >= 100 ? Math.round(ms) : Number(ms.toFixed(1))} ms`;
}

/** Values this close to an allowance (float noise) are taken as equal to it. */
const EPSILON = 1e-9;

/**
 * The two regression checks, figures side by side: "p95 vs baseline" (the sign-off period's
 * P95 at most the baseline's plus the tolerance) and "error rate vs baseline" (at most the
 * larger of the baseline's plus the same relative tolerance and the error rate objective:
 * a relative allowance over a baseline of 0 errors would refuse a single error in millions,
 * and a rate within the plan's objective is no regression the plan cares about).
 */
export function evaluateRegression(input: RegressionInput): CheckResult[] {
  const tol = input.tolerancePercent;
  const sp = input.signoffPeriod;
  const signoffText = `over the sign-off period (${iso(sp.fromMs)} to ${iso(sp.toMs)})`;
  const out: CheckResult[] = [];
  const specs = [
    {
      name: "p95 vs baseline",
      what: "P95 latency",
      pick: (f: PeriodFigures) => f.latencyP95Seconds,
      max: Number.MAX_VALUE,
      domain: "a latency (a finite number of seconds, 0 or more)",
      show: (x: number) => msShown(x * 1000),
      allowed: (base: number) => base * (1 + tol / 100),
      allowedText: (base: number, allowed: number) =>
        `<= ${msShown(allowed * 1000)} (baseline ${msShown(base * 1000)} + ${tol}%)`,
    },
    {
      name: "error rate vs baseline",
      what: "error rate",
      pick: (f: PeriodFigures) => f.errorRatio,
      max: 1,
      domain: "a ratio (0 to 1)",
      show: (x: number) => `${(x * 100).toFixed(3)}%`,
      allowed: (base: number) =>
        Math.max(base * (1 + tol / 100), input.errorRateObjectivePercent / 100),
      allowedText: (base: number, allowed: number) =>
        `<= ${(allowed * 100).toFixed(3)}% (the larger of baseline ${(base * 100).toFixed(3)}% + ${tol}% and the objective ${input.errorRateObjectivePercent}%)`,
    },
  ];
  for (const s of specs) {
    const threshold = `<= baseline + ${tol}%`;
    const now = figure(s.pick(input.signoffFigures), s.what, signoffText, s.max, s.domain);
    if (now.kind === "error") {
      out.push(check(s.name, "error", threshold, "error", now.reason));
      continue;
    }
    if (input.baseline.kind === "unknown" || input.baselineFigures === undefined) {
      const why =
        input.baseline.kind === "unknown" ? input.baseline.reason : "the baseline was not measured";
      out.push(
        check(
          s.name,
          now.kind === "value" ? `${s.show(now.value)} vs no baseline` : "no data",
          threshold,
          "inconclusive",
          `no baseline to compare the ${s.what} with: ${why}`,
        ),
      );
      continue;
    }
    const bp = input.baseline.period;
    const baselineText = `(${input.baseline.source}, ${iso(bp.fromMs)} to ${iso(bp.toMs)})`;
    const base = figure(
      s.pick(input.baselineFigures),
      `baseline ${s.what}`,
      `over the baseline period ${baselineText}`,
      s.max,
      s.domain,
    );
    if (base.kind === "error") {
      out.push(check(s.name, "error", threshold, "error", base.reason));
      continue;
    }
    if (now.kind === "none" || base.kind === "none") {
      out.push(
        check(
          s.name,
          "no data",
          threshold,
          "inconclusive",
          now.kind === "none" ? now.reason : (base as { reason: string }).reason,
        ),
      );
      continue;
    }
    const allowed = s.allowed(base.value);
    const over = now.value > allowed + EPSILON * Math.max(1, allowed);
    const value = `${s.show(now.value)} vs baseline ${s.show(base.value)} (${change(now.value, base.value)})`;
    out.push(
      check(
        s.name,
        value,
        s.allowedText(base.value, allowed),
        over ? "fail" : "pass",
        `${s.what} ${signoffText} ${s.show(now.value)} ${over ? ">" : "<="} allowed ${s.allowedText(base.value, allowed).slice(3)}; baseline ${baselineText}`,
      ),
    );
  }
  return out;
}

/** A file the operator named on the command line: its text, or why it could not be read. */
export type InputFile =
  | { readonly path: string; readonly text: string }
  | { readonly path: string; readonly error: string };

/** The start of a text, quoted, for a reason. */
function quoted(text: string): string {
  const flat = text.trim().replace(/\s+/g, " ");
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}...` : flat);
}

/** Parses a JSON file, or says why not, naming the flag and the path. */
function readJson(
  flag: string,
  file: InputFile,
): { readonly json: unknown } | { readonly reason: string } {
  if ("error" in file) return { reason: `cannot read ${flag} ${file.path}: ${file.error}` };
  try {
    return { json: JSON.parse(file.text) as unknown };
  } catch {
    return { reason: `${flag} ${file.path} is not JSON: ${quoted(file.text)}` };
  }
}

/**
 * The full suite's pass rate from the pipeline's mocha JSON report (`--reporter json`, as
 * scripts/testPassRate.js reads it): `stats.passes` of `stats.tests` at or above
 * `minPercent`. No file is inconclusive; an unreadable or malformed one, or one with no
 * tests, is an error.
 */
export function evaluateTestResults(
  file: InputFile | undefined,
  minPercent: number = SIGNOFF_MIN_PASS_RATE_PERCENT,
): CheckResult {
  const name = "suite pass rate";
  const threshold = `>= ${minPercent}%`;
  if (file === undefined) {
    return check(
      name,
      "not given",
      threshold,
      "inconclusive",
      "no test results: pass the pipeline's mocha JSON report with --test-results <file>",
    );
  }
  const read = readJson("--test-results", file);
  if ("reason" in read) return check(name, "error", threshold, "error", read.reason);
  const report = read.json as {
    stats?: { tests?: unknown; passes?: unknown };
    failures?: { fullTitle?: unknown }[];
  } | null;
  const tests = report?.stats?.tests;
  const passes = report?.stats?.passes;
  if (
    typeof tests !== "number" ||
    typeof passes !== "number" ||
    !Number.isInteger(tests) ||
    !Number.isInteger(passes) ||
    tests <= 0 ||
    passes < 0 ||
    passes > tests
  ) {
    return check(
      name,
      "error",
      threshold,
      "error",
      `--test-results ${file.path} is not a mocha JSON report with tests: stats.tests must be a whole number above 0 and stats.passes one from 0 to it; got ${JSON.stringify(report?.stats ?? null)}`,
    );
  }
  const rate = (100 * passes) / tests;
  const value = `${rate.toFixed(1)}% (${passes} of ${tests})`;
  if (rate + EPSILON >= minPercent) {
    return check(
      name,
      value,
      threshold,
      "pass",
      `${passes} of ${tests} tests passed in ${file.path}: ${rate.toFixed(1)}% >= ${minPercent}%`,
    );
  }
  const failed = (Array.isArray(report?.failures) ? report.failures : [])
    .map((f) => (typeof f?.fullTitle === "string" ? f.fullTitle : undefined))
    .filter((t): t is string => t !== undefined);
  const named =
    failed.length > 0
      ? `; failed: ${failed.slice(0, 3).join("; ")}${failed.length > 3 ? ` and ${failed.length - 3} more` : ""}`
      : "";
  return check(
    name,
    value,
    threshold,
    "fail",
    `${passes} of ${tests} tests passed in ${file.path}: ${rate.toFixed(1)}% < ${minPercent}%${named}`,
  );
}

/**
 * The final security scan from the JSON `genesis security-check --json` writes: it must be
 * of the stack being signed off, and pass when its `exitCode` is 0 (no mandatory rule
 * violated); the failing rules are named. No file is inconclusive; an unreadable or
 * malformed one is an error.
 */
export function evaluateSecurityReport(file: InputFile | undefined, stack: string): CheckResult {
  const name = "security scan";
  const threshold = "exit code 0 (no mandatory rule violated)";
  if (file === undefined) {
    return check(
      name,
      "not given",
      threshold,
      "inconclusive",
      `no security scan: run genesis security-check --stack ${stack} --json > <file> and pass it with --security-report <file>`,
    );
  }
  const read = readJson("--security-report", file);
  if ("reason" in read) return check(name, "error", threshold, "error", read.reason);
  const report = read.json as {
    stack?: unknown;
    exitCode?: unknown;
    results?: { name?: unknown; level?: unknown; violations?: unknown }[];
  } | null;
  const exitCode = report?.exitCode;
  if (
    typeof exitCode !== "number" ||
    (exitCode !== 0 && exitCode !== 1) ||
    !Array.isArray(report?.results) ||
    typeof report?.stack !== "string"
  ) {
    return check(
      name,
      "error",
      threshold,
      "error",
      `--security-report ${file.path} is not the JSON genesis security-check --json writes: it needs a stack, results and an exitCode of 0 or 1; got ${quoted(JSON.stringify(report))}`,
    );
  }
  if (report.stack !== stack) {
    return check(
      name,
      `stack ${report.stack}`,
      threshold,
      "inconclusive",
      `--security-report ${file.path} scanned stack ${JSON.stringify(report.stack)}, not ${JSON.stringify(stack)}: scan the stack being signed off`,
    );
  }
  const results = report.results as { name?: unknown; level?: unknown; violations?: unknown }[];
  const failing = results
    .filter(
      (r) => r?.level === "mandatory" && Array.isArray(r.violations) && r.violations.length > 0,
    )
    .map((r) => String(r.name));
  if (exitCode === 0) {
    return check(
      name,
      "exit 0",
      threshold,
      "pass",
      `genesis security-check of ${stack} in ${file.path}: ${results.length} ${results.length === 1 ? "rule" : "rules"}, no mandatory rule violated`,
    );
  }
  return check(
    name,
    "exit 1",
    threshold,
    "fail",
    `genesis security-check of ${stack} in ${file.path} found mandatory rules violated: ${failing.length > 0 ? failing.join(", ") : "(not named in the report)"}`,
  );
}
