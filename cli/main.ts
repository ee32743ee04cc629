/**
 * The `genesis` command: operators' view of the same code the Pulumi program runs.
 * Each subcommand lives in cli/commands/<name>.ts and registers itself here.
 * Exit codes: 0 success, 1 a check failed, 2 could not decide, 64 usage, 70 internal error.
 */
import { Command, CommanderError } from "commander";
import { ConfigError } from "../core/config/stackConfig";
import { StackFileError } from "../core/config/stackFile";
import { StackOperationError } from "../core/rollout/rolloutStack";
import { UsageError } from "./loadStack";
import { PulumiCliMissingError } from "./rollout/automationStack";
import { registerGate } from "./commands/gate";
import { registerHealth } from "./commands/health";
import { registerInspect } from "./commands/inspect";
import { registerStatus } from "./commands/status";
import { registerRender } from "./commands/render";
import { registerSecurityCheck } from "./commands/securityCheck";
import { registerReport, registerSignoff } from "./commands/report";
import { registerReplay } from "./commands/replay";
import { registerRollback, registerRollout } from "./commands/rollout";

/** A subcommand module: adds its command to the program; the action sets the exit code. */
export type CommandRegistrar = (program: Command, setExitCode: (code: number) => void) => void;

/** The subcommands, in the order `genesis --help` lists them. */
const REGISTRARS: CommandRegistrar[] = [
  registerHealth,
  registerGate,
  registerRender,
  registerSecurityCheck,
  registerInspect,
  registerStatus,
  registerRollout,
  registerRollback,
  registerReport,
  registerSignoff,
  registerReplay,
];

/** Exit code for a usage mistake, as sysexits.h has it. */
export const EXIT_USAGE = 64;

/** Exit code when a tool the command needs (the Pulumi CLI) could not do its part. */
export const EXIT_INTERNAL = 70;

/**
 * Refuses a `--*-url` flag that is not an http(s) URL, for every command in this one place
 * (a URL without a scheme would otherwise fail later, as a probe error).
 */
export function checkUrlOptions(cmd: Command): void {
  const values = cmd.opts<Record<string, unknown>>();
  for (const option of cmd.options) {
    if (option.long === undefined || !option.long.endsWith("-url")) continue;
    const value = values[option.attributeName()];
    if (value === undefined) continue;
    let protocol: string | undefined;
    try {
      protocol = new URL(String(value)).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== "http:" && protocol !== "https:") {
      throw new UsageError(
        `${option.long} must be an http(s) URL with its scheme, such as http://127.0.0.1:9090; got ${JSON.stringify(value)}`,
      );
    }
  }
}

/** Commander's "unknown option" line for `cmd`, rewritten to list the options it allows. */
function unknownOptionMessage(cmd: Command, text: string): string {
  const m = /^error: unknown option '([^']*)'(?:\s*\(Did you mean (\S+)\?\))?/.exec(text.trim());
  if (m === null) return text;
  const allowed = [...cmd.options.map((o) => o.long ?? o.short ?? ""), "--help"].filter(
    (f) => f !== "",
  );
  return `genesis ${cmd.name()}: unknown option ${m[1]}${m[2] !== undefined ? ` (did you mean ${m[2]}?)` : ""}; allowed: ${allowed.join(", ")}\n`;
}

/** Runs the command line `argv` (as process.argv) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command("genesis")
    .description("Staged, gated rollout of the Genesis service")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of REGISTRARS) {
    register(program, (code) => {
      exitCode = code;
    });
  }
  for (const cmd of program.commands) {
    cmd.configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(unknownOptionMessage(cmd, s)),
    });
  }
  program.hook("preAction", (_program, actionCommand) => checkUrlOptions(actionCommand));
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof StackFileError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof PulumiCliMissingError || e instanceof StackOperationError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT_INTERNAL;
    }
    throw e;
  }
  return exitCode;
}
