/**
 * Runs the pack's policies over declared resources the way the Pulumi CLI's analyzer does,
 * without the CLI: each resource policy's `validateResource` once per resource, each stack
 * policy's `validateStack` once over all of them, with the arguments the analyzer builds
 * (inputs with secrets revealed, resource options, policy configuration, `notApplicable`).
 * The tests and `genesis security-check` both judge a stack through this.
 */
import type {
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { RuleDefinition, RuleLevel, RuleScope } from "./rule";

/** A declared resource: the fields of a captured resource the analyzer receives. */
export interface DeclaredResource {
  /** Type token. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN. */
  readonly urn: string;
  /** The parent's URN, empty for none. */
  readonly parent: string;
  /** Inputs, secrets revealed. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Resource options. */
  readonly options: {
    readonly protect: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly additionalSecretOutputs: readonly string[];
    readonly dependsOn: readonly string[];
  };
}

/** One violation a policy reported. */
export interface Violation {
  /** The message, naming resource, field, value and what is allowed. */
  readonly message: string;
  /** The resource it is about. */
  readonly urn: string;
}

/** What one policy found over the whole stack. */
export interface RuleResult {
  /** Policy name. */
  readonly name: string;
  /** Which resources it judges. */
  readonly scope: RuleScope;
  /** The control it enforces. */
  readonly control: string;
  /** Its level under the configuration used. */
  readonly level: RuleLevel | "disabled";
  /** Every violation, in resource order. */
  readonly violations: readonly Violation[];
  /** Reasons it declared itself not applicable, if it did. */
  readonly notApplicable: readonly string[];
  /**
   * How many declared resources are of its kind: of its types for a resource rule, of its
   * platform for a Docker or Kubernetes stack rule, all of them for a stack-wide rule. 0 means
   * it had nothing to judge (not applicable), which is not a pass.
   */
  readonly judged: number;
}

/** How many of `resources` rule `rule` has to judge (see {@link RuleResult.judged}). */
function judgedCount(rule: RuleDefinition, resources: readonly DeclaredResource[]): number {
  if (rule.types !== undefined) return resources.filter((r) => rule.types!.includes(r.type)).length;
  if (rule.scope === "stack") return resources.length;
  return resources.filter((r) => r.type.startsWith(`${rule.scope}:`)).length;
}

/** Raised by a policy's `notApplicable(reason)`, as the analyzer's own is. */
class NotApplicable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason ?? "");
};

/** The level and configuration `config` gives policy `name` (the analyzer's precedence). */
function policyConfig(
  name: string,
  defaultLevel: string | undefined,
  config: PolicyPackConfig,
): { level: RuleLevel | "disabled"; properties: Record<string, unknown> } {
  const entry = config[name] ?? config.all;
  const fromConfig = typeof entry === "string" ? entry : entry?.enforcementLevel;
  const level = (fromConfig ?? defaultLevel ?? "mandatory") as string;
  const properties: Record<string, unknown> = {};
  if (typeof config[name] === "object") {
    for (const [k, v] of Object.entries(config[name] as Record<string, unknown>)) {
      if (k !== "enforcementLevel") properties[k] = v;
    }
  }
  if (level !== "mandatory" && level !== "advisory" && level !== "disabled") {
    throw new Error(
      `policy ${name}: level ${JSON.stringify(level)} is not mandatory, advisory or disabled`,
    );
  }
  return { level, properties };
}

function options(r: DeclaredResource): PolicyResourceOptions {
  return {
    protect: r.options.protect,
    ignoreChanges: [],
    deleteBeforeReplace: r.options.deleteBeforeReplace,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...r.options.additionalSecretOutputs],
    ...(r.parent !== "" ? { parent: r.parent } : {}),
  };
}

/** Whether `resourceClass` is the class of type token `type` (what `isType` compares). */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  return (resourceClass as { __pulumiType?: string }).__pulumiType === type;
}

const noTags: ReadonlyMap<string, string> = new Map();

/**
 * Judges `resources` with every rule of `rules` under the policy pack configuration
 * `config` (levels and per-policy settings, as `--policy-pack-config` gives them).
 */
export async function evaluateRules(
  rules: readonly RuleDefinition[],
  resources: readonly DeclaredResource[],
  config: PolicyPackConfig = {},
): Promise<RuleResult[]> {
  const results: RuleResult[] = [];
  for (const rule of rules) {
    const policy = rule.policy;
    const { level, properties } = policyConfig(policy.name, policy.enforcementLevel, config);
    const violations: Violation[] = [];
    const skipped: string[] = [];
    if (level !== "disabled") {
      const run = async (urn: string, validate: () => Promise<void> | void): Promise<void> => {
        try {
          await validate();
        } catch (e) {
          if (e instanceof NotApplicable) skipped.push(e.reason);
          else throw new Error(`policy ${policy.name} failed on ${urn}: ${(e as Error).message}`);
        }
      };
      if ("validateResource" in policy && policy.validateResource !== undefined) {
        const validations = ([] as unknown[]).concat(
          (policy as ResourceValidationPolicy).validateResource,
        ) as ((a: ResourceValidationArgs, report: (m: string) => void) => Promise<void> | void)[];
        for (const r of resources) {
          const props = structuredClone(r.inputs) as Record<string, unknown>;
          const args: ResourceValidationArgs = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            stackTags: noTags,
            isType: (cls) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) =>
              isTypeOf(r.type, cls) ? props : undefined) as ResourceValidationArgs["asType"],
            getConfig: <T extends object>() => properties as T,
            notApplicable,
          };
          for (const validate of validations) {
            await run(r.urn, () =>
              validate(args, (message) => violations.push({ message, urn: r.urn })),
            );
          }
        }
      } else {
        const stackPolicy = policy as StackValidationPolicy;
        const byUrn = new Map<string, PolicyResource>();
        const all: PolicyResource[] = resources.map((r) => {
          const props = structuredClone(r.inputs) as Record<string, unknown>;
          const resource: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) =>
              isTypeOf(r.type, cls) ? props : undefined) as PolicyResource["asType"],
          };
          byUrn.set(r.urn, resource);
          return resource;
        });
        resources.forEach((r, i) => {
          const parent = byUrn.get(r.parent);
          if (parent !== undefined) all[i].parent = parent;
          all[i].dependencies = r.options.dependsOn
            .map((u) => byUrn.get(u))
            .filter((d): d is PolicyResource => d !== undefined);
        });
        const args: StackValidationArgs = {
          resources: all,
          stackTags: noTags,
          getConfig: <T extends object>() => properties as T,
          notApplicable,
        };
        await run("the stack", () =>
          stackPolicy.validateStack(args, (message, urn) =>
            violations.push({ message, urn: urn ?? "" }),
          ),
        );
      }
    }
    results.push({
      name: policy.name,
      scope: rule.scope,
      control: rule.control,
      level,
      violations,
      notApplicable: skipped,
      judged: judgedCount(rule, resources),
    });
  }
  return results;
}
