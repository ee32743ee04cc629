// Pulumi.yaml against Pulumi's own project schema (schemas/, a copy of pulumi/pulumi's
// sdk/go/common/workspace/project.json), and the stack files against what the program reads.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import * as YAML from "yaml";
import { loadStackConfig } from "../../cli/loadStack";
import { parseStackConfig } from "../../core/config/stackConfig";
import { readStackFiles } from "../../core/config/stackFile";

const ROOT = path.resolve(__dirname, "../..");
const SCHEMA = path.join(ROOT, "schemas", "pulumi-project.schema.json");

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")) as object);
}

const project = () =>
  YAML.parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;

describe("Pulumi.yaml", () => {
  it("is checked against the repository's copy of Pulumi's schema, which keeps its $id", () => {
    const schema = JSON.parse(readFileSync(SCHEMA, "utf8")) as { $id: string };
    strictEqual(
      schema.$id,
      "https://github.com/pulumi/pulumi/blob/master/sdk/go/common/workspace/project.json",
    );
  });

  it("is valid against Pulumi's project schema", () => {
    const validate = validator();
    const valid = validate(project());
    deepStrictEqual(validate.errors ?? [], []);
    strictEqual(valid, true);
  });

  it("the schema check can fail: a float type and a missing runtime are refused", () => {
    const validate = validator();
    const broken = { ...project(), runtime: undefined } as Record<string, unknown>;
    delete broken.runtime;
    strictEqual(validate(broken), false);
    const float = {
      ...project(),
      config: { "genesis:x": { type: "float", default: 1.0 } },
    };
    strictEqual(validate(float), false);
  });

  it("declares project genesis on Node.js with TypeScript, entry index.ts", () => {
    const p = project();
    strictEqual(p.name, "genesis");
    deepStrictEqual(p.runtime, {
      name: "nodejs",
      options: { typescript: true, packagemanager: "npm" },
    });
    strictEqual(p.main, "index.ts");
  });

  it("expresses the 1.0 % error threshold naturally, as a decimal string", () => {
    const config = project().config as Record<string, { type: string; default: unknown }>;
    strictEqual(config.errorRateThresholdPercent.type, "string");
    const staging = readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
    ok(/genesis:errorRateThresholdPercent: 1\.0\n/.test(staging));
  });
});

describe("the stack files", () => {
  it("staging: 100 %, 1.0 %, 500 ms, a 60 s window, 5 failures, docker", () => {
    // As `pulumi up` sees it once the admin password is set with --secret.
    const raw = readStackFiles(
      readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"),
      readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8"),
      "staging",
    );
    const c = parseStackConfig({ ...raw, secrets: { grafanaAdminPassword: "encrypted" } });
    deepStrictEqual(
      {
        environment: c.environment,
        platform: c.platform,
        percentage: c.rollout.percentage,
        steps: c.rollout.steps,
        errorRate: c.slo.errorRateThresholdPercent,
        p95: c.slo.latencyP95ThresholdMs,
        window: c.slo.validationWindowSeconds,
        failureLimit: c.health.failureLimit,
      },
      {
        environment: "staging",
        platform: "docker",
        percentage: 100,
        steps: [0, 5, 10, 25, 50, 75, 100],
        errorRate: 1,
        p95: 500,
        window: 60,
        failureLimit: 5,
      },
    );
  });

  it("production: 0 %, 1.0 %, 500 ms, a 300 s window, auto-rollback, and refuses until completed", () => {
    const text = readFileSync(path.join(ROOT, "Pulumi.production.yaml"), "utf8");
    const config = (YAML.parse(text) as { config: Record<string, unknown> }).config;
    deepStrictEqual(
      {
        environment: config["genesis:environment"],
        platform: config["genesis:platform"],
        percentage: config["genesis:rolloutPercentage"],
        steps: config["genesis:rolloutSteps"],
        errorRate: config["genesis:errorRateThresholdPercent"],
        p95: config["genesis:latencyP95ThresholdMs"],
        window: config["genesis:validationWindowSeconds"],
        failureLimit: config["genesis:healthFailureLimit"],
        autoRollback: config["genesis:autoRollback"],
      },
      {
        environment: "production",
        platform: "docker",
        percentage: 0,
        steps: [0, 5, 10, 25, 50, 75, 100],
        errorRate: 1,
        p95: 500,
        window: 300,
        failureLimit: 5,
        autoRollback: true,
      },
    );
    // As shipped it lacks what only the operator knows; the refusal names each key.
    try {
      loadStackConfig("production", ROOT);
      throw new Error("expected the shipped production stack to be refused");
    } catch (e) {
      const message = (e as Error).message;
      for (const key of [
        "genesis:grafanaAdminPassword",
        "genesis:pagerDutyRoutingKey",
        "genesis:flagdImage",
        "genesis:deploymentLeadEmail",
        "genesis:smtpSmarthost",
        "genesis:smtpFrom",
      ]) {
        ok(message.includes(key), `${key} missing from: ${message}`);
      }
    }
  });
});
