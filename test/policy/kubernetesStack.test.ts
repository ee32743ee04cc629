/**
 * The policy pack on the Kubernetes platform: the resources the program declares with
 * `genesis:platform: kubernetes`, in plain mode, with Node Exporter's host access and in
 * helm mode, pass every mandatory rule, and the Kubernetes rules really judge them.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { captureProgram } from "../../program/captureProgram";
import { stackCaptureConfig } from "../../cli/stackCapture";
import { evaluateRules } from "../../policy/evaluate";
import { RULES, policyPackConfigFor } from "../../policy/policies";
import { OPERATOR_SECRETS, PRODUCTION_OPERATOR_VALUES } from "./stacks";

const cases: { env: "staging" | "production"; values: Record<string, unknown> }[] = [
  { env: "staging", values: {} },
  { env: "production", values: {} },
  { env: "production", values: { kubernetesNodeExporterHostAccess: true } },
  { env: "production", values: { kubernetesMode: "helm" } },
];

describe("policy pack: the Kubernetes platform's resources", function () {
  this.timeout(60_000);
  for (const c of cases) {
    it(`${c.env} ${JSON.stringify(c.values)}: every mandatory rule passes`, async () => {
      const base = stackCaptureConfig(c.env, (name) => OPERATOR_SECRETS[c.env][name] ?? "");
      const { resources } = await captureProgram({
        ...base,
        values: {
          ...base.values,
          ...(c.env === "production" ? PRODUCTION_OPERATOR_VALUES : {}),
          platform: "kubernetes",
          ...c.values,
        },
        secrets: OPERATOR_SECRETS[c.env],
      });
      const workloads = resources.filter((r) =>
        /^kubernetes:apps\/v1:(StatefulSet|DaemonSet|Deployment)$/.test(r.type),
      );
      ok(workloads.length >= 2, `expected Kubernetes workloads; got ${workloads.length}`);
      const results = await evaluateRules(RULES, resources, policyPackConfigFor(c.env));
      deepStrictEqual(
        results
          .filter((r) => r.level === "mandatory")
          .flatMap((r) => r.violations.map((v) => `${r.name}: ${v.message}`)),
        [],
      );
    });
  }

  it("the Kubernetes rules do judge these resources: a planted escalation fails", async () => {
    const base = stackCaptureConfig("staging", (name) => OPERATOR_SECRETS.staging[name] ?? "");
    const { resources } = await captureProgram({
      ...base,
      values: { ...base.values, platform: "kubernetes" },
      secrets: OPERATOR_SECRETS.staging,
    });
    const planted = resources.map((r) => {
      if (r.type !== "kubernetes:apps/v1:Deployment") return r;
      const spec = structuredClone(r.inputs.spec) as {
        template: { spec: { containers: { securityContext: Record<string, unknown> }[] } };
      };
      spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
      return { ...r, inputs: { ...r.inputs, spec } };
    });
    const results = await evaluateRules(RULES, planted, policyPackConfigFor("staging"));
    deepStrictEqual(
      results.flatMap((r) => r.violations.map((v) => `${r.name}: ${v.message}`)),
      [
        "k8s-no-privilege-escalation: Deployment genesis-monitoring/flagd: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation is true; set it to false (PSS restricted)",
      ],
    );
  });
});
