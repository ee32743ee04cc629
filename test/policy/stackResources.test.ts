import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { evaluateRules } from "../../policy/evaluate";
import { RULES, policyPackConfigFor } from "../../policy/policies";
import { CONTAINER, REMOTE_IMAGE } from "./fixtures";
import { capturedStack } from "./stacks";

const DIGEST_RULE = "docker-image-pinned-by-digest";

describe("policy pack: the resources the program declares", () => {
  for (const env of ["staging", "production"] as const) {
    it(`${env}: every mandatory rule passes`, async () => {
      const { resources } = await capturedStack(env);
      const containers = resources.filter((r) => r.type === CONTAINER);
      ok(containers.length >= 7, `expected the stack's containers; got ${containers.length}`);
      const results = await evaluateRules(RULES, resources, policyPackConfigFor(env));
      const mandatory = results.filter((r) => r.level === "mandatory");
      deepStrictEqual(
        mandatory.flatMap((r) => r.violations.map((v) => `${r.name}: ${v.message}`)),
        [],
      );
      strictEqual(mandatory.length, env === "production" ? RULES.length : RULES.length - 1);
    });
  }

  it("staging: only unpinned images are reported, and only as advisory", async () => {
    const { resources } = await capturedStack("staging");
    const [result] = await evaluateRules(
      RULES.filter((r) => r.policy.name === DIGEST_RULE),
      resources,
      policyPackConfigFor("staging"),
    );
    strictEqual(result.level, "advisory");
    const unpinned = resources
      .filter((r) => r.type === REMOTE_IMAGE && !String(r.inputs.name).includes("@sha256:"))
      .map(
        (r) =>
          `${r.name}: name is ${JSON.stringify(r.inputs.name)}; pin it as repository:tag@sha256:<digest> (CIS 4.2)`,
      );
    ok(unpinned.length > 0, "staging pulls images by tag");
    deepStrictEqual(
      result.violations.map((v) => v.message),
      unpinned,
    );
  });

  it("production: a port moved to 0.0.0.0 on the real Grafana container is a mandatory failure", async () => {
    const { resources } = await capturedStack("production");
    const planted = resources.map((r) =>
      r.type === CONTAINER && r.inputs.name === "genesis-grafana"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              ports: [{ internal: 3000, external: 3000, ip: "0.0.0.0", protocol: "tcp" }],
            },
          }
        : r,
    );
    const results = await evaluateRules(RULES, planted, policyPackConfigFor("production"));
    deepStrictEqual(
      results.flatMap((r) => r.violations.map((v) => [r.name, r.level, v.message])),
      [
        [
          "docker-ports-loopback-only",
          "mandatory",
          'genesis-grafana: ports[0].ip is "0.0.0.0"; publish on 127.0.0.1 only (CIS 5.14)',
        ],
      ],
    );
  });

  it("policy/staging.json is the staging configuration the rules define", () => {
    const file = path.join(__dirname, "..", "..", "policy", "staging.json");
    deepStrictEqual(JSON.parse(readFileSync(file, "utf8")), policyPackConfigFor("staging"));
  });

  it("every rule says why when staging relaxes it", () => {
    deepStrictEqual(
      RULES.filter((r) => r.staging === "advisory" && !r.stagingReason).map((r) => r.policy.name),
      [],
    );
    deepStrictEqual(
      RULES.filter((r) => r.staging === "advisory").map((r) => r.policy.name),
      [DIGEST_RULE],
    );
  });
});

describe("docs/security.md", () => {
  it("lists every rule with its control", () => {
    const doc = readFileSync(path.join(__dirname, "..", "..", "docs", "security.md"), "utf8");
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    deepStrictEqual(
      RULES.filter(
        (r) =>
          !new RegExp(
            `^\\| \`${escape(r.policy.name)}\`\\s*\\| ${escape(r.control)}\\s*\\|`,
            "m",
          ).test(doc),
      ).map((r) => r.policy.name),
      [],
    );
  });
});
