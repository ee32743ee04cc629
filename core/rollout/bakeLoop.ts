/**
 * The bake: the pure decision loop of `genesis rollout`. Measurements and the clock come in,
 * one outcome goes out per tick: keep baking (and when to measure next), the stage passed,
 * the stage breached (which check, value, threshold), or it cannot be decided (fail closed:
 * never promote on it). No I/O and no clock of its own, so a simulated clock drives it in
 * tests exactly as the real one does.
 */
import { ALL_CHECKS, CHECKS, isCheck } from "../gate/checkCatalogue";
import { CheckResult } from "../gate/types";
import { SloAlertName, SloComparison, SloRule } from "../slo/sloRules";
import { BakeRules } from "./bakeRules";
import { decideOnMeasurements, SeenBreach } from "./decide";

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
  /** The SLO rules' error ratio (0..1) over their short window, when known. */
  readonly shortErrorRatio?: number;
  /** The SLO rules' P95 latency in seconds over their short window, when known. */
  readonly shortLatencyP95Seconds?: number;
  /** When Prometheus last scraped the application, ms since the epoch, when known. */
  readonly lastScrapeMs?: number;
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
  /** Per SLO rule whose condition holds now: since when it has held, ms since the epoch. */
  readonly holdingSinceMs: Readonly<Partial<Record<SloAlertName, number>>>;
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

/**
 * What a tick decided, in the rollout's one vocabulary (core/rollout/decide.ts): wait and
 * measure again (when), promote (the stage passed), roll back (which check breached, value,
 * threshold), or hold (it cannot be decided: fail closed, never promote on it).
 */
export type BakeOutcome =
  | { readonly kind: "wait"; readonly nextTickMs: number }
  | { readonly kind: "promote"; readonly checks: readonly CheckResult[] }
  | { readonly kind: "rollback"; readonly breach: Breach }
  | {
      readonly kind: "hold";
      readonly reason: string;
      readonly checks: readonly CheckResult[];
    };

/** The SLO checks whose failure at the window's end is a breach (others cannot decide). */
export const BREACH_CHECKS: readonly string[] = Object.freeze(
  ALL_CHECKS.filter((c) => c.breach && c.inBakeWindow).map((c) => c.name),
);

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
    holdingSinceMs: {},
    samples: [],
  };
}

const percentText = (x: number): string => `${x.toFixed(2)}%`;

/** The check name a rule's breach is reported under. */
const RULE_CHECK: Readonly<Record<SloAlertName, string>> = {
  GenesisErrorRateSevere: CHECKS.severeErrorRate.name,
  GenesisErrorRateHigh: CHECKS.errorRate.name,
  GenesisLatencyP95High: CHECKS.p95Latency.name,
  GenesisHealthCheckFailing: CHECKS.appHealth.name,
};

/** A rule's measured value from `m` (NaN when unknown: no comparison holds on NaN). */
function ruleValue(rule: SloRule, m: BakeMeasurement): number {
  const v = rule.alert === "GenesisLatencyP95High" ? m.shortLatencyP95Seconds : m.shortErrorRatio;
  return v === undefined ? Number.NaN : v;
}

function holds(value: number, comparison: SloComparison, threshold: number): boolean {
  if (!Number.isFinite(value)) return false;
  return comparison === ">"
    ? value > threshold
    : comparison === ">="
      ? value >= threshold - 1e-12
      : Math.abs(value - threshold) < 1e-12;
}

/** A rule's value or threshold as text: ratios in percent, latencies in ms. */
function ruleText(rule: SloRule, x: number): string {
  return rule.alert === "GenesisLatencyP95High"
    ? `${Math.round(x * 1000)} ms`
    : percentText(x * 100);
}

/** How far after a scrape a tick measures, so that it sees that scrape's data. */
function tickDelayMs(scrapeIntervalSeconds: number): number {
  return Math.min(250, (scrapeIntervalSeconds * 1000) / 10);
}

/**
 * One tick: judges `m` (measured at `m.atMs`) against `rules`. At every tick the SLO rules
 * are judged as the alerts judge them: a rule breaches when its condition has held at every
 * tick for its `for` duration (the severe fast path's is two scrapes; a condition first seen
 * is dated back to the scrape that showed it). The application's health failing
 * `healthFailureLimit` times in a row breaches too. A measurement at or after the window's
 * end is the stage's verdict: any SLO check of the gate failing over the window is a
 * breach; every check passing is a pass; anything else (no data, too little traffic, a
 * component down) cannot decide. The next tick is set just after Prometheus's next scrape.
 */
export function stepBake(
  state: BakeState,
  m: BakeMeasurement,
  rules: BakeRules,
): { readonly state: BakeState; readonly outcome: BakeOutcome } {
  const healthy = m.health.filter((c) => c.verdict === "pass").length;
  const app = m.health.find((c) => isCheck(c.name, "appHealth"));
  const appFailures = app !== undefined && app.verdict === "pass" ? 0 : state.appHealthFailures + 1;
  const previousTickMs = state.samples[state.samples.length - 1]?.atMs;
  const firstSeenMs = Math.max(
    m.lastScrapeMs ?? m.atMs,
    previousTickMs ?? Number.NEGATIVE_INFINITY,
  );
  const holdingSinceMs: Partial<Record<SloAlertName, number>> = {};
  const judged = rules.sloRules.filter((r) => r.alert !== "GenesisHealthCheckFailing");
  for (const rule of judged) {
    if (holds(ruleValue(rule, m), rule.comparison, rule.threshold)) {
      holdingSinceMs[rule.alert] =
        state.holdingSinceMs[rule.alert] ?? Math.min(firstSeenMs, m.atMs);
    }
  }
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
    holdingSinceMs,
    samples: [...state.samples, sample],
  };
  const fired = [...judged]
    .sort((a, b) => a.forSeconds - b.forSeconds)
    .find((r) => {
      const since = holdingSinceMs[r.alert];
      return since !== undefined && m.atMs - since >= r.forSeconds * 1000;
    });
  const seen = fired !== undefined ? ruleBreach(fired, m, holdingSinceMs, rules) : undefined;
  const checks = [...m.health, ...m.window];
  const decision = decideOnMeasurements(
    {
      live: { percentage: state.percentage, liveSinceMs: state.startedMs },
      requested: state.percentage,
      nowMs: m.atMs,
      rules: { steps: [], allowStepSkip: false, overrideReason: "" },
    },
    {
      checks,
      ...(seen !== undefined
        ? { breach: seen }
        : appFailures >= rules.healthFailureLimit
          ? { breach: appHealthBreach(appFailures, rules, app) }
          : {}),
      windowEndsMs: state.endsMs,
    },
  );
  const b = decision.breach;
  if (decision.action === "rollback" && b !== undefined) {
    return {
      state: next,
      outcome: {
        kind: "rollback",
        breach: { ...b, detectedMs: m.atMs, percentage: state.percentage },
      },
    };
  }
  if (decision.action === "wait") {
    const intervalMs = rules.scrapeIntervalSeconds * 1000;
    const afterScrape =
      m.lastScrapeMs !== undefined
        ? m.lastScrapeMs + intervalMs + tickDelayMs(rules.scrapeIntervalSeconds)
        : undefined;
    const nextTickMs =
      afterScrape !== undefined && afterScrape > m.atMs ? afterScrape : m.atMs + intervalMs;
    return {
      state: next,
      outcome: { kind: "wait", nextTickMs: Math.min(nextTickMs, state.endsMs) },
    };
  }
  if (decision.action === "promote") return { state: next, outcome: { kind: "promote", checks } };
  const open = checks.filter((c) => c.verdict !== "pass");
  const reason =
    open.length > 0
      ? open.map((c) => `${c.name}: ${c.reason}`).join("; ")
      : "no SLO checks were measured";
  return { state: next, outcome: { kind: "hold", reason, checks } };
}

/** The breach of an SLO rule whose condition held for its duration. */
function ruleBreach(
  fired: SloRule,
  m: BakeMeasurement,
  holdingSinceMs: Partial<Record<SloAlertName, number>>,
  rules: BakeRules,
): SeenBreach {
  const value = ruleText(fired, ruleValue(fired, m));
  const threshold = `${fired.comparison} ${ruleText(fired, fired.threshold)} for ${fired.forSeconds} s breaches`;
  const heldSeconds = Math.round((m.atMs - (holdingSinceMs[fired.alert] as number)) / 1000);
  return {
    check: RULE_CHECK[fired.alert],
    value,
    threshold,
    reason: `${fired.alert}: ${RULE_CHECK[fired.alert]} over the last ${rules.shortWindowSeconds} s ${value} ${fired.comparison} ${ruleText(fired, fired.threshold)}, held ${heldSeconds} s >= ${fired.forSeconds} s`,
  };
}

/** The breach of the application's health failing too many times in a row. */
function appHealthBreach(
  appFailures: number,
  rules: BakeRules,
  app: CheckResult | undefined,
): SeenBreach {
  return {
    check: CHECKS.appHealth.name,
    value: `${appFailures} failed in a row`,
    threshold: `< ${rules.healthFailureLimit} failed in a row`,
    reason: `application health failed ${appFailures} times in a row >= limit ${rules.healthFailureLimit}: ${app?.reason ?? "no app health check was measured"}`,
  };
}

/** Seconds left in the window at `nowMs` (never negative). */
export function secondsLeft(state: BakeState, nowMs: number): number {
  return Math.max(0, Math.ceil((state.endsMs - nowMs) / 1000));
}
