/**
 * The PromQL a gate issues, built from its settings. Every query aggregates inside
 * Prometheus (rate first, then sum by variant), so the answer stays a handful of samples
 * however many series the application exports. The error ratio and P95 are the SLO rules'
 * own measures (core/slo/sloRules.ts) over the whole window, so gates and alerts measure
 * alike. The application's series are selected by job and target together (see
 * {@link appSelector}).
 */
import { appSelector, errorRatioExpr, latencyP95SecondsExpr } from "../slo/sloRules";

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
}

/** Which series are the application's, and where its status code is. */
export interface AppSeries {
  /** The `job` label of its scrape target. */
  readonly appJob: string;
  /** The `instance` label of its scrape target (host:port). */
  readonly appInstance: string;
  /** The label of `http_requests_total` that carries the HTTP status code. */
  readonly statusLabel: string;
}

/** Quotes a label value for a PromQL matcher. */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

/** Builds the gate's queries for the application's series `app` over `windowSeconds`. */
export function buildGateQueries(app: AppSeries, windowSeconds: number): GateQueries {
  const sel = appSelector(app.appJob, app.appInstance);
  const w = `${windowSeconds}s`;
  return {
    requests: `sum by (variant) (increase(http_requests_total{${sel}}[${w}]))`,
    errorRatio: errorRatioExpr(windowSeconds, sel, app.statusLabel),
    latencyP95Seconds: latencyP95SecondsExpr(windowSeconds, sel),
    latencyBuckets: `sum by (variant, le) (increase(http_request_duration_seconds_bucket{${sel}}[${w}]))`,
    statusLabelSeries: `count by (variant) (http_requests_total{${sel},${app.statusLabel}!=""})`,
    up: `min(up{${sel}})`,
    scrapeAgeSeconds: `max(time() - timestamp(up{${sel}}))`,
  };
}
