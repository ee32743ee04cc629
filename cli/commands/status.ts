/**
 * `genesis status --stack S [--json]`: whether the deployed stack is where its config says,
 * from the gate's state in the stack outputs: the live percentage is the configured one and
 * the last decision did not block a promotion (core/rollout/deploymentStatus.ts). Exit 0
 * pass, 1 fail, 2 the stack outputs could not be read (never a pass), 64 usage.
 */
import { deploymentStatus } from "../../core/rollout/deploymentStatus";
import { loadStackConfig, PROJECT_DIR } from "../loadStack";
import type { CommandRegistrar } from "../main";
import { readGate } from "./report";

interface StatusOptions {
  readonly stack: string;
  readonly projectDir?: string;
  readonly json?: boolean;
}

/** Registers `genesis status`. */
export const registerStatus: CommandRegistrar = (program, setExitCode) => {
  program
    .command("status")
    .description(
      "whether the deployed stack is live where its config says, and the gate's last decision",
    )
    .requiredOption("--stack <name>", "the stack to judge (Pulumi.<name>.yaml and its outputs)")
    .option("--project-dir <dir>", "where Pulumi.yaml lives (default: this project)")
    .option("--json", "print JSON instead of a line")
    .action(async (opts: StatusOptions) => {
      const projectDir = opts.projectDir ?? PROJECT_DIR;
      const cfg = loadStackConfig(opts.stack, projectDir, { assumeSecrets: true });
      const { gate, gateUnavailable } = await readGate(opts.stack, projectDir);
      if (gate === undefined) {
        process.stderr.write(`genesis status: cannot judge the stack: ${gateUnavailable}\n`);
        setExitCode(2);
        return;
      }
      const status = deploymentStatus(cfg.rollout.percentage, gate);
      process.stdout.write(
        opts.json === true
          ? `${JSON.stringify(status, null, 2)}\n`
          : `${opts.stack}: ${status.verdict}: ${status.reason}\n`,
      );
      setExitCode(status.verdict === "pass" ? 0 : 1);
    });
};
