/**
 * `genesis render --stack S --out DIR [--assume-secrets] [--json]`: writes every file the
 * stack places into its containers, laid out as `<service>/<path>` (prometheus/, alertmanager/, grafana/, ...), from
 * the same container specs the components use. Secrets are never written: the command lists
 * each secret file as a reference (where the container reads it, which key holds it).
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_NAMESPACE } from "../../core/config/configKeys";
import { ConfigError } from "../../core/config/stackConfig";
import { stackFileLayout } from "../../core/render/stackLayout";
import { loadStackConfig, UsageError } from "../loadStack";
import type { CommandRegistrar } from "../main";

/** The parsed options of `genesis render`. */
export interface RenderOptions {
  readonly stack: string;
  readonly out: string;
  readonly projectDir?: string;
  readonly json?: boolean;
  readonly assumeSecrets?: boolean;
}

/** Refuses an output path that exists and is not an empty directory. */
function checkOutDir(out: string): void {
  let stat;
  try {
    stat = statSync(out);
  } catch {
    return;
  }
  if (!stat.isDirectory()) {
    throw new UsageError(`--out must be a new or empty directory; got "${out}", which is a file`);
  }
  if (readdirSync(out).length > 0) {
    throw new UsageError(
      `--out must be a new or empty directory (old files would mix with new ones); got "${out}", which is not empty`,
    );
  }
}

/** Registers `genesis render`. */
export const registerRender: CommandRegistrar = (program, setExitCode) => {
  program
    .command("render")
    .description("write every generated config file of a stack into a directory, for review")
    .requiredOption("--stack <name>", "the stack to render (Pulumi.<name>.yaml)")
    .requiredOption("--out <dir>", "a new or empty directory to write into")
    .option("--project-dir <dir>", "where Pulumi.yaml lives (default: this project)")
    .option(
      "--assume-secrets",
      "treat every secret the stack file does not set as set (the files only reference secrets)",
    )
    .option("--json", "print the written files and secret references as JSON")
    .action((opts: RenderOptions) => {
      let cfg;
      try {
        cfg = loadStackConfig(opts.stack, opts.projectDir, {
          assumeSecrets: opts.assumeSecrets === true,
        });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        throw new ConfigError(
          e.problems.map((p) =>
            opts.assumeSecrets !== true && / --secret /.test(p)
              ? `${p} (or pass --assume-secrets: render only references secrets)`
              : p,
          ),
        );
      }
      checkOutDir(opts.out);
      const layout = stackFileLayout(cfg);
      for (const f of layout.files) {
        const file = path.join(opts.out, ...f.path.split("/"));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, f.content);
      }
      if (opts.json === true) {
        process.stdout.write(
          `${JSON.stringify({ files: layout.files.map((f) => f.path), secrets: layout.secrets }, null, 2)}\n`,
        );
      } else {
        const lines = [
          `rendered ${layout.files.length} files of stack ${opts.stack} into ${opts.out}:`,
          ...layout.files.map((f) => `  ${f.path}`),
          "secret files (not written; the stack places them from Pulumi secrets):",
          ...layout.secrets.map(
            (s) => `  ${s.path} -> ${s.containerPath} (${CONFIG_NAMESPACE}:${s.secret})`,
          ),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      }
      setExitCode(0);
    });
};
