/**
 * The bake: the pure decision loop of `genesis rollout`. Measurements and the clock come in,
 * one outcome goes out per tick: keep baking (and when to measure next), the stage passed,
 * the stage breached (which check, value, threshold), or it cannot be decided (fail closed:
 * never promote on it). No I/O and no clock of its own, so a simulated clock drives it in
 * tests exactly as the real one does.
 */
import { CheckResult } from "../gate/types";
import { BakeRules } from "./bakeRules";

/** What one tick measured: the gate's checks over the window plus the fast-path figures. */
export interface BakeMeasurement {
  /** When it was measured, ms since the epoch. */
  readonly atMs: number;
  /** The five health checks (Prometheus, Grafana, Alertmanager, Node Exporter, app). */
  readonly health: readonly CheckResult[];
  /**
   * The gate's SLO checks over the validation window: data freshness, request count, error
   * rate, P95 latency and, when the metrics carry a canary variant, canary vs stable.
   */
  readonly window: readonly CheckResult[];
  /** The error rate over the window in percent, when known (for the display and reports). */
  readonly errorRatePercent?: number;
  /** The P95 latency over the window in ms, when known. */
  readonly latencyP95Ms?: number;
  /** The error rate over the severe fast path's short window in percent, when known. */
  readonly severeErrorRatePercent?: number;
}

/** One point of a stage's history, kept for the live display and the reports. */
export interface BakeSample {
  /** When, ms since the epoch. */
  readonly atMs: number;
  /** The stage's percentage. */
  readonly percentage: number;
  /** Error rate over the window in percent, when known. */
  readonly errorRatePercent?: number;
  /** P95 latency over the window in ms, when known. */
  readonly latencyP95Ms?: number;
  /** Health checks passing, of five. */
  readonly healthy: number;
}

/** Where a bake stands. */
export interface BakeState {
  /** The percentage baking. */
  readonly percentage: number;
  /** When the stage went live, ms since the epoch. */
  readonly startedMs: number;
  /** When its window ends, ms since the epoch. */
  readonly endsMs: number;
  /** Consecutive failed application health checks. */
  readonly appHealthFailures: number;
  /** Since when the severe condition has held, ms since the epoch; absent when it does not. */
  readonly severeSinceMs?: number;
  /** The measurements so far, oldest first. */
  readonly samples: readonly BakeSample[];
}

/** A breached check, as the incident report and the exit message show it. */
export interface Breach {
  /** The check that breached: `error rate`, `p95 latency`, `canary vs stable`, `severe error rate` or `app health`. */
  readonly check: string;
  /** The measured value as text. */
  readonly value: string;
  /** The threshold as text. */
  readonly threshold: string;
  /** One sentence with the numbers. */
  readonly reason: string;
  /** When the breach was decided, ms since the epoch. */
  readonly detectedMs: number;
  /** The stage that breached. */
  readonly percentage: number;
}

/** What a tick decided. */
export type BakeOutcome =
  | { readonly kind: "continue"; readonly nextTickMs: number }
  | { readonly kind: "passed"; readonly checks: readonly CheckResult[] }
  | { readonly kind: "breach"; readonly breach: Breach }
  | {
      readonly kind: "undecided";
      readonly reason: string;
      readonly checks: readonly CheckResult[];
    };

/** The SLO checks whose failure at the window's end is a breach (others cannot decide). */
export const BREACH_CHECKS: readonly string[] = Object.freeze([
  "error rate",
  "p95 latency",
  "canary vs stable",
]);

/**
 * Starts baking `percentage`, live since `liveSinceMs` (a resumed stage keeps the time it
 * already baked). The window ends `rules.windowSeconds` after it went live.
 */
export function startBake(percentage: number, liveSinceMs: number, rules: BakeRules): BakeState {
  return {
    percentage,
    startedMs: liveSinceMs,
    endsMs: liveSinceMs + rules.windowSeconds * 1000,
    appHealthFailures: 0,
    samples: [],
  };
}

const percentText = (x: number): string => `${x.toFixed(2)}%`;

/**
 * One tick: judges `m` (measured at `m.atMs`) against `rules`. During the window only the
 * fast paths breach: the severe error rate and the application's health failing
 * `healthFailureLimit` times in a row. A measurement taken at or after the window's end is
 * the stage's verdict: any SLO check failing is a breach; every check passing is a pass;
 * anything else (no data, too little traffic, a component down) cannot decide.
 */
export function stepBake(
  state: BakeState,
  m: BakeMeasurement,
  rules: BakeRules,
): { readonly state: BakeState; readonly outcome: BakeOutcome } {
  const healthy = m.health.filter((c) => c.verdict === "pass").length;
  const app = m.health.find((c) => c.name === "app health");
  const appFailures = app !== undefined && app.verdict === "pass" ? 0 : state.appHealthFailures + 1;
  const severe =
    m.severeErrorRatePercent !== undefined &&
    Number.isFinite(m.severeErrorRatePercent) &&
    m.severeErrorRatePercent >= rules.severeErrorRateThresholdPercent - 1e-9;
  const severeSinceMs = severe ? (state.severeSinceMs ?? m.atMs) : undefined;
  const sample: BakeSample = {
    atMs: m.atMs,
    percentage: state.percentage,
    ...(m.errorRatePercent !== undefined ? { errorRatePercent: m.errorRatePercent } : {}),
    ...(m.latencyP95Ms !== undefined ? { latencyP95Ms: m.latencyP95Ms } : {}),
    healthy,
  };
  const next: BakeState = {
    percentage: state.percentage,
    startedMs: state.startedMs,
    endsMs: state.endsMs,
    appHealthFailures: appFailures,
    ...(severeSinceMs !== undefined ? { severeSinceMs } : {}),
    samples: [...state.samples, sample],
  };
  const breach = (check: string, value: string, threshold: string, reason: string) => ({
    state: next,
    outcome: {
      kind: "breach" as const,
      breach: { check, value, threshold, reason, detectedMs: m.atMs, percentage: state.percentage },
    },
  });

  if (severeSinceMs !== undefined && m.atMs - severeSinceMs >= rules.severeForSeconds * 1000) {
    const value = percentText(m.severeErrorRatePercent as number);
    const threshold = `< ${percentText(rules.severeErrorRateThresholdPercent)}`;
    return breach(
      "severe error rate",
      value,
      threshold,
      `error rate over the last ${rules.severeWindowSeconds} s ${value} >= severe threshold ${percentText(rules.severeErrorRateThresholdPercent)} (fast path)`,
    );
  }
  if (appFailures >= rules.healthFailureLimit) {
    return breach(
      "app health",
      `${appFailures} failed in a row`,
      `< ${rules.healthFailureLimit} failed in a row`,
      `application health failed ${appFailures} times in a row >= limit ${rules.healthFailureLimit}: ${app?.reason ?? "no app health check was measured"}`,
    );
  }
  if (m.atMs < state.endsMs) {
    return {
      state: next,
      outcome: {
        kind: "continue",
        nextTickMs: Math.min(m.atMs + rules.scrapeIntervalSeconds * 1000, state.endsMs),
      },
    };
  }
  const failed = m.window.find((c) => BREACH_CHECKS.includes(c.name) && c.verdict === "fail");
  if (failed !== undefined) {
    return breach(
      failed.name,
      failed.value,
      failed.threshold,
      `${failed.reason} over the validation window`,
    );
  }
  const checks = [...m.health, ...m.window];
  const open = checks.filter((c) => c.verdict !== "pass");
  if (open.length > 0 || m.window.length === 0) {
    const reason =
      open.length > 0
        ? open.map((c) => `${c.name}: ${c.reason}`).join("; ")
        : "no SLO checks were measured";
    return { state: next, outcome: { kind: "undecided", reason, checks } };
  }
  return { state: next, outcome: { kind: "passed", checks } };
}

/** Seconds left in the window at `nowMs` (never negative). */
export function secondsLeft(state: BakeState, nowMs: number): number {
  return Math.max(0, Math.ceil((state.endsMs - nowMs) / 1000));
}
