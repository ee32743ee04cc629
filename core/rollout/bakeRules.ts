/**
 * The rules a bake judges a stage by: the same thresholds as the gate and the alerts, the
 * severe fast path (a short-window error rate far above the threshold) and the application's
 * health failure limit. Pure.
 */
import { StackConfig } from "../config/stackConfig";

/** How many times the error threshold the severe fast path fires at. */
export const SEVERE_ERROR_MULTIPLIER = 10;

/** What a bake watches and when a stage counts as breached. */
export interface BakeRules {
  /** The validation window in seconds: the stage bakes this long before it is judged. */
  readonly windowSeconds: number;
  /** Prometheus's scrape interval in seconds: the bake measures once per interval. */
  readonly scrapeIntervalSeconds: number;
  /** Highest error rate (5xx / all) in percent over the window; judged at its end. */
  readonly errorRateThresholdPercent: number;
  /** Highest P95 latency over the window in milliseconds; judged at its end. */
  readonly latencyP95ThresholdMs: number;
  /** The severe fast path: short-window error rate at or above this percent breaches at once. */
  readonly severeErrorRateThresholdPercent: number;
  /** The short window of the severe fast path, in seconds (at least 4 scrapes). */
  readonly severeWindowSeconds: number;
  /** How long the severe condition must hold before it breaches, in seconds (0: first sight). */
  readonly severeForSeconds: number;
  /** Consecutive failed application health checks that breach. */
  readonly healthFailureLimit: number;
}

/**
 * The bake rules of stack `cfg`. `windowSeconds` replaces the validation window (the
 * driver's `--wait`, never shorter than the gate's window).
 */
export function bakeRulesFromConfig(cfg: StackConfig, windowSeconds?: number): BakeRules {
  const scrape = cfg.monitoring.scrapeIntervalSeconds;
  return {
    windowSeconds: windowSeconds ?? cfg.slo.validationWindowSeconds,
    scrapeIntervalSeconds: scrape,
    errorRateThresholdPercent: cfg.slo.errorRateThresholdPercent,
    latencyP95ThresholdMs: cfg.slo.latencyP95ThresholdMs,
    severeErrorRateThresholdPercent: Math.min(
      100,
      cfg.slo.errorRateThresholdPercent * SEVERE_ERROR_MULTIPLIER,
    ),
    severeWindowSeconds: 4 * scrape,
    severeForSeconds: 0,
    healthFailureLimit: cfg.health.failureLimit,
  };
}
