/**
 * The PromQL a gate issues, built from its settings. Every query aggregates inside
 * Prometheus (rate first, then sum by variant), so the answer stays a handful of samples
 * however many series the application exports. The error ratio and P95 are the SLO rules'
 * own measures (core/slo/sloRules.ts) over the whole window, so gates and alerts measure
 * alike. The application's series are selected by job and target together (see
 * {@link appSelector}).
 */
import { appSelector, errorRatioExpr, latencyP95SecondsExpr } from "../slo/sloRules";
import { GATE_ALERT_NAMES } from "./gateAlerts";

/** The queries of one gate evaluation, by purpose. */
export interface GateQueries {
  /** Requests in the window, by variant. */
  readonly requests: string;
  /** 5xx / all responses in the window, by variant (0 when there was no 5xx at all). */
  readonly errorRatio: string;
  /** P95 request latency in seconds over the window, by variant. */
  readonly latencyP95Seconds: string;
  /**
   * Requests at or below each latency bucket edge in the window, by variant and `le`: which
   * edges the histogram has, and how many requests were slower than the one at the threshold.
   */
  readonly latencyBuckets: string;
  /**
   * How many request series carry the status-code label, by variant: none means the gate
   * cannot see errors at all.
   */
  readonly statusLabelSeries: string;
  /** Whether the application's scrape target is up (1) or not (0). */
  readonly up: string;
  /** Seconds since the application was last scraped. */
  readonly scrapeAgeSeconds: string;
  /** How many times Prometheus scraped the application's target in the window. */
  readonly scrapesInWindow: string;
  /** How many of those scrapes failed (`up` was 0): count minus sum of the 0/1 samples. */
  readonly failedScrapesInWindow: string;
  /**
   * When the last failed scrape in the window was, in seconds since the epoch (the sample's
   * own timestamp); no series when none failed.
   */
  readonly lastFailedScrapeSeconds: string;
  /**
   * For each of the stack's alerts ({@link GATE_ALERT_NAMES}) that fired in the window, at how
   * many rule evaluations it was firing (Prometheus's `ALERTS`); no series when none fired.
   */
  readonly alertsFiredInWindow: string;
}

/** Which series are the application's, and where its status code is. */
export interface AppSeries {
  /** The `job` label of its scrape target. */
  readonly appJob: string;
  /** The `instance` label of its scrape target (host:port). */
  readonly appInstance: string;
  /** The label of `http_requests_total` that carries the HTTP status code. */
  readonly statusLabel: string;
  /**
   * Prometheus's scrape (and rule evaluation) interval in seconds: the subquery that finds
   * the last failed scrape samples at half of it, so it sees every scrape.
   */
  readonly scrapeIntervalSeconds: number;
}

/** Quotes a label value for a PromQL matcher. */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

/** The `alertname` matcher of the stack's own alerts: `alertname=~"A|B"`. */
export function gateAlertMatcher(): string {
  return `alertname=~${promqlString(GATE_ALERT_NAMES.join("|"))}`;
}

/**
 * Builds the gate's queries for the application's series `app` over `windowSeconds`. The
 * window measures read raw samples (`count_over_time`, `sum_over_time`), so no scrape and no
 * rule evaluation in the window is missed; only the time of the last failed scrape needs a
 * subquery, stepped at half the scrape interval.
 */
export function buildGateQueries(app: AppSeries, windowSeconds: number): GateQueries {
  const sel = appSelector(app.appJob, app.appInstance);
  const w = `${windowSeconds}s`;
  const stepSeconds = Math.max(1, Math.floor(app.scrapeIntervalSeconds / 2));
  return {
    requests: `sum by (variant) (increase(http_requests_total{${sel}}[${w}]))`,
    errorRatio: errorRatioExpr(windowSeconds, sel, app.statusLabel),
    latencyP95Seconds: latencyP95SecondsExpr(windowSeconds, sel),
    latencyBuckets: `sum by (variant, le) (increase(http_request_duration_seconds_bucket{${sel}}[${w}]))`,
    statusLabelSeries: `count by (variant) (http_requests_total{${sel},${app.statusLabel}!=""})`,
    up: `min(up{${sel}})`,
    scrapeAgeSeconds: `max(time() - timestamp(up{${sel}}))`,
    scrapesInWindow: `sum(count_over_time(up{${sel}}[${w}]))`,
    failedScrapesInWindow: `sum(count_over_time(up{${sel}}[${w}]) - sum_over_time(up{${sel}}[${w}]))`,
    lastFailedScrapeSeconds: `max(max_over_time((timestamp(up{${sel}}) and up{${sel}} == 0)[${w}:${stepSeconds}s]))`,
    alertsFiredInWindow: `sum by (alertname) (count_over_time(ALERTS{alertstate="firing",${gateAlertMatcher()}}[${w}]))`,
  };
}
