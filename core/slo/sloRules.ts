/**
 * The service level rules of a rollout stage, as data: what is measured (PromQL), what counts
 * as a breach, and for how long it must last. The Prometheus alert rules are rendered from
 * these, and anything else that judges a stage (a rollout driver's bake loop) reads the same
 * objects, so that an alert and a bake judge a stage alike. Pure: no I/O, no clock.
 *
 * Timing model (evaluation interval = scrape interval = `s`, validation window `W`):
 * - The error-rate and latency measures use a short window of {@link SHORT_WINDOW_SCRAPES}
 *   scrape intervals, so a breach shows one scrape after its onset and vanishes two scrapes
 *   after it ends; the breach must then hold at every evaluation for the whole window (`for:
 *   W`). A sustained breach fires `W` after the first scrape that shows it; a burst shorter
 *   than the window never fires.
 * - The severe fast path (error ratio at {@link SEVERE_ERROR_MULTIPLIER} times the threshold
 *   or more) needs the same measure to hold for {@link SEVERE_FOR_SCRAPES} scrape intervals:
 *   it fires two scrape intervals after the first scrape that shows it (within three of the
 *   onset), while a single-scrape blip, which the short window shows at two evaluations at
 *   most, never fires.
 * - Health: each scrape of the application is one health check; `up == 0` is a failure. The
 *   rule fires at the `failureLimit`-th consecutive failure (`for` is `failureLimit - 1`
 *   scrape intervals); one success resets it.
 */
import { StackConfig } from "../config/stackConfig";

/** The names of the SLO alerts: part of the project's contract (routing, runbooks, drivers). */
export type SloAlertName =
  | "GenesisErrorRateHigh"
  | "GenesisLatencyP95High"
  | "GenesisHealthCheckFailing"
  | "GenesisErrorRateSevere";

/** How a measure is compared with its threshold. */
export type SloComparison = ">" | ">=" | "==";

/** What a breach asks of the operator (the alert's `action` label). */
export type SloAction = "rollback";

/** How urgent a breach is (the alert's `severity` label); SLO breaches are all critical. */
export type SloSeverity = "critical";

/** One measured quantity: PromQL that yields one sample per variant (or per target). */
export interface SloMeasure {
  /**
   * The recording rule's name that stores it (the alert reads the recorded series); absent
   * when the measure is a raw series already (`up`).
   */
  readonly record?: string;
  /** The self-contained PromQL of the measure, for anyone who does not read the record. */
  readonly expr: string;
}

/** One SLO rule: a measure, a threshold, and how long the breach must last. */
export interface SloRule {
  /** The alert's name. */
  readonly alert: SloAlertName;
  /** What is measured. */
  readonly measure: SloMeasure;
  /** How the measure is compared with {@link SloRule.threshold}. */
  readonly comparison: SloComparison;
  /** The threshold in the measure's unit (a ratio 0..1, seconds, or 0 for `up`). */
  readonly threshold: number;
  /** How long the comparison must hold at every evaluation before the rule fires, in seconds. */
  readonly forSeconds: number;
  /** The alert's `severity` label. */
  readonly severity: SloSeverity;
  /** The alert's `action` label. */
  readonly action: SloAction;
}

/** The error-rate multiple at which a breach is severe and takes the fast path. */
export const SEVERE_ERROR_MULTIPLIER = 10;

/** The short window of the error-rate and latency measures, in scrape intervals. */
export const SHORT_WINDOW_SCRAPES = 2;

/** How long a severe breach must hold before it fires, in scrape intervals. */
export const SEVERE_FOR_SCRAPES = 2;

/** The quantile the latency SLO is about. */
export const LATENCY_QUANTILE = 0.95;

/**
 * The PromQL selector of the application's series: its scrape job and its target, both.
 * Selecting by `instance` alone would count any other job whose target carries the same
 * instance label (a busy healthy exporter would dilute the canary's errors).
 */
export function appSelector(job: string, instance: string): string {
  return `job=${JSON.stringify(job)},instance=${JSON.stringify(instance)}`;
}

/** The selector of stack `config`'s application: `genesis:appMetricsJob` and `appMetricsTarget`. */
export function appSelectorOf(config: StackConfig): string {
  return appSelector(config.app.metricsJob, config.app.metricsTarget);
}

/** The default label of `http_requests_total` that carries the HTTP status code. */
export const DEFAULT_STATUS_LABEL = "code";

/** The recording rule names of the measures. */
export const SLO_RECORDS = Object.freeze({
  /** 5xx / all responses over the short window, by variant. */
  errorRatio: "genesis:http_error_ratio:rate_short",
  /** P95 request latency in seconds over the short window, by variant. */
  latencyP95Seconds: "genesis:http_latency_p95_seconds:rate_short",
});

/** The short window of the error-rate and latency measures, in seconds. */
export function shortWindowSeconds(config: StackConfig): number {
  return SHORT_WINDOW_SCRAPES * config.monitoring.scrapeIntervalSeconds;
}

/**
 * 5xx / all responses over `windowSeconds`, by variant, for the series matching `selector`.
 *
 * Increases first, then sums (counter resets are handled per series); the same form as the
 * gate's query, and exact for whole numbers of requests (10 of 100 is 0.1, not 0.0999...). A variant without any 5xx
 * series counts as zero errors (`or (all * 0)` keeps the variant's labels, unlike `or
 * vector(0)`); a variant with no traffic yields NaN, which no comparison breaches, and does
 * not hide another variant's breach.
 */
export function errorRatioExpr(
  windowSeconds: number,
  selector: string,
  statusLabel: string = DEFAULT_STATUS_LABEL,
): string {
  const w = `${windowSeconds}s`;
  const all = `sum by (variant) (increase(http_requests_total{${selector}}[${w}]))`;
  const errors = `sum by (variant) (increase(http_requests_total{${selector},${statusLabel}=~"5.."}[${w}]))`;
  return `(${errors} or (${all} * 0)) / ${all}`;
}

/**
 * The P95 request latency in seconds over `windowSeconds`, by variant. Exact at the threshold
 * when the histogram has a bucket edge there (the reference service has one).
 */
export function latencyP95SecondsExpr(windowSeconds: number, selector: string): string {
  return `histogram_quantile(${LATENCY_QUANTILE}, sum by (le, variant) (rate(http_request_duration_seconds_bucket{${selector}}[${windowSeconds}s])))`;
}

/** Whether each application target answered its last scrape: the health check measure. */
export function appUpExpr(selector: string): string {
  return `up{${selector}}`;
}

/** The error ratio (0..1) above which a stage breaches its error-rate SLO. */
export function errorRatioThreshold(config: StackConfig): number {
  return config.slo.errorRateThresholdPercent / 100;
}

/**
 * The error ratio (0..1) at or above which a breach is severe: {@link SEVERE_ERROR_MULTIPLIER}
 * times the threshold, capped at 1 (every response an error) for thresholds of 10 % or more.
 */
export function severeErrorRatioThreshold(config: StackConfig): number {
  return Math.min(
    1,
    Number((errorRatioThreshold(config) * SEVERE_ERROR_MULTIPLIER).toPrecision(12)),
  );
}

/** The P95 latency threshold in seconds. */
export function latencyP95ThresholdSeconds(config: StackConfig): number {
  return config.slo.latencyP95ThresholdMs / 1000;
}

/**
 * The SLO rules of stack `config`, in the order they are rendered. `selector` chooses the
 * application's series (the stack's job and target by default; the CLI may name another
 * target with --app-instance).
 */
export function sloRules(
  config: StackConfig,
  selector: string = appSelectorOf(config),
): readonly SloRule[] {
  const s = config.monitoring.scrapeIntervalSeconds;
  const short = shortWindowSeconds(config);
  const errorRatio: SloMeasure = {
    record: SLO_RECORDS.errorRatio,
    expr: errorRatioExpr(short, selector, config.app.statusLabel),
  };
  const latency: SloMeasure = {
    record: SLO_RECORDS.latencyP95Seconds,
    expr: latencyP95SecondsExpr(short, selector),
  };
  const rules: SloRule[] = [
    {
      alert: "GenesisErrorRateHigh",
      measure: errorRatio,
      comparison: ">",
      threshold: errorRatioThreshold(config),
      forSeconds: config.slo.validationWindowSeconds,
      severity: "critical",
      action: "rollback",
    },
    {
      alert: "GenesisErrorRateSevere",
      measure: errorRatio,
      comparison: ">=",
      threshold: severeErrorRatioThreshold(config),
      forSeconds: SEVERE_FOR_SCRAPES * s,
      severity: "critical",
      action: "rollback",
    },
    {
      alert: "GenesisLatencyP95High",
      measure: latency,
      comparison: ">",
      threshold: latencyP95ThresholdSeconds(config),
      forSeconds: config.slo.validationWindowSeconds,
      severity: "critical",
      action: "rollback",
    },
    {
      alert: "GenesisHealthCheckFailing",
      measure: { expr: appUpExpr(selector) },
      comparison: "==",
      threshold: 0,
      forSeconds: (config.health.failureLimit - 1) * s,
      severity: "critical",
      action: "rollback",
    },
  ];
  return Object.freeze(rules.map((r) => Object.freeze(r)));
}

/** The rule named `alert` among `rules`; throws naming the alert and the names there are. */
export function sloRule(rules: readonly SloRule[], alert: SloAlertName): SloRule {
  const rule = rules.find((r) => r.alert === alert);
  if (rule === undefined) {
    throw new Error(
      `no SLO rule named ${alert}; the rules are ${rules.map((r) => r.alert).join(", ")}`,
    );
  }
  return rule;
}

/**
 * The breach condition as PromQL: samples only where the rule is breached right now.
 * `useRecord` reads the recorded series (what the alert rule does, in the same group as the
 * recording rule); otherwise the measure's own expression (for a client that queries
 * Prometheus directly).
 */
export function breachCondition(rule: SloRule, useRecord: boolean = false): string {
  const record = rule.measure.record;
  const measure =
    useRecord && record !== undefined
      ? record
      : /^[A-Za-z_:][A-Za-z0-9_:]*(\{[^{}]*\})?$/.test(rule.measure.expr)
        ? rule.measure.expr
        : `(${rule.measure.expr})`;
  return `${measure} ${rule.comparison} ${rule.threshold}`;
}

/**
 * An instant query that answers, as one query, what the alert's `for` answers over time:
 * value 1 where the measure breached at every point of a subquery at `stepSeconds` (the
 * evaluation interval) over the last `forSeconds`, 0 where it missed at least once. Subquery
 * points align to multiples of the step, so it agrees with the alert to within one
 * evaluation interval. A rule with `for: 0` is its condition as a 0/1 value.
 */
export function sustainedBreachQuery(rule: SloRule, stepSeconds: number): string {
  const condition = `(${rule.measure.expr}) ${rule.comparison} bool ${rule.threshold}`;
  if (rule.forSeconds === 0) return condition;
  return `min_over_time((${condition})[${rule.forSeconds}s:${stepSeconds}s])`;
}

/**
 * The health rule for a client that counts its own health checks: whether `consecutive`
 * failed checks in a row (reset to 0 by any success) reach the stack's failure limit.
 */
export function healthFailuresBreach(config: StackConfig, consecutive: number): boolean {
  return consecutive >= config.health.failureLimit;
}
