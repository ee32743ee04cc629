// The rendered prometheus.yml, for both stacks, checked by the tool Prometheus ships:
// `promtool check config` (Debian package `prometheus`).
import { ok, strictEqual } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseStackConfig } from "../../core/config/stackConfig";
import { readStackFiles } from "../../core/config/stackFile";
import { renderPrometheusConfig } from "../../core/render/prometheusConfig";

const ROOT = path.resolve(__dirname, "../..");

function promtoolCheck(text: string): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "genesis-promtool-"));
  try {
    const file = path.join(dir, "prometheus.yml");
    writeFileSync(file, text);
    const r = spawnSync("promtool", ["check", "config", "--syntax-only", file], {
      encoding: "utf8",
    });
    if (r.error) throw r.error;
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function stackConfig(stack: string, extra: Record<string, unknown> = {}) {
  const raw = readStackFiles(
    readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"),
    readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"),
    stack,
  );
  return parseStackConfig({
    values: { ...raw.values, ...extra },
    secrets: { grafanaAdminPassword: "encrypted", pagerDutyRoutingKey: "encrypted" },
  });
}

const PRODUCTION_EXTRA = {
  flagdImage: `ghcr.io/open-feature/flagd:v0.11.1@sha256:${"f".repeat(64)}`,
  deploymentLeadEmail: "lead@example.org",
  smtpSmarthost: "smtp.example.org:587",
  smtpFrom: "alerts@example.org",
};

describe("prometheus.yml in promtool (integration)", () => {
  for (const [stack, extra] of [
    ["staging", {}],
    ["production", PRODUCTION_EXTRA],
  ] as const) {
    it(`${stack}: promtool check config passes`, () => {
      const config = stackConfig(stack, extra);
      const { status, output } = promtoolCheck(renderPrometheusConfig(config));
      strictEqual(status, 0, output);
      ok(output.includes("SUCCESS"), output);
    });
  }

  it("promtool refuses a broken file (the check can fail)", () => {
    const config = stackConfig("staging");
    const broken = renderPrometheusConfig(config).replace(
      /scrape_interval: \d+s/,
      "scrape_interval: soon",
    );
    const { status, output } = promtoolCheck(broken);
    strictEqual(status, 1, output);
    ok(output.includes("FAILED"), output);
  });
});
