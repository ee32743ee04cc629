/**
 * Loads a stack's configuration the way `pulumi up` would see it, without the Pulumi CLI:
 * Pulumi.yaml defaults merged with Pulumi.<stack>.yaml, then parsed and validated.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { SECRET_KEY_NAMES } from "../core/config/configKeys";
import {
  parseStackConfig,
  RawStackConfig,
  SecretPresence,
  StackConfig,
} from "../core/config/stackConfig";
import { readStackFiles } from "../core/config/stackFile";

export { PROJECT_DIR, projectDirAbove } from "../program/projectDir";
import { PROJECT_DIR } from "../program/projectDir";

/** A stack name Pulumi accepts and that maps to a stack file of ours. */
export const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** Raised for a command-line mistake; the command exits 64 (usage). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Reads stack `stack`'s raw configuration from `projectDir` the way the Pulumi CLI sees it
 * (Pulumi.yaml defaults, then Pulumi.<stack>.yaml), unvalidated.
 */
export function readStackRaw(stack: string, projectDir: string = PROJECT_DIR): RawStackConfig {
  if (!STACK_NAME.test(stack)) {
    throw new UsageError(
      `--stack must be a stack name such as staging or production; got "${stack}"`,
    );
  }
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  let projectYaml: string;
  try {
    projectYaml = readFileSync(projectFile, "utf8");
  } catch {
    throw new UsageError(
      `--project-dir must be the project directory, where Pulumi.yaml lives; got "${projectDir}", which has no Pulumi.yaml`,
    );
  }
  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  let stackYaml: string;
  try {
    stackYaml = readFileSync(stackFile, "utf8");
  } catch {
    const stacks = stackNames(projectDir);
    throw new UsageError(
      `--stack ${stack}: no stack file ${stackFile}; ${stacks.length > 0 ? `the stacks here are ${stacks.join(", ")}` : "there are no Pulumi.<stack>.yaml files here"}`,
    );
  }
  return readStackFiles(projectYaml, stackYaml, stack);
}

/** The stacks of the project in `projectDir`: the names of its Pulumi.<name>.yaml files. */
export function stackNames(projectDir: string = PROJECT_DIR): string[] {
  let files: string[];
  try {
    files = readdirSync(projectDir);
  } catch {
    return [];
  }
  return files
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined && STACK_NAME.test(n))
    .sort();
}

/** Options of {@link loadStackConfig}. */
export interface LoadStackOptions {
  /**
   * Count every secret the stack file does not set as set: for commands that only reference
   * secrets (`genesis render --assume-secrets`) and read-only commands that never use them
   * (`genesis health`, `genesis gate`). A plain-text secret is still refused.
   * @default false
   */
  readonly assumeSecrets?: boolean;
}

/**
 * Reads and validates the configuration of stack `stack` from `projectDir`.
 * Secrets set with `--secret` count as present; their ciphertext is never read.
 */
export function loadStackConfig(
  stack: string,
  projectDir: string = PROJECT_DIR,
  options: LoadStackOptions = {},
): StackConfig {
  const raw = readStackRaw(stack, projectDir);
  if (options.assumeSecrets !== true) return parseStackConfig(raw);
  const secrets: Record<string, SecretPresence> = {};
  for (const name of SECRET_KEY_NAMES) {
    const given = raw.secrets[name] ?? "absent";
    secrets[name] = given === "absent" ? "encrypted" : given;
  }
  return parseStackConfig({ values: raw.values, secrets });
}
