/**
 * The PromQL a gate issues, built from its settings. Every query aggregates inside
 * Prometheus (rate first, then sum by variant), so the answer stays a handful of samples
 * however many series the application exports. The error ratio and P95 are the SLO rules'
 * own measures (core/slo/sloRules.ts) over the whole window, so gates and alerts measure
 * alike.
 */
import { errorRatioExpr, latencyP95SecondsExpr } from "../slo/sloRules";

/** The queries of one gate evaluation, by purpose. */
export interface GateQueries {
  /** Requests in the window, by variant. */
  readonly requests: string;
  /** 5xx / all responses in the window, by variant (0 when there was no 5xx at all). */
  readonly errorRatio: string;
  /** P95 request latency in seconds over the window, by variant. */
  readonly latencyP95Seconds: string;
  /** Whether the application's scrape target is up (1) or not (0). */
  readonly up: string;
  /** Seconds since the application was last scraped. */
  readonly scrapeAgeSeconds: string;
}

/** Quotes a label value for a PromQL matcher. */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

/** Builds the gate's queries for the target `instance` over `windowSeconds`. */
export function buildGateQueries(instance: string, windowSeconds: number): GateQueries {
  const sel = `instance=${promqlString(instance)}`;
  const w = `${windowSeconds}s`;
  return {
    requests: `sum by (variant) (increase(http_requests_total{${sel}}[${w}]))`,
    errorRatio: errorRatioExpr(windowSeconds, sel),
    latencyP95Seconds: latencyP95SecondsExpr(windowSeconds, sel),
    up: `min(up{${sel}})`,
    scrapeAgeSeconds: `max(time() - timestamp(up{${sel}}))`,
  };
}
