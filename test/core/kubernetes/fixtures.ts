/** Stack configurations for the Kubernetes core tests, parsed by the real parser. */
import { parseStackConfig, StackConfig } from "../../../core/config/stackConfig";
import { PRODUCTION_OPERATOR_VALUES } from "../../policy/stacks";

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
  ...PRODUCTION_OPERATOR_VALUES,
});

/** A production stack on Kubernetes (images pinned, alerting set), with `values` on top. */
export function productionKubernetes(values: Record<string, unknown> = {}): StackConfig {
  return parseStackConfig({
    values: { ...PRODUCTION_KUBERNETES_VALUES, ...values },
    secrets: { grafanaAdminPassword: "encrypted", pagerDutyRoutingKey: "encrypted" },
  });
}
