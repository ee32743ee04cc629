/**
 * `genesis render` for both stacks, run in-process on a project directory holding the
 * checked-in Pulumi.yaml and each stack file as an operator completes it: the tree is exactly
 * what the container specs place, no secret is written, and the real tools accept the files
 * (promtool check config with the rendered rules, promtool check rules, amtool check-config).
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { renderFlagdFlags } from "../../../core/render/flagdFlags";
import { stackFileLayout } from "../../../core/render/stackLayout";
import { AMTOOL, PROMTOOL, runTool } from "../../support/promtool";
import {
  completedStack,
  completedStackYaml,
  OPERATOR_SETTINGS,
  PROJECT_DIR,
  STACK_NAMES,
} from "../../support/stacks";
import { runGenesis as genesis } from "../../support/genesisCli";

/** Every file under `dir`, as sorted `/`-separated relative paths. */
function listTree(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? listTree(path.join(dir, e.name), `${prefix}${e.name}/`)
        : [`${prefix}${e.name}`],
    )
    .sort();
}

/** The files this project's monitoring stages render, at least (other services may add more). */
const OWN_FILES = [
  "alertmanager/alertmanager.yml",
  "flagd/flags.json",
  "grafana/dashboards/genesis-rollout.json",
  "grafana/provisioning/alerting/genesis.yml",
  "grafana/provisioning/dashboards/genesis.yml",
  "grafana/provisioning/datasources/prometheus.yml",
  "prometheus/prometheus.yml",
  "prometheus/rules/genesis-monitoring.yml",
  "prometheus/rules/genesis-slo.yml",
];

describe("genesis render", () => {
  let work: string;
  let project: string;
  before(() => {
    work = mkdtempSync(path.join(os.tmpdir(), "genesis-render-cli-"));
    project = path.join(work, "project");
    mkdirSync(project);
    copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
    for (const stack of STACK_NAMES) {
      writeFileSync(path.join(project, `Pulumi.${stack}.yaml`), completedStackYaml(stack));
    }
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  for (const stack of STACK_NAMES) {
    describe(`${stack} stack`, () => {
      let out: string;
      let stdout: string;
      before(async () => {
        out = path.join(work, `out-${stack}`);
        const r = await genesis([
          "render",
          "--stack",
          stack,
          "--out",
          out,
          "--project-dir",
          project,
          "--json",
        ]);
        strictEqual(r.code, 0, r.stderr);
        stdout = r.stdout;
      });

      it("writes exactly the files the container specs place, with the same text", () => {
        const layout = stackFileLayout(completedStack(stack));
        const tree = listTree(out);
        deepStrictEqual(
          tree,
          layout.files.map((f) => f.path),
        );
        for (const f of OWN_FILES) ok(tree.includes(f), `${f} missing from ${tree.join(", ")}`);
        strictEqual(
          readFileSync(path.join(out, "flagd/flags.json"), "utf8"),
          renderFlagdFlags(completedStack(stack).rollout.percentage),
        );
        for (const f of layout.files) {
          strictEqual(readFileSync(path.join(out, f.path), "utf8"), f.content, f.path);
        }
        const printed = JSON.parse(stdout) as { files: string[]; secrets: { path: string }[] };
        deepStrictEqual(printed.files, tree);
        deepStrictEqual(
          printed.secrets.map((s) => s.path),
          layout.secrets.map((s) => s.path),
        );
      });

      it("writes no secret: secret files are references only", () => {
        const layout = stackFileLayout(completedStack(stack));
        ok(layout.secrets.length >= 1);
        for (const s of layout.secrets) ok(!existsSync(path.join(out, s.path)), s.path);
        const ciphertexts = Object.values(OPERATOR_SETTINGS[stack])
          .filter((v): v is { secure: string } => typeof v === "object" && v !== null)
          .map((v) => v.secure);
        for (const f of listTree(out)) {
          const text = readFileSync(path.join(out, f), "utf8");
          for (const c of ciphertexts) ok(!text.includes(c), `${f} contains ${c}`);
        }
      });

      it("promtool accepts prometheus.yml together with the rendered rules, and the rules alone", () => {
        const asRendered = runTool(PROMTOOL, ["check", "config", "prometheus/prometheus.yml"], out);
        strictEqual(asRendered.status, 0, `${asRendered.stdout}\n${asRendered.stderr}`);
        // The same file with its rule glob pointed at the rendered rules (in the container it
        // is /etc/prometheus/rules/*.yml), so promtool loads and checks them with the config.
        const doc = YAML.parse(
          readFileSync(path.join(out, "prometheus/prometheus.yml"), "utf8"),
        ) as {
          rule_files: string[];
        };
        deepStrictEqual(doc.rule_files, ["/etc/prometheus/rules/*.yml"]);
        doc.rule_files = [path.join(out, "prometheus/rules/*.yml")];
        const local = path.join(work, `prometheus-${stack}.yml`);
        writeFileSync(local, YAML.stringify(doc));
        const withRules = runTool(PROMTOOL, ["check", "config", local]);
        strictEqual(withRules.status, 0, `${withRules.stdout}\n${withRules.stderr}`);
        ok(withRules.stdout.includes("SUCCESS: 8 rules found"), withRules.stdout);
        ok(withRules.stdout.includes("SUCCESS: 3 rules found"), withRules.stdout);
        const rules = runTool(
          PROMTOOL,
          [
            "check",
            "rules",
            "prometheus/rules/genesis-slo.yml",
            "prometheus/rules/genesis-monitoring.yml",
          ],
          out,
        );
        strictEqual(rules.status, 0, `${rules.stdout}\n${rules.stderr}`);
      });

      it("amtool accepts alertmanager.yml", () => {
        const r = runTool(AMTOOL, ["check-config", "alertmanager/alertmanager.yml"], out);
        strictEqual(r.status, 0, `${r.stdout}\n${r.stderr}`);
      });
    });
  }

  it("--assume-secrets renders the checked-in staging stack; without it, exit 64 names the secret", async () => {
    const refused = await genesis(["render", "--stack", "staging", "--out", path.join(work, "s0")]);
    deepStrictEqual(
      [refused.code, refused.stderr],
      [
        64,
        "invalid stack configuration:\n- genesis:grafanaAdminPassword is required: set it with pulumi config set --secret genesis:grafanaAdminPassword <password>; got nothing (or pass --assume-secrets: render only references secrets)\n",
      ],
    );
    ok(!existsSync(path.join(work, "s0")));
    const out = path.join(work, "s1");
    const r = await genesis(["render", "--stack", "staging", "--assume-secrets", "--out", out]);
    strictEqual(r.code, 0, r.stderr);
    const am = YAML.parse(
      readFileSync(path.join(out, "alertmanager/alertmanager.yml"), "utf8"),
    ) as {
      receivers: { name: string; pagerduty_configs?: { routing_key_file: string }[] }[];
    };
    deepStrictEqual(am.receivers[0], {
      name: "oncall-pagerduty",
      pagerduty_configs: [
        {
          routing_key_file: "/etc/alertmanager/secrets/pagerduty-routing-key",
          send_resolved: true,
          severity: "critical",
        },
      ],
    });
    ok(r.stdout.includes("(genesis:pagerDutyRoutingKey)"), r.stdout);
    ok(!existsSync(path.join(out, "alertmanager/secrets")));
  });

  it("refuses a non-empty --out directory with exit 64, naming the flag and the value", async () => {
    const full = path.join(work, "full");
    mkdirSync(full);
    writeFileSync(path.join(full, "old.yml"), "old\n");
    const r = await genesis([
      "render",
      "--stack",
      "staging",
      "--out",
      full,
      "--project-dir",
      project,
    ]);
    deepStrictEqual(
      [r.code, r.stderr],
      [
        64,
        `--out must be a new or empty directory (old files would mix with new ones); got "${full}", which is not empty\n`,
      ],
    );
    deepStrictEqual(readdirSync(full), ["old.yml"]);
  });

  it("refuses an unknown stack with exit 64, naming it", async () => {
    const r = await genesis([
      "render",
      "--stack",
      "qa",
      "--out",
      path.join(work, "qa"),
      "--project-dir",
      project,
    ]);
    deepStrictEqual(
      [r.code, r.stderr],
      [
        64,
        `--stack qa: no stack file ${path.join(project, "Pulumi.qa.yaml")}; the stacks here are production, staging\n`,
      ],
    );
    ok(!existsSync(path.join(work, "qa")));
  });
});
