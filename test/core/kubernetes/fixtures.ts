/** Stack configurations for the Kubernetes core tests, parsed by the real parser. */
import { parseStackConfig, StackConfig } from "../../../core/config/stackConfig";

const DIGEST = "c".repeat(64);

/** A staging stack on Kubernetes, with `values` on top. */
export function stagingKubernetes(values: Record<string, unknown> = {}): StackConfig {
  return parseStackConfig({
    values: { environment: "staging", platform: "kubernetes", ...values },
    secrets: { grafanaAdminPassword: "encrypted" },
  });
}

/** What production on Kubernetes requires beyond the stack file: digests, alerting. */
export const PRODUCTION_KUBERNETES_VALUES: Readonly<Record<string, unknown>> = Object.freeze({
  environment: "production",
  platform: "kubernetes",
  grafanaImage: `grafana/grafana:11.3.0@sha256:${DIGEST}`,
  alertmanagerImage: `prom/alertmanager:v0.27.0@sha256:${DIGEST}`,
  nodeExporterImage: `prom/node-exporter:v1.8.2@sha256:${DIGEST}`,
  flagdImage: `ghcr.io/open-feature/flagd:v0.11.1@sha256:${DIGEST}`,
  deploymentLeadEmail: "lead@example.org",
  smtpSmarthost: "smtp.example.org:587",
  smtpFrom: "alerts@example.org",
});

/** A production stack on Kubernetes (images pinned, alerting set), with `values` on top. */
export function productionKubernetes(values: Record<string, unknown> = {}): StackConfig {
  return parseStackConfig({
    values: { ...PRODUCTION_KUBERNETES_VALUES, ...values },
    secrets: { grafanaAdminPassword: "encrypted", pagerDutyRoutingKey: "encrypted" },
  });
}
