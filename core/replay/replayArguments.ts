/**
 * The arguments of `genesis replay`, parsed strictly and checked against what Prometheus can
 * answer: the span must lie within the stack's retention, the step must not be shorter than a
 * scrape interval, and the timeline must not exceed {@link MAX_REPLAY_INSTANTS} points. Pure:
 * the stack's limits and the clock are arguments; every problem is returned at once, each
 * naming the flag, the value received and the limit.
 */
import { parseIsoDateTimeMs, parseWindowArgument } from "../gate/cliArguments";
import { parseDurationSeconds } from "../gate/duration";

/** The most instants one replay evaluates: beyond this, ask for a longer `--every`. */
export const MAX_REPLAY_INSTANTS = 100_000;

/** How far ahead of the clock `--to` may be (clock skew), in milliseconds. */
export const REPLAY_CLOCK_SKEW_MS = 60_000;

/** The formats `genesis replay` writes. */
export type ReplayFormat = "md" | "html" | "json";

/** The flags as the command line gave them (all text; undefined when not given). */
export interface ReplayFlags {
  /** `--from`: the first instant, ISO 8601 with a time zone. */
  readonly from?: string;
  /** `--to`: the last instant, ISO 8601 with a time zone. */
  readonly to?: string;
  /** `--every`: the step between instants. @default "1m" */
  readonly every?: string;
  /** `--window`: the validation window judged at each instant. @default the stack's */
  readonly window?: string;
  /** `--error-rate-threshold`: what-if error-rate threshold in percent. */
  readonly errorRateThreshold?: string;
  /** `--latency-p95-threshold`: what-if P95 threshold in milliseconds. */
  readonly latencyP95Threshold?: string;
  /** `--min-requests`: what-if minimum request count. */
  readonly minRequests?: string;
  /** `--format`. @default "md" */
  readonly format?: string;
}

/** What the stack and the clock allow. */
export interface ReplayLimits {
  /** Now, ms since the epoch. */
  readonly nowMs: number;
  /** `genesis:scrapeIntervalSeconds`: the shortest step, and the window's floor. */
  readonly scrapeIntervalSeconds: number;
  /** `genesis:prometheusRetentionDays`: how far back Prometheus keeps samples. */
  readonly retentionDays: number;
}

/** The thresholds a what-if replay changes; absent ones keep the stack's. */
export interface WhatIfThresholds {
  /** Error-rate threshold in percent. */
  readonly errorRateThresholdPercent?: number;
  /** P95 latency threshold in milliseconds. */
  readonly latencyP95ThresholdMs?: number;
  /** Fewest requests in the window to judge. */
  readonly minRequestCount?: number;
}

/** A replay the command may run. */
export interface ReplayRequest {
  /** The first instant, ms since the epoch. */
  readonly fromMs: number;
  /** The last instant asked for, ms since the epoch (the timeline stops at or before it). */
  readonly toMs: number;
  /** The step between instants, in seconds. */
  readonly stepSeconds: number;
  /** The validation window judged at each instant, when `--window` was given. */
  readonly windowSeconds?: number;
  /** The what-if thresholds given (empty: replay with the stack's own only). */
  readonly whatIf: WhatIfThresholds;
  /** The output format. */
  readonly format: ReplayFormat;
}

/** A parsed request, or every problem found. */
export type ParsedReplay =
  { readonly request: ReplayRequest } | { readonly problems: readonly string[] };

/** How many instants a timeline from `fromMs` to `toMs` at `stepSeconds` has. */
export function instantCount(fromMs: number, toMs: number, stepSeconds: number): number {
  return Math.floor((toMs - fromMs) / (stepSeconds * 1000)) + 1;
}

/** `ms` as a duration for a message: `7 d 2 h`, `90 min`, `45 s`. */
export function spanText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 86400 === 0) return `${s / 86400} d`;
  if (s >= 86400) return `${(s / 86400).toFixed(2)} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const WHOLE = /^[1-9][0-9]*$/;

/** A time flag, or its problem. */
function timeFlag(flag: string, text: string | undefined, problems: string[]): number | undefined {
  if (text === undefined) {
    problems.push(
      `${flag} is required: an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z`,
    );
    return undefined;
  }
  const ms = parseIsoDateTimeMs(text);
  if (ms === undefined) {
    problems.push(
      `${flag} must be an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00; got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

/**
 * Parses the flags of `genesis replay` against `limits`. Refused: a time that is not strict
 * ISO 8601 with a zone, `--to` before `--from` or in the future, a span longer than Prometheus
 * retains or starting before what it still holds, a step under the scrape interval, more
 * than {@link MAX_REPLAY_INSTANTS} instants, a window outside `genesis gate --window`'s
 * range, thresholds outside the stack keys' ranges, an unknown format.
 */
export function parseReplayFlags(flags: ReplayFlags, limits: ReplayLimits): ParsedReplay {
  const problems: string[] = [];
  const fromMs = timeFlag("--from", flags.from, problems);
  const toMs = timeFlag("--to", flags.to, problems);
  const everyText = flags.every ?? "1m";
  let stepSeconds: number | undefined;
  try {
    stepSeconds = parseDurationSeconds(everyText, "--every");
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (stepSeconds !== undefined && stepSeconds < limits.scrapeIntervalSeconds) {
    problems.push(
      `--every must be at least the scrape interval (genesis:scrapeIntervalSeconds ${limits.scrapeIntervalSeconds} s): a shorter step only repeats the same samples; got ${JSON.stringify(everyText)} (${stepSeconds} s)`,
    );
    stepSeconds = undefined;
  }
  const retentionMs = limits.retentionDays * 86_400_000;
  if (fromMs !== undefined && toMs !== undefined) {
    if (toMs < fromMs) {
      problems.push(
        `--to must not be before --from; got --to ${JSON.stringify(flags.to)} (${new Date(toMs).toISOString()}), ${spanText(fromMs - toMs)} before --from ${JSON.stringify(flags.from)} (${new Date(fromMs).toISOString()})`,
      );
    } else if (toMs - fromMs > retentionMs) {
      problems.push(
        `--from/--to span ${spanText(toMs - fromMs)}, longer than Prometheus retains (genesis:prometheusRetentionDays ${limits.retentionDays} d); got --from ${JSON.stringify(flags.from)} --to ${JSON.stringify(flags.to)}`,
      );
    } else if (stepSeconds !== undefined) {
      const count = instantCount(fromMs, toMs, stepSeconds);
      if (count > MAX_REPLAY_INSTANTS) {
        const minStep = Math.ceil((toMs - fromMs) / 1000 / (MAX_REPLAY_INSTANTS - 1));
        problems.push(
          `--every ${JSON.stringify(everyText)} gives ${count} instants from --from to --to (${spanText(toMs - fromMs)}); at most ${MAX_REPLAY_INSTANTS} are allowed: use --every ${minStep}s or more, or a shorter span`,
        );
      }
    }
  }
  if (fromMs !== undefined && fromMs < limits.nowMs - retentionMs) {
    problems.push(
      `--from ${JSON.stringify(flags.from)} is older than Prometheus retains (genesis:prometheusRetentionDays ${limits.retentionDays} d: nothing before ${new Date(limits.nowMs - retentionMs).toISOString()})`,
    );
  }
  if (toMs !== undefined && toMs > limits.nowMs + REPLAY_CLOCK_SKEW_MS) {
    problems.push(
      `--to must not be in the future (at most a minute after now, ${new Date(limits.nowMs).toISOString()}); got ${JSON.stringify(flags.to)}`,
    );
  }
  let windowSeconds: number | undefined;
  if (flags.window !== undefined) {
    const parsed = parseWindowArgument(flags.window, {
      scrapeIntervalSeconds: limits.scrapeIntervalSeconds,
    });
    if ("problem" in parsed) problems.push(parsed.problem);
    else windowSeconds = parsed.value;
  }
  const whatIf: {
    errorRateThresholdPercent?: number;
    latencyP95ThresholdMs?: number;
    minRequestCount?: number;
  } = {};
  if (flags.errorRateThreshold !== undefined) {
    const t = flags.errorRateThreshold;
    const v = DECIMAL.test(t) ? Number(t) : Number.NaN;
    if (!(v > 0 && v <= 100)) {
      problems.push(
        `--error-rate-threshold must be a positive number of percent, at most 100, such as 0.5 (as genesis:errorRateThresholdPercent); got ${JSON.stringify(t)}`,
      );
    } else whatIf.errorRateThresholdPercent = v;
  }
  if (flags.latencyP95Threshold !== undefined) {
    const t = flags.latencyP95Threshold;
    const v = WHOLE.test(t) ? Number(t) : Number.NaN;
    if (!(v >= 1 && v <= 600_000)) {
      problems.push(
        `--latency-p95-threshold must be a whole number of milliseconds from 1 to 600000, such as 300 (as genesis:latencyP95ThresholdMs); got ${JSON.stringify(t)}`,
      );
    } else whatIf.latencyP95ThresholdMs = v;
  }
  if (flags.minRequests !== undefined) {
    const t = flags.minRequests;
    const v = WHOLE.test(t) ? Number(t) : Number.NaN;
    if (!(v >= 1 && v <= 1_000_000_000)) {
      problems.push(
        `--min-requests must be a whole number from 1 to 1000000000 (as genesis:minRequestCount); got ${JSON.stringify(t)}`,
      );
    } else whatIf.minRequestCount = v;
  }
  const format = flags.format ?? "md";
  if (format !== "md" && format !== "html" && format !== "json") {
    problems.push(`--format must be md, html or json; got ${JSON.stringify(format)}`);
  }
  if (problems.length > 0) return { problems };
  return {
    request: {
      fromMs: fromMs as number,
      toMs: toMs as number,
      stepSeconds: stepSeconds as number,
      ...(windowSeconds !== undefined ? { windowSeconds } : {}),
      whatIf,
      format: format as ReplayFormat,
    },
  };
}
