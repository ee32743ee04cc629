/**
 * Usage errors of the `genesis` command, run in-process: each exits 64 with one message
 * naming the flag or file, the value and what is allowed; a missing Pulumi CLI is one line
 * saying what to install; read-only commands never demand secrets they do not use.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadStackConfig } from "../../cli/loadStack";
import { parseWaitSeconds } from "../../cli/commands/rollout";
import { PULUMI_CLI_MISSING } from "../../cli/rollout/automationStack";
import { runGenesis as genesis } from "../support/genesisCli";
import { completedStack, completedStackYaml, PROJECT_DIR } from "../support/stacks";

describe("genesis usage errors: exit 64 and one message naming flag or file, value and what is allowed", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-usage-"));
  const project = path.join(dir, "project");
  const empty = path.join(dir, "empty");
  mkdirSync(project);
  mkdirSync(empty);
  copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
  writeFileSync(path.join(project, "Pulumi.staging.yaml"), completedStackYaml("staging"));
  copyFileSync(
    path.join(PROJECT_DIR, "Pulumi.staging.yaml"),
    path.join(project, "Pulumi.bare.yaml"),
  );
  writeFileSync(path.join(project, "Pulumi.broken.yaml"), "config:\n  a: b\n c: d\n");
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string[], string][] = [
    [
      "a URL without a scheme",
      ["health", "--stack", "staging", "--prometheus-url", "localhost:9090"],
      '--prometheus-url must be an http(s) URL with its scheme, such as http://127.0.0.1:9090; got "localhost:9090"',
    ],
    [
      "a URL of another scheme, on another command",
      ["report", "--stack", "staging", "--app-url", "ftp://x/health"],
      '--app-url must be an http(s) URL with its scheme, such as http://127.0.0.1:9090; got "ftp://x/health"',
    ],
    [
      "malformed YAML in a stack file",
      ["health", "--stack", "broken"],
      "Pulumi.broken.yaml is not valid YAML: All mapping items must start at the same column at line 3, column 1",
    ],
    [
      "a mistyped stack name",
      ["health", "--stack", "stagin"],
      `--stack stagin: no stack file ${path.join(project, "Pulumi.stagin.yaml")}; the stacks here are bare, broken, staging`,
    ],
    [
      "report --json",
      ["report", "--stack", "staging", "--json"],
      "--json does not apply to report, which writes a document: use --format md or --format html; got --json",
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await genesis([...args, "--project-dir", project]);
      deepStrictEqual({ code: r.code, stderr: r.stderr }, { code: 64, stderr: `${message}\n` });
    });
  }

  it("a directory without Pulumi.yaml", async () => {
    const r = await genesis(["render", "--stack", "staging", "--out", dir, "--project-dir", empty]);
    deepStrictEqual(
      { code: r.code, stderr: r.stderr },
      {
        code: 64,
        stderr: `--project-dir must be the project directory, where Pulumi.yaml lives; got "${empty}", which has no Pulumi.yaml\n`,
      },
    );
  });

  it("an unknown option, listing the options the command allows", async () => {
    const r = await genesis(["render", "--stack", "staging", "--out", dir, "--assume-secret"]);
    deepStrictEqual(
      { code: r.code, stderr: r.stderr },
      {
        code: 64,
        stderr:
          "genesis render: unknown option --assume-secret (did you mean --assume-secrets?); allowed: --stack, --out, --project-dir, --assume-secrets, --json, --help\n",
      },
    );
  });

  it("render names --assume-secrets when a secret is unset", async () => {
    const r = await genesis([
      "render",
      "--stack",
      "bare",
      "--out",
      path.join(dir, "out"),
      "--project-dir",
      project,
    ]);
    deepStrictEqual(
      { code: r.code, stderr: r.stderr },
      {
        code: 64,
        stderr:
          "invalid stack configuration:\n- genesis:grafanaAdminPassword is required: set it with pulumi config set --secret genesis:grafanaAdminPassword <password>; got nothing (or pass --assume-secrets: render only references secrets)\n",
      },
    );
  });
});

describe("genesis health and gate never demand secrets they do not use", () => {
  it("loadStackConfig with assumeSecrets reads a stack without its Grafana password", () => {
    strictEqual(
      loadStackConfig("staging", PROJECT_DIR, { assumeSecrets: true }).environment,
      "staging",
    );
  });
});

describe("genesis rollout --wait takes the durations --window takes", () => {
  const cfg = completedStack("staging");
  const cases: [string, number][] = [
    ["60", 60],
    ["90s", 90],
    ["5m", 300],
    ["1h30m", 5400],
  ];
  for (const [text, seconds] of cases) {
    it(`${text} is ${seconds} s`, () => {
      strictEqual(parseWaitSeconds(text, cfg), seconds);
    });
  }
});

describe("genesis without the Pulumi CLI on PATH", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-nopulumi-"));
  const project = path.join(dir, "project");
  mkdirSync(project);
  copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
  writeFileSync(path.join(project, "Pulumi.staging.yaml"), completedStackYaml("staging"));
  let oldPath: string | undefined;
  beforeEach(() => {
    oldPath = process.env.PATH;
    process.env.PATH = dir;
  });
  afterEach(() => {
    process.env.PATH = oldPath;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const command of ["rollout", "rollback"]) {
    it(`${command}: one line saying what is missing and how to install it; exit 70`, async () => {
      const r = await genesis([command, "--stack", "staging", "--yes", "--project-dir", project]);
      deepStrictEqual(
        { code: r.code, stderr: r.stderr },
        { code: 70, stderr: `${PULUMI_CLI_MISSING}\n` },
      );
    });
  }
});
