/**
 * `genesis security-check --stack S [--assume-secrets] [--json]`: runs the genesis-security
 * policy pack over the resources stack S declares, captured under mocks exactly as the
 * tests capture them (no Pulumi CLI, no Docker), at the levels of S's environment; prints a
 * table of rules and results; exits 1 on a mandatory violation, 64 when the program refuses
 * the stack's configuration (naming every key to set).
 */
import { SECRET_KEY_NAMES } from "../../core/config/configKeys";
import { ConfigError } from "../../core/config/stackConfig";
import { evaluateRules } from "../../policy/evaluate";
import { PackEnvironment, RULES, policyPackConfigFor } from "../../policy/policies";
import { renderRuleTable, securityCheckExitCode } from "../../policy/report";
import { findPlaintextSecrets, secretLeakResult } from "../../policy/secretLeaks";
import { captureProgram, CaptureConfig } from "../../program/captureProgram";
import { stackCaptureConfig } from "../stackCapture";
import { STACK_NAME, UsageError } from "../loadStack";
import type { CommandRegistrar } from "../main";

/** The parsed options. */
interface SecurityCheckOptions {
  readonly stack: string;
  readonly projectDir?: string;
  readonly assumeSecrets?: boolean;
  readonly json?: boolean;
}

/** Exit code when the program refuses the stack's configuration (as for any usage error). */
const EXIT_CONFIG = 64;

/** A stand-in for secret `name`: the check never reads ciphertext, it traces these values. */
export function placeholderSecret(name: string): string {
  return `security-check-placeholder-${name}`;
}

/**
 * The capture configuration for `stack`: its files, encrypted secrets replaced by
 * placeholders; with `assumeSecrets`, every secret the file does not set is assumed set.
 */
export function securityCheckConfig(
  stack: string,
  projectDir: string | undefined,
  assumeSecrets: boolean,
): CaptureConfig {
  if (!STACK_NAME.test(stack)) {
    throw new UsageError(
      `--stack must be a stack name such as staging or production; got "${stack}"`,
    );
  }
  const config = stackCaptureConfig(stack, placeholderSecret, projectDir);
  if (!assumeSecrets) return config;
  const secrets: Record<string, string> = { ...config.secrets };
  for (const name of SECRET_KEY_NAMES) {
    if (!(name in secrets) && !(name in (config.plaintextSecrets ?? {}))) {
      secrets[name] = placeholderSecret(name);
    }
  }
  return { ...config, secrets };
}

/** Registers `genesis security-check`. */
export const registerSecurityCheck: CommandRegistrar = (program, setExitCode) => {
  program
    .command("security-check")
    .description("run the genesis-security policy pack on the resources a stack declares")
    .requiredOption("--stack <name>", "the stack to judge (Pulumi.<name>.yaml)")
    .option("--project-dir <dir>", "where Pulumi.yaml lives (default: this project)")
    .option(
      "--assume-secrets",
      "treat every secret the stack file does not set as set (placeholders), to judge before an operator sets them",
    )
    .option("--json", "print JSON instead of a table")
    .action(async (opts: SecurityCheckOptions) => {
      const config = securityCheckConfig(opts.stack, opts.projectDir, opts.assumeSecrets === true);
      let resources;
      try {
        ({ resources } = await captureProgram(config));
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        process.stderr.write(
          `security-check --stack ${opts.stack}: the program refuses this stack's configuration, so there are no resources to judge; set these first${opts.assumeSecrets === true ? "" : " (or pass --assume-secrets to assume unset secrets)"}:\n- ${e.problems.join("\n- ")}\n`,
        );
        setExitCode(EXIT_CONFIG);
        return;
      }
      const environment = config.values.environment as PackEnvironment;
      const results = await evaluateRules(RULES, resources, policyPackConfigFor(environment));
      results.push(
        secretLeakResult(findPlaintextSecrets(resources, config.secrets), resources.length),
      );
      if (opts.json === true) {
        process.stdout.write(
          `${JSON.stringify({ stack: opts.stack, environment, results, exitCode: securityCheckExitCode(results) }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(
          `${renderRuleTable(`security-check ${opts.stack} (${environment})`, results)}\n`,
        );
      }
      setExitCode(securityCheckExitCode(results));
    });
};
