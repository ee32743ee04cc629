/**
 * The program's declared resources for both stacks, captured under mocks with the values
 * an operator must add to each stack file (secrets, production addresses and digests).
 */
import { CapturedProgram, captureProgram } from "../../program/captureProgram";
import { stackCaptureConfig } from "../../cli/stackCapture";
import { PackEnvironment } from "../../policy/policies";

const DIGEST = "d".repeat(64);

/** What production needs beyond Pulumi.production.yaml (see core/config/stackConfig). */
export const PRODUCTION_OPERATOR_VALUES: Readonly<Record<string, string>> = Object.freeze({
  grafanaImage: `grafana/grafana:11.3.0@sha256:${DIGEST}`,
  alertmanagerImage: `prom/alertmanager:v0.27.0@sha256:${DIGEST}`,
  nodeExporterImage: `prom/node-exporter:v1.8.2@sha256:${DIGEST}`,
  flagdImage: `ghcr.io/open-feature/flagd:v0.11.1@sha256:${DIGEST}`,
  deploymentLeadEmail: "lead@example.org",
  smtpSmarthost: "smtp.example.org:587",
  smtpFrom: "alerts@example.org",
});

/** The secrets each stack needs, as an operator sets them with `--secret`. */
export const OPERATOR_SECRETS: Readonly<Record<PackEnvironment, Record<string, string>>> =
  Object.freeze({
    staging: { grafanaAdminPassword: "staging-admin-password" },
    production: {
      grafanaAdminPassword: "production-admin-password",
      pagerDutyRoutingKey: "production-routing-key",
    },
  });

const cache = new Map<PackEnvironment, Promise<CapturedProgram>>();

/** The resources stack `env` declares (captured once per test run). */
export function capturedStack(env: PackEnvironment): Promise<CapturedProgram> {
  let captured = cache.get(env);
  if (captured === undefined) {
    const base = stackCaptureConfig(env, (name) => OPERATOR_SECRETS[env][name] ?? "");
    captured = captureProgram({
      ...base,
      values: { ...base.values, ...(env === "production" ? PRODUCTION_OPERATOR_VALUES : {}) },
      secrets: OPERATOR_SECRETS[env],
    });
    cache.set(env, captured);
  }
  return captured;
}
