import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../../cli/loadStack";
import { RuleResult } from "../../policy/evaluate";
import { RULES } from "../../policy/policies";
import { renderRuleTable, securityCheckExitCode } from "../../policy/report";
import { findPlaintextSecrets, SECRET_LEAK_CHECK } from "../../policy/secretLeaks";
import { PRODUCTION_OPERATOR_VALUES, OPERATOR_SECRETS, capturedStack } from "../policy/stacks";
import { runGenesis as genesis } from "../support/genesisCli";

/** The table row of `rule` in `stdout`, split into its cells. */
function row(stdout: string, rule: string): string[] | undefined {
  const line = stdout.split("\n").find((l) => l.startsWith(`${rule} `));
  return line?.split("|").map((c) => c.trim());
}

const result = (name: string, level: RuleResult["level"], messages: string[]): RuleResult => ({
  name,
  scope: "docker",
  control: "CIS Docker 5.14",
  level,
  violations: messages.map((message) => ({ message, urn: `urn:${name}` })),
  notApplicable: [],
  judged: 1,
});

/** The pack's Kubernetes rules: nothing to judge on a Docker stack. */
const KUBERNETES_RULES = RULES.filter((r) => r.scope === "kubernetes").length;

describe("genesis security-check", () => {
  it("staging with secrets assumed: every rule in the table, the digest rule a warning, exit 0", async () => {
    const { code, stdout } = await genesis([
      "security-check",
      "--stack",
      "staging",
      "--assume-secrets",
    ]);
    strictEqual(code, 0);
    for (const rule of RULES) {
      const cells = row(stdout, rule.policy.name);
      ok(cells !== undefined, `no row for ${rule.policy.name}`);
      // A Docker stack declares nothing a Kubernetes rule judges: not applicable, not a pass.
      const expected =
        rule.policy.name === "docker-image-pinned-by-digest"
          ? [rule.control, "advisory"]
          : [rule.control, "mandatory", rule.scope === "kubernetes" ? "N/A" : "PASS"];
      deepStrictEqual(cells.slice(1, expected.length + 1), expected);
    }
    match(row(stdout, "docker-image-pinned-by-digest")![3], /^WARN \(\d+\)$/);
    deepStrictEqual(row(stdout, SECRET_LEAK_CHECK)!.slice(2), ["mandatory", "PASS"]);
    match(
      stdout,
      new RegExp(
        `security-check staging \\(staging\\): 29 rules, ${28 - KUBERNETES_RULES} passed, 0 failed \\(mandatory\\), 1 warned \\(advisory\\), ${KUBERNETES_RULES} not applicable\n$`,
      ),
    );
  });

  it("--json: the same results as data", async () => {
    const { code, stdout } = await genesis([
      "security-check",
      "--stack",
      "staging",
      "--assume-secrets",
      "--json",
    ]);
    strictEqual(code, 0);
    const report = JSON.parse(stdout) as {
      stack: string;
      environment: string;
      exitCode: number;
      results: { name: string; level: string; violations: unknown[] }[];
    };
    deepStrictEqual([report.stack, report.environment, report.exitCode], ["staging", "staging", 0]);
    deepStrictEqual(
      report.results.map((r) => r.name),
      [...RULES.map((r) => r.policy.name), SECRET_LEAK_CHECK],
    );
    deepStrictEqual(
      report.results.filter((r) => r.violations.length > 0).map((r) => [r.name, r.level]),
      [["docker-image-pinned-by-digest", "advisory"]],
    );
  });

  it("staging as checked in: exits 64 naming the secret to set", async () => {
    const { code, stdout, stderr } = await genesis(["security-check", "--stack", "staging"]);
    strictEqual(code, 64);
    strictEqual(stdout, "");
    strictEqual(
      stderr,
      "security-check --stack staging: the program refuses this stack's configuration, so there are no resources to judge; set these first (or pass --assume-secrets to assume unset secrets):\n" +
        "- genesis:grafanaAdminPassword is required: set it with pulumi config set --secret genesis:grafanaAdminPassword <password>; got nothing\n",
    );
  });

  it("production as checked in: exits 64 naming every production key to set", async () => {
    const { code, stderr } = await genesis([
      "security-check",
      "--stack",
      "production",
      "--assume-secrets",
    ]);
    strictEqual(code, 64);
    for (const key of ["flagdImage", "deploymentLeadEmail", "smtpSmarthost", "smtpFrom"]) {
      match(stderr, new RegExp(`^- genesis:${key} `, "m"));
    }
  });

  it("production completed by the operator (values and encrypted secrets): all mandatory, all pass, exit 0", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "genesis-security-check-"));
    try {
      copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      const extra = [
        ...Object.entries(PRODUCTION_OPERATOR_VALUES).map(([k, v]) => `  genesis:${k}: "${v}"`),
        ...Object.keys(OPERATOR_SECRETS.production).map(
          (k) => `  genesis:${k}:\n    secure: v1:AAAA`,
        ),
      ];
      const stackFile = readFileSync(path.join(PROJECT_DIR, "Pulumi.production.yaml"), "utf8");
      writeFileSync(
        path.join(dir, "Pulumi.production.yaml"),
        `${stackFile.trimEnd()}\n${extra.join("\n")}\n`,
      );
      const { code, stdout } = await genesis([
        "security-check",
        "--stack",
        "production",
        "--project-dir",
        dir,
      ]);
      strictEqual(code, 0);
      for (const rule of RULES) {
        deepStrictEqual(row(stdout, rule.policy.name)?.slice(2), [
          "mandatory",
          rule.scope === "kubernetes" ? "N/A" : "PASS",
        ]);
      }
      match(
        stdout,
        new RegExp(
          `security-check production \\(production\\): 29 rules, ${29 - KUBERNETES_RULES} passed, 0 failed \\(mandatory\\), 0 warned \\(advisory\\), ${KUBERNETES_RULES} not applicable\n$`,
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a stack name that is no stack name, exit 64", async () => {
    const { code, stderr } = await genesis(["security-check", "--stack", "../etc"]);
    strictEqual(code, 64);
    strictEqual(
      stderr,
      '--stack must be a stack name such as staging or production; got "../etc"\n',
    );
  });
});

describe("security-check report", () => {
  it("a mandatory violation fails the check (exit 1) and is listed under the table", () => {
    const results = [
      result("docker-ports-loopback-only", "mandatory", [
        'genesis-grafana: ports[0].ip is "0.0.0.0"; publish on 127.0.0.1 only (CIS 5.14)',
      ]),
      result("docker-image-pinned-by-digest", "advisory", ["x"]),
      result("docker-no-host-pid", "mandatory", []),
      { ...result("kubernetes-no-host-namespaces", "mandatory", []), judged: 0 },
    ];
    strictEqual(securityCheckExitCode(results), 1);
    strictEqual(
      renderRuleTable("security-check t", results),
      [
        "rule                          | control         | level     | result",
        "------------------------------+-----------------+-----------+---------",
        "docker-ports-loopback-only    | CIS Docker 5.14 | mandatory | FAIL (1)",
        "docker-image-pinned-by-digest | CIS Docker 5.14 | advisory  | WARN (1)",
        "docker-no-host-pid            | CIS Docker 5.14 | mandatory | PASS",
        "kubernetes-no-host-namespaces | CIS Docker 5.14 | mandatory | N/A",
        "",
        'FAIL docker-ports-loopback-only: genesis-grafana: ports[0].ip is "0.0.0.0"; publish on 127.0.0.1 only (CIS 5.14)',
        "WARN docker-image-pinned-by-digest: x",
        "",
        "security-check t: 4 rules, 1 passed, 1 failed (mandatory), 1 warned (advisory), 1 not applicable",
      ].join("\n"),
    );
  });

  it("advisory violations alone do not fail the check (exit 0)", () => {
    strictEqual(
      securityCheckExitCode([result("a", "advisory", ["x"]), result("b", "mandatory", [])]),
      0,
    );
  });
});

describe("secret config stays secret in every resource input", () => {
  it("production: no secret value appears unmasked in any captured resource", async () => {
    const { resources } = await capturedStack("production");
    deepStrictEqual(findPlaintextSecrets(resources, OPERATOR_SECRETS.production), []);
  });

  it("finds a secret value that reached an input without its secret marking", () => {
    const leaked = {
      type: "docker:index/container:Container",
      name: "genesis-grafana",
      urn: "urn:g",
      maskedInputs: {
        envs: ["GF_SECURITY_ADMIN_PASSWORD=production-admin-password"],
        uploads: [{ content: "[secret]" }],
      },
    };
    deepStrictEqual(findPlaintextSecrets([leaked], OPERATOR_SECRETS.production), [
      {
        message:
          "genesis-grafana (docker:index/container:Container): envs[0] carries genesis:grafanaAdminPassword in plain text; read it with requireSecret and keep it a secret Output",
        urn: "urn:g",
      },
    ]);
  });
});
