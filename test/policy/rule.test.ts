/**
 * policy/rule.ts: what the rule builders hand the CrossGuard engine and their checks, and the
 * readers of the engine's loosely typed inputs.
 */
import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import type {
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import {
  JudgedResource,
  readKnown,
  record,
  RuleDefinition,
  records,
  resourceRule,
  stackRule,
  strings,
  UNKNOWN_DURING_PREVIEW,
} from "../../policy/rule";
import { DOCKER_RULES } from "../../policy/rules/docker";

/** The analyzer's proxy over a resource's inputs (its types are internal to @pulumi/policy). */
const { unknownCheckingProxy, unknownStringValue } = policyProxy as unknown as {
  unknownCheckingProxy: (props: Record<string, unknown>) => Record<string, unknown>;
  unknownStringValue: string;
};

/** What a check saw of a resource, as a message. */
const seen = (r: JudgedResource): string[] => [
  `${r.type} ${r.name} ${r.urn} ${JSON.stringify(r.props)} ${JSON.stringify(r.additionalSecretOutputs)}`,
];

/** Runs `policy`'s resource validation the way the engine does; returns the messages. */
function validateResource(
  policy: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
  additionalSecretOutputs?: string[],
): string[] {
  const messages: string[] = [];
  const args = {
    type,
    name: "web",
    urn: `urn:pulumi:test::genesis::${type}::web`,
    props,
    opts: additionalSecretOutputs === undefined ? {} : { additionalSecretOutputs },
    getConfig: () => ({}),
  } as unknown as ResourceValidationArgs;
  const validate = policy.validateResource;
  if (typeof validate !== "function") throw new Error("expected one validateResource");
  void validate(args, (message) => messages.push(message));
  return messages;
}

describe("policy/rule: the rule builders", () => {
  const spec = {
    name: "x-rule",
    description: "Judges",
    scope: "docker" as const,
    control: "CIS Docker 0.0",
  };

  it("refuses a staging level and a staging reason that do not go together", () => {
    const error = new Error("policy x-rule: an advisory staging level needs a stagingReason");
    throws(() => resourceRule({ ...spec, staging: "advisory", types: [], check: () => [] }), error);
    throws(() => stackRule({ ...spec, stagingReason: "why", check: () => [] }), error);
  });

  it("builds the policy the engine runs and what the documentation shows", () => {
    const types = ["docker:index/container:Container"];
    const configSchema = { properties: { limit: { type: "number" as const } } };
    const advisory = resourceRule({
      ...spec,
      staging: "advisory",
      stagingReason: "why",
      types,
      check: () => [],
    });
    const withSchema = resourceRule({ ...spec, configSchema, types, check: () => [] });
    const stack = stackRule({ ...spec, scope: "stack", check: () => [] });
    const shown = ({ policy, ...rest }: RuleDefinition) => ({
      ...rest,
      policy: Object.fromEntries(Object.entries(policy).filter(([, v]) => typeof v !== "function")),
    });
    deepStrictEqual([advisory, withSchema, stack].map(shown), [
      {
        policy: {
          name: "x-rule",
          description: "Judges (CIS Docker 0.0)",
          enforcementLevel: "mandatory",
        },
        scope: "docker",
        control: "CIS Docker 0.0",
        staging: "advisory",
        stagingReason: "why",
        types,
      },
      {
        policy: {
          name: "x-rule",
          description: "Judges (CIS Docker 0.0)",
          enforcementLevel: "mandatory",
          configSchema,
        },
        scope: "docker",
        control: "CIS Docker 0.0",
        staging: "mandatory",
        types,
      },
      {
        policy: {
          name: "x-rule",
          description: "Judges (CIS Docker 0.0)",
          enforcementLevel: "mandatory",
        },
        scope: "stack",
        control: "CIS Docker 0.0",
        staging: "mandatory",
      },
    ]);
  });

  it("a resource rule judges its types only, seeing the resource as the engine sends it", () => {
    const rule = resourceRule({
      ...spec,
      types: ["docker:index/container:Container"],
      check: seen,
    });
    const policy = rule.policy as ResourceValidationPolicy;
    deepStrictEqual(
      [
        validateResource(policy, "docker:index/container:Container", { a: 1 }, ["uploads"]),
        validateResource(policy, "docker:index/container:Container", { a: 1 }),
        validateResource(policy, "docker:index/network:Network", { a: 1 }),
      ],
      [
        [
          'docker:index/container:Container web urn:pulumi:test::genesis::docker:index/container:Container::web {"a":1} ["uploads"]',
        ],
        [
          'docker:index/container:Container web urn:pulumi:test::genesis::docker:index/container:Container::web {"a":1} []',
        ],
        [],
      ],
    );
  });

  it("a stack rule sees every resource, passes its config schema on, and reports at a URN", () => {
    const configSchema = { properties: { limit: { type: "number" as const } } };
    const rule = stackRule({
      ...spec,
      scope: "stack",
      configSchema,
      check: (resources) => resources.map((r) => ({ message: seen(r)[0], urn: r.urn })),
    });
    const policy = rule.policy as StackValidationPolicy;
    deepStrictEqual(policy.configSchema, configSchema);
    const reported: [string, string | undefined][] = [];
    const args = {
      resources: [
        { type: "t:a", name: "a", urn: "urn:a", props: {}, opts: {} },
        {
          type: "t:b",
          name: "b",
          urn: "urn:b",
          props: {},
          opts: { additionalSecretOutputs: ["x"] },
        },
      ],
      getConfig: () => ({}),
    } as unknown as StackValidationArgs;
    void policy.validateStack(args, (message, urn) => reported.push([message, urn]));
    deepStrictEqual(reported, [
      ["t:a a urn:a {} []", "urn:a"],
      ['t:b b urn:b {} ["x"]', "urn:b"],
    ]);
  });
});

describe("policy/rule: reading the engine's inputs", () => {
  it("an input unknown during preview reads as unknown; other errors are not swallowed", () => {
    const props = unknownCheckingProxy({ image: unknownStringValue, name: "web" });
    strictEqual(readKnown(props, "image"), UNKNOWN_DURING_PREVIEW);
    strictEqual(readKnown(props, "name"), "web");
    const broken = Object.defineProperty({}, "image", {
      get: () => {
        throw new Error("boom");
      },
    }) as Record<string, unknown>;
    throws(() => readKnown(broken, "image"), new Error("boom"));
  });

  it("the digest rule leaves a container whose image a preview has yet to pull for pulumi up", () => {
    const rule = DOCKER_RULES.find((r) => r.policy.name === "docker-image-pinned-by-digest");
    const policy = rule?.policy as ResourceValidationPolicy;
    const container = "docker:index/container:Container";
    deepStrictEqual(
      [
        validateResource(policy, container, unknownCheckingProxy({ image: unknownStringValue })),
        validateResource(policy, container, unknownCheckingProxy({ image: "example/web:1.0" })),
      ],
      [[], ['web: image is "example/web:1.0"; pin it as repository:tag@sha256:<digest> (CIS 4.2)']],
    );
  });

  it("records, strings and record keep what has the shape asked for", () => {
    deepStrictEqual(records([{ a: 1 }, null, "x", 2, undefined, [3]]), [{ a: 1 }, [3]]);
    deepStrictEqual(records({ a: 1 }), []);
    deepStrictEqual(strings(["a", 1, null, { b: 2 }, "c"]), ["a", "c"]);
    deepStrictEqual(strings("a"), []);
    deepStrictEqual(
      [record({ a: 1 }), record(null), record([1]), record("a"), record(undefined)],
      [{ a: 1 }, {}, {}, {}, {}],
    );
  });
});
