/** Shared inputs of the gate's core tests. */
import { QueryOutcome } from "../../../core/gate/prometheusResponse";
import { GateSettings } from "../../../core/gate/types";

/** Settings with a 300 s window, 1 % error threshold and 500 ms P95. */
export const SETTINGS: GateSettings = {
  steps: [0, 5, 10, 25, 50, 75, 100],
  allowStepSkip: false,
  cooldownSeconds: 300,
  overrideReason: "",
  errorRateThresholdPercent: 1,
  latencyP95ThresholdMs: 500,
  validationWindowSeconds: 300,
  minRequestCount: 100,
  canaryErrorMarginPercent: 0.5,
  scrapeIntervalSeconds: 15,
  appInstance: "app:8080",
  appJob: "genesis-app",
  statusLabel: "code",
  endpoints: {
    prometheusUrl: "http://127.0.0.1:1",
    grafanaUrl: "http://127.0.0.1:2",
    alertmanagerUrl: "http://127.0.0.1:3",
    nodeExporterUrl: "http://127.0.0.1:4",
    appHealthUrl: "http://127.0.0.1:5/health",
  },
  requestTimeoutMs: 2000,
  decisionTimeoutMs: 30_000,
  retries: 1,
};

/** One sample per variant; `""` means no variant label. */
export function byVariant(values: Record<string, number>): QueryOutcome {
  return {
    kind: "samples",
    samples: Object.entries(values).map(([variant, value]) => ({
      labels: (variant === "" ? {} : { variant }) as Record<string, string>,
      value,
      timestampSeconds: 1000,
    })),
  };
}

/** A single label-less sample. */
export const scalar = (value: number): QueryOutcome => byVariant({ "": value });

/**
 * A latency histogram's answer: for each variant (`""` for none), the requests at or below
 * each bucket edge (`le`, as Prometheus labels it).
 */
export function buckets(byVariantLe: Record<string, Record<string, number>>): QueryOutcome {
  return {
    kind: "samples",
    samples: Object.entries(byVariantLe).flatMap(([variant, edges]) =>
      Object.entries(edges).map(([le, value]) => ({
        labels: (variant === "" ? { le } : { variant, le }) as Record<string, string>,
        value,
        timestampSeconds: 1000,
      })),
    ),
  };
}
