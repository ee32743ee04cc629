/**
 * The shape of one rule of the `genesis-security` policy pack: the CrossGuard policy the
 * Pulumi CLI runs, plus what the README and `genesis security-check` say about it (the
 * control it enforces, its level per environment). Rule logic is a pure function of plain
 * resource data, so the tests and `genesis security-check` judge exactly what the CLI would.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { formatValue } from "../core/format";

/** Which resources a rule judges. */
export type RuleScope = "docker" | "kubernetes" | "stack";

/** The two levels the pack uses: a mandatory violation blocks `pulumi preview`/`up`. */
export type RuleLevel = Extract<EnforcementLevel, "mandatory" | "advisory">;

/** One resource as a rule sees it: what the engine sends the analyzer. */
export interface JudgedResource {
  /** Type token, e.g. `docker:index/container:Container`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN. */
  readonly urn: string;
  /** Inputs, secrets revealed (as the analyzer receives them). */
  readonly props: Readonly<Record<string, unknown>>;
  /** The outputs the engine encrypts in state whatever the inputs' secretness. */
  readonly additionalSecretOutputs: readonly string[];
}

/** A violation a stack rule found: its message and the resource it is about. */
export interface StackFinding {
  /** What is wrong, naming the resource, the field, the value and what is allowed. */
  readonly message: string;
  /** The resource's URN. */
  readonly urn: string;
}

/** A rule of the pack with what the documentation and `genesis security-check` show. */
export interface RuleDefinition {
  /** The CrossGuard policy, as `new PolicyPack` receives it. */
  readonly policy: ResourceValidationPolicy | StackValidationPolicy;
  /** Which resources it judges. */
  readonly scope: RuleScope;
  /** For a resource rule, the type tokens it judges (a stack without any has nothing for it). */
  readonly types?: readonly string[];
  /** The control it enforces, e.g. `CIS Docker 5.10` or `PSS restricted`. */
  readonly control: string;
  /** Its level in staging (always mandatory in production). */
  readonly staging: RuleLevel;
  /** Why staging relaxes it; set exactly when `staging` is advisory. */
  readonly stagingReason?: string;
}

/** What every rule builder takes. */
interface RuleSpec {
  /** Policy name: lower-case words joined by hyphens, unique in the pack. */
  readonly name: string;
  /** One sentence: what it requires. */
  readonly description: string;
  /** See {@link RuleDefinition.scope}. */
  readonly scope: RuleScope;
  /** See {@link RuleDefinition.control}. */
  readonly control: string;
  /**
   * Its level in staging.
   * @default "mandatory"
   */
  readonly staging?: RuleLevel;
  /** See {@link RuleDefinition.stagingReason}. */
  readonly stagingReason?: string;
  /** Schema of the policy's configuration (`--policy-pack-config`), when it takes any. */
  readonly configSchema?: PolicyConfigSchema;
}

/** A rule that judges one resource at a time. */
export interface ResourceRuleSpec<C extends object> extends RuleSpec {
  /** The type tokens it judges; every other resource passes untouched. */
  readonly types: readonly string[];
  /** Every violation of `resource`, one message each; empty when it complies. */
  readonly check: (resource: JudgedResource, config: C) => readonly string[];
}

/** A rule that judges the stack's resources together. */
export interface StackRuleSpec<C extends object> extends RuleSpec {
  /** Every violation among `resources`; empty when the stack complies. */
  readonly check: (resources: readonly JudgedResource[], config: C) => readonly StackFinding[];
}

function definition(
  spec: RuleSpec,
  policy: ResourceValidationPolicy | StackValidationPolicy,
): RuleDefinition {
  const staging = spec.staging ?? "mandatory";
  if ((staging === "advisory") !== (spec.stagingReason !== undefined)) {
    throw new Error(`policy ${spec.name}: an advisory staging level needs a stagingReason`);
  }
  return {
    policy,
    scope: spec.scope,
    control: spec.control,
    staging,
    ...(spec.stagingReason !== undefined ? { stagingReason: spec.stagingReason } : {}),
  };
}

/** Builds a rule that judges each resource of `spec.types` with `spec.check`. */
export function resourceRule<C extends object = Record<string, never>>(
  spec: ResourceRuleSpec<C>,
): RuleDefinition {
  const policy: ResourceValidationPolicy = {
    name: spec.name,
    description: `${spec.description} (${spec.control})`,
    enforcementLevel: "mandatory",
    ...(spec.configSchema !== undefined ? { configSchema: spec.configSchema } : {}),
    validateResource: (args, reportViolation) => {
      if (!spec.types.includes(args.type)) return;
      const resource: JudgedResource = {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: args.props,
        additionalSecretOutputs: args.opts.additionalSecretOutputs ?? [],
      };
      for (const message of spec.check(resource, args.getConfig<C>())) reportViolation(message);
    },
  };
  return { ...definition(spec, policy), types: spec.types };
}

/** Builds a rule that judges all of the stack's resources with `spec.check`. */
export function stackRule<C extends object = Record<string, never>>(
  spec: StackRuleSpec<C>,
): RuleDefinition {
  const policy: StackValidationPolicy = {
    name: spec.name,
    description: `${spec.description} (${spec.control})`,
    enforcementLevel: "mandatory",
    ...(spec.configSchema !== undefined ? { configSchema: spec.configSchema } : {}),
    validateStack: (args, reportViolation) => {
      const resources: JudgedResource[] = args.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props,
        additionalSecretOutputs: r.opts.additionalSecretOutputs ?? [],
      }));
      for (const finding of spec.check(resources, args.getConfig<C>())) {
        reportViolation(finding.message, finding.urn);
      }
    },
  };
  return definition(spec, policy);
}

/**
 * What {@link readKnown} returns for a value the engine does not know yet: during
 * `pulumi preview`, an output of a resource the same preview creates (an image id, say).
 */
export const UNKNOWN_DURING_PREVIEW: unique symbol = Symbol("unknown during preview");

/**
 * Reads `props[key]`, or {@link UNKNOWN_DURING_PREVIEW} when the analyzer cannot know it
 * yet (its proxy throws on an unknown). The policy runs again at `pulumi up`, with the value.
 */
export function readKnown(props: Readonly<Record<string, unknown>>, key: string): unknown {
  try {
    return props[key];
  } catch (e) {
    if (e instanceof Error && "unknownTypeSentinel" in e) return UNKNOWN_DURING_PREVIEW;
    throw e;
  }
}

/** A value as messages quote it (see core/format). */
export const show = formatValue;

/** `value` as an array of records, or empty when it is not an array. */
export function records(value: unknown): Readonly<Record<string, unknown>>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object")
    : [];
}

/** `value` as an array of strings, or empty when it is not an array. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `value` as a record, or an empty one. */
export function record(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
