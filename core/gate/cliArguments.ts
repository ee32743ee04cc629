/**
 * The arguments of `genesis gate`, parsed strictly: percentages, the window and when the
 * stage went live. A value the stack would not accept is a usage error, never a looser
 * gate. Pure: the stack's settings and the clock are arguments; problems are returned,
 * each naming the flag, the value received and what is allowed.
 */
import { parseDurationSeconds } from "./duration";
import { GateVerdict } from "./types";
import { isStep, TransitionKind } from "../rollout/steps";

/**
 * The longest `--window`: 7 days, the most `genesis:validationWindowSeconds` allows (the
 * stack key's range in core/config/stackConfig.ts), so the CLI never judges a window a
 * stack could not have.
 */
export const MAX_WINDOW_SECONDS = 7 * 24 * 3600;

/** The fewest scrape intervals a window must span; the stack key has the same floor. */
export const MIN_WINDOW_SCRAPES = 4;

/** How far ahead of the clock `--live-since` may be (clock skew), in milliseconds. */
export const LIVE_SINCE_SKEW_MS = 60_000;

/** A parsed argument, or why it was refused (flag, value and what is allowed). */
export type ParsedArgument<T> = { readonly value: T } | { readonly problem: string };

/** Where `genesis gate` learnt the live percentage. */
export type FromSource = "--from" | "stack outputs";

/**
 * Parses `--to` or `--from`: plain decimal digits (no sign, exponent, hex, fraction, blanks
 * or leading zeros), and a step of the stack. Anything else is refused, listing the steps.
 */
export function parseStepArgument(
  flag: "--to" | "--from",
  text: string,
  steps: readonly number[],
): ParsedArgument<number> {
  const value = /^(0|[1-9][0-9]{0,2})$/.test(text) ? Number(text) : Number.NaN;
  if (isStep(steps, value)) return { value };
  return {
    problem: `${flag} must be one of the rollout steps ${steps.join(",")}, written as a plain whole number such as 50; got ${JSON.stringify(text)}`,
  };
}

/** The stack settings a `--window` is checked against. */
export interface WindowLimits {
  /** `genesis:scrapeIntervalSeconds`: the window must span at least 4 of them. */
  readonly scrapeIntervalSeconds: number;
}

/**
 * Parses `--window` (`300`, `90s`, `5m`, `1h30m`) into seconds: at least 4 scrape intervals
 * of the stack (fewer could not hold enough samples to judge) and at most 7 days (the most
 * the stack key allows). Shorter than the stack's own window is allowed down to that floor.
 */
export function parseWindowArgument(text: string, limits: WindowLimits): ParsedArgument<number> {
  let seconds: number;
  try {
    seconds = parseDurationSeconds(text, "--window");
  } catch (e) {
    return { problem: (e as Error).message };
  }
  const min = MIN_WINDOW_SCRAPES * limits.scrapeIntervalSeconds;
  if (seconds < min || seconds > MAX_WINDOW_SECONDS) {
    return {
      problem: `--window must be from ${MIN_WINDOW_SCRAPES} scrape intervals (${MIN_WINDOW_SCRAPES} x genesis:scrapeIntervalSeconds ${limits.scrapeIntervalSeconds} = ${min} s) to 7 days (${MAX_WINDOW_SECONDS} s); got ${JSON.stringify(text)} (${seconds} s)`,
    };
  }
  return { value: seconds };
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an ISO 8601 date-time with a time zone (`Z` or `+02:00`),
 * such as `2026-01-01T12:00:00Z`; undefined for anything else, including impossible dates
 * (`2026-02-30`) and times without a zone (their meaning would depend on this machine).
 */
export function parseIsoDateTimeMs(text: string): number | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0").slice(0, 3));
  const offsetHours = m[8] === "Z" ? 0 : Number(m[10]);
  const offsetMinutes = m[8] === "Z" ? 0 : Number(m[11]);
  if (
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  ) {
    return undefined;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const sign = m[9] === "-" ? -1 : 1;
  return date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/**
 * Parses `--live-since`: an ISO 8601 date-time with a time zone, not more than a minute
 * after `nowMs` (a stage cannot have gone live in the future).
 */
export function parseLiveSinceArgument(text: string, nowMs: number): ParsedArgument<number> {
  const ms = parseIsoDateTimeMs(text);
  if (ms === undefined) {
    return {
      problem: `--live-since must be an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00; got ${JSON.stringify(text)}`,
    };
  }
  if (ms > nowMs + LIVE_SINCE_SKEW_MS) {
    return {
      problem: `--live-since must not be in the future (at most a minute after now, ${new Date(nowMs).toISOString()}); got ${JSON.stringify(text)}`,
    };
  }
  return { value: ms };
}

/** The first line of an error message, trimmed: what a one-line usage error can quote. */
export function firstLine(message: string): string {
  return message.split("\n")[0].trim();
}

/**
 * The usage error when neither `--from` nor the stack outputs give the live percentage;
 * `reason` says why the outputs did not (only its first line is kept).
 */
export function liveUnknownMessage(reason: string): string {
  return `genesis gate: cannot tell the live percentage: pass --from <percent> (the stack's livePercentage output); ${firstLine(reason)}`;
}

/** What {@link gateHeadline} describes. */
export interface GateHeadline {
  /** The kind of change, from `classifyTransition`. */
  readonly kind: TransitionKind;
  /** The live percentage. */
  readonly from: number;
  /** Where the live percentage came from. */
  readonly fromSource: FromSource;
  /** The percentage asked for. */
  readonly to: number;
  /** The verdict; a rollback and no change always pass. */
  readonly verdict: GateVerdict;
}

/**
 * The first line `genesis gate` prints: the transition judged, from which live percentage
 * and where that came from, and the verdict; a rollback and no change say why nothing was
 * checked.
 */
export function gateHeadline(h: GateHeadline): string {
  const live = `${h.from}% (live, from ${h.fromSource === "--from" ? "--from" : "the stack outputs"})`;
  switch (h.kind) {
    case "promotion":
      return `promotion from ${live} to ${h.to}%: ${h.verdict}`;
    case "rollback":
      return `rollback from ${live} to ${h.to}%: ${h.verdict} (a rollback always goes through; no checks are run)`;
    case "no-change":
      return `no change at ${live}: ${h.verdict} (--to ${h.to} is the live percentage; no checks are run)`;
  }
}
