/** Derives a gate's settings from the stack configuration. Pure. */
import { StackConfig } from "../config/stackConfig";
import { GateEndpoints, GateSettings } from "./types";

/** Retries of a failed HTTP request (transport errors and 5xx). */
export const DEFAULT_RETRIES = 2;

/**
 * The gate's settings for stack `cfg`. `overrides` replaces any endpoint (the CLI's URL
 * flags, or the Docker component's published ports) and the window (`genesis gate --window`).
 */
export function gateSettingsFromConfig(
  cfg: StackConfig,
  overrides: Partial<GateEndpoints> & { readonly validationWindowSeconds?: number } = {},
): GateSettings {
  const { validationWindowSeconds, ...endpoints } = overrides;
  const defined = Object.fromEntries(
    Object.entries(endpoints).filter(([, v]) => v !== undefined),
  ) as Partial<GateEndpoints>;
  return {
    steps: [...cfg.rollout.steps],
    allowStepSkip: cfg.rollout.allowStepSkip,
    cooldownSeconds: cfg.rollout.cooldownSeconds,
    overrideReason: cfg.rollout.overrideReason,
    errorRateThresholdPercent: cfg.slo.errorRateThresholdPercent,
    latencyP95ThresholdMs: cfg.slo.latencyP95ThresholdMs,
    validationWindowSeconds: validationWindowSeconds ?? cfg.slo.validationWindowSeconds,
    minRequestCount: cfg.slo.minRequestCount,
    canaryErrorMarginPercent: cfg.slo.canaryErrorMarginPercent,
    scrapeIntervalSeconds: cfg.monitoring.scrapeIntervalSeconds,
    appInstance: cfg.app.metricsTarget,
    appJob: cfg.app.metricsJob,
    statusLabel: cfg.app.statusLabel,
    endpoints: {
      prometheusUrl: cfg.health.prometheusUrl,
      grafanaUrl: cfg.health.grafanaUrl,
      alertmanagerUrl: cfg.health.alertmanagerUrl,
      nodeExporterUrl: cfg.health.nodeExporterUrl,
      appHealthUrl: cfg.health.appHealthUrl,
      ...defined,
    },
    requestTimeoutMs: cfg.gate.requestTimeoutMs,
    decisionTimeoutMs: cfg.gate.decisionTimeoutMs,
    retries: DEFAULT_RETRIES,
  };
}
