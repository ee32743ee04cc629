/**
 * The project's two stacks as an operator completes them before the first `pulumi up`: the
 * checked-in Pulumi.yaml and Pulumi.<stack>.yaml, plus what their comments ask to set (the
 * secrets, as encrypted values, and production's addresses and pinned images).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseStackConfig, RawStackConfig, StackConfig } from "../../core/config/stackConfig";
import { readStackFiles } from "../../core/config/stackFile";

/** The project directory. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The stacks the project ships. */
export type StackName = "staging" | "production";

/** Both stacks, in a fixed order. */
export const STACK_NAMES: readonly StackName[] = ["staging", "production"];

const DIGEST = "0123456789abcdef".repeat(4);

/** The `config:` entries an operator adds to each stack file (as `pulumi config set` writes). */
export const OPERATOR_SETTINGS: Readonly<Record<StackName, Record<string, unknown>>> = {
  staging: {
    "genesis:grafanaAdminPassword": { secure: "v1:c3RhZ2luZw==" },
  },
  production: {
    "genesis:grafanaAdminPassword": { secure: "v1:cHJvZHVjdGlvbg==" },
    "genesis:pagerDutyRoutingKey": { secure: "v1:cm91dGluZw==" },
    "genesis:smtpPassword": { secure: "v1:c210cA==" },
    "genesis:deploymentLeadEmail": "lead@example.org",
    "genesis:smtpSmarthost": "smtp.example.org:587",
    "genesis:smtpFrom": "alerts@example.org",
    "genesis:smtpUsername": "alerts",
    "genesis:grafanaImage": `grafana/grafana:11.3.0@sha256:${DIGEST}`,
    "genesis:alertmanagerImage": `prom/alertmanager:v0.27.0@sha256:${DIGEST}`,
    "genesis:nodeExporterImage": `prom/node-exporter:v1.8.2@sha256:${DIGEST}`,
    "genesis:flagdImage": `ghcr.io/open-feature/flagd:v0.11.1@sha256:${DIGEST}`,
  },
};

/** The text of Pulumi.<stack>.yaml with the operator's settings appended to its config. */
export function completedStackYaml(stack: StackName): string {
  const text = readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
  const lines = Object.entries(OPERATOR_SETTINGS[stack]).map(
    ([key, value]) => `  ${key}: ${JSON.stringify(value)}`,
  );
  return `${text.trimEnd()}\n${lines.join("\n")}\n`;
}

/** The raw configuration of the completed stack. */
export function completedRawConfig(stack: StackName): RawStackConfig {
  const projectYaml = readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8");
  return readStackFiles(projectYaml, completedStackYaml(stack), stack);
}

/** The parsed configuration of the completed stack, optionally with values changed. */
export function completedStack(
  stack: StackName,
  values: Record<string, unknown> = {},
): StackConfig {
  const raw = completedRawConfig(stack);
  return parseStackConfig({ values: { ...raw.values, ...values }, secrets: raw.secrets });
}
