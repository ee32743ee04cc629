/**
 * The `genesis-security` policy pack's rules, in one list the pack entry point, the tests
 * and `genesis security-check` share. Constructing a `PolicyPack` starts a gRPC server, so
 * the list lives here and only policy/index.ts builds the pack from it.
 */
import type { Policies, PolicyPackConfig } from "@pulumi/policy";
import { RuleDefinition, RuleLevel } from "./rule";
import { DOCKER_RULES } from "./rules/docker";
import { KUBERNETES_RULES } from "./rules/kubernetes";
import { STACK_RULES } from "./rules/stack";

/** The pack's name, as `pulumi preview --policy-pack policy` reports it. */
export const POLICY_PACK_NAME = "genesis-security";

/** Every rule, Docker first, then Kubernetes, then the stack-level ones. */
export const RULES: readonly RuleDefinition[] = Object.freeze([
  ...DOCKER_RULES,
  ...KUBERNETES_RULES,
  ...STACK_RULES,
]);

/** The CrossGuard policies, as `new PolicyPack` takes them. */
export const POLICIES: Policies = RULES.map((r) => r.policy);

/** The environments whose levels the pack knows. */
export type PackEnvironment = "staging" | "production";

/** A rule's level in `environment`: mandatory everywhere but where staging relaxes it. */
export function ruleLevel(rule: RuleDefinition, environment: PackEnvironment): RuleLevel {
  return environment === "production" ? "mandatory" : rule.staging;
}

/**
 * The policy pack configuration for `environment`: the level of every rule that differs
 * from the pack's default (mandatory). policy/staging.json is this for staging; production
 * needs none, so running the pack without a config file is the strict, production setting.
 */
export function policyPackConfigFor(environment: PackEnvironment): PolicyPackConfig {
  const config: PolicyPackConfig = {};
  for (const rule of RULES) {
    const level = ruleLevel(rule, environment);
    if (level !== "mandatory") config[rule.policy.name] = { enforcementLevel: level };
  }
  return config;
}
