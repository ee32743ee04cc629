/**
 * The `genesis` command: operators' view of the same code the Pulumi program runs.
 * Each subcommand lives in cli/commands/<name>.ts and registers itself here.
 * Exit codes: 0 success, 1 a check failed, 2 could not decide, 64 usage, 70 internal error.
 */
import { Command, CommanderError } from "commander";
import { ConfigError } from "../core/config/stackConfig";
import { UsageError } from "./loadStack";
import { registerGate } from "./commands/gate";
import { registerHealth } from "./commands/health";
import { registerRender } from "./commands/render";
import { registerSecurityCheck } from "./commands/securityCheck";
import { registerReport, registerSignoff } from "./commands/report";
import { registerRollback, registerRollout } from "./commands/rollout";

/** A subcommand module: adds its command to the program; the action sets the exit code. */
export type CommandRegistrar = (program: Command, setExitCode: (code: number) => void) => void;

/** The subcommands, in the order `genesis --help` lists them. */
const REGISTRARS: CommandRegistrar[] = [
  registerHealth,
  registerGate,
  registerRender,
  registerSecurityCheck,
  registerRollout,
  registerRollback,
  registerReport,
  registerSignoff,
];

/** Exit code for a usage mistake, as sysexits.h has it. */
export const EXIT_USAGE = 64;

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
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return exitCode;
}
