import { deepStrictEqual, ok } from "node:assert/strict";
import { evaluateRules } from "../../policy/evaluate";
import { RULES } from "../../policy/policies";
import { POLICY_CASES } from "./cases";

describe("policy pack: crafted cases", () => {
  for (const c of POLICY_CASES) {
    it(`${c.policy}: ${c.violations.length === 0 ? "passes" : "fails"} on ${c.name}`, async () => {
      const rule = RULES.find((r) => r.policy.name === c.policy);
      ok(rule !== undefined, `no policy named ${c.policy}`);
      const [result] = await evaluateRules([rule], c.resources, c.config);
      deepStrictEqual(
        result.violations.map((v) => v.message),
        c.violations,
      );
    });
  }

  it("has a passing and a failing case for every policy, and names only real policies", () => {
    const names = RULES.map((r) => r.policy.name);
    const missing = names.flatMap((n) => {
      const cases = POLICY_CASES.filter((c) => c.policy === n);
      return [
        ...(cases.some((c) => c.violations.length === 0) ? [] : [`${n}: no passing case`]),
        ...(cases.some((c) => c.violations.length > 0) ? [] : [`${n}: no failing case`]),
      ];
    });
    const unknown = POLICY_CASES.filter((c) => !names.includes(c.policy)).map((c) => c.policy);
    deepStrictEqual({ missing, unknown }, { missing: [], unknown: [] });
  });

  after(() => {
    const failing = POLICY_CASES.filter((c) => c.violations.length > 0).length;
    process.stdout.write(
      `\n  policy pack: ${RULES.length} policies, ${POLICY_CASES.length} crafted cases (${POLICY_CASES.length - failing} passing, ${failing} failing)\n`,
    );
  });
});
