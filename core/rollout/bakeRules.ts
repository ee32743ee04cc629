/**
 * The rules a bake judges a stage by: the project's SLO rules (core/slo/sloRules.ts, the
 * same objects the Prometheus alerts are rendered from, including the severe fast path),
 * the gate's window-end checks, and the application's health failure limit. Pure.
 */
import { StackConfig } from "../config/stackConfig";
import {
  appSelector,
  severeErrorRatioThreshold,
  shortWindowSeconds,
  SloRule,
  sloRules,
} from "../slo/sloRules";

/** What a bake watches and when a stage counts as breached. */
export interface BakeRules {
  /** The validation window in seconds: the stage bakes this long before it is judged. */
  readonly windowSeconds: number;
  /** Prometheus's scrape interval in seconds: the bake measures once per interval. */
  readonly scrapeIntervalSeconds: number;
  /** Highest error rate (5xx / all) in percent over the window; the window-end verdict. */
  readonly errorRateThresholdPercent: number;
  /** Highest P95 latency over the window in milliseconds; the window-end verdict. */
  readonly latencyP95ThresholdMs: number;
  /** The severe fast path's error rate in percent (for the display and messages). */
  readonly severeErrorRateThresholdPercent: number;
  /** The short window of the SLO rules' measures, in seconds. */
  readonly shortWindowSeconds: number;
  /**
   * The SLO rules judged at every tick, with their `for` durations, as the alerts judge
   * them. The health rule is judged from the bake's own health probes (one per tick).
   */
  readonly sloRules: readonly SloRule[];
  /** Consecutive failed application health checks that breach. */
  readonly healthFailureLimit: number;
}

/**
 * The bake rules of stack `cfg` for the application's scrape target `instance`.
 * `windowSeconds` replaces the bake's validation window (the driver's `--wait`, never
 * shorter than the gate's); the SLO rules keep the stack's, as the alerts do.
 */
export function bakeRulesFromConfig(
  cfg: StackConfig,
  instance: string = cfg.app.metricsTarget,
  windowSeconds?: number,
): BakeRules {
  return {
    windowSeconds: windowSeconds ?? cfg.slo.validationWindowSeconds,
    scrapeIntervalSeconds: cfg.monitoring.scrapeIntervalSeconds,
    errorRateThresholdPercent: cfg.slo.errorRateThresholdPercent,
    latencyP95ThresholdMs: cfg.slo.latencyP95ThresholdMs,
    severeErrorRateThresholdPercent: Number((severeErrorRatioThreshold(cfg) * 100).toPrecision(12)),
    shortWindowSeconds: shortWindowSeconds(cfg),
    sloRules: sloRules(cfg, appSelector(cfg.app.metricsJob, instance)),
    healthFailureLimit: cfg.health.failureLimit,
  };
}
