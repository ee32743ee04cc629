// The policy pack's entry point, run by `pulumi preview --policy-pack policy`: it only
// serves the rules of policies.ts (constructing a PolicyPack starts the analyzer's server).
import { PolicyPack } from "@pulumi/policy";
import { POLICIES, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
  description:
    "Genesis rollout security gate: CIS Docker Benchmark v1.6 checks for the Docker stack, Pod Security Standards restricted for Kubernetes, and stack-level rules for secrets, Grafana and Prometheus.",
  enforcementLevel: "mandatory",
  policies: POLICIES,
});
