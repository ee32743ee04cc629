/**
 * The README's "The `genesis` command" section lists every command and every flag each one
 * takes, and no flag a command does not take: the lists are checked against each command's
 * `--help`, so the two cannot drift apart.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runGenesis } from "../support/genesisCli";

const README = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

/** The README section that lists the commands, up to the next heading of its level. */
function commandSection(readme: string): string {
  const start = readme.indexOf("## The `genesis` command");
  ok(start >= 0, "README.md has no section '## The `genesis` command'");
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The long flags (`--name`) written in `text`, sorted, each once. */
function longFlags(text: string): string[] {
  return [...new Set(text.match(/--[a-z][a-z0-9-]*/g) ?? [])].sort();
}

/** The paragraph of `section` that starts with `opening`, or "" when there is none. */
function paragraph(section: string, opening: string): string {
  return section.split(/\n\s*\n/).find((p) => p.startsWith(opening)) ?? "";
}

/**
 * The flags the README gives command `name`: its table row, with the flags every command
 * takes and, where the row says `[endpoints]`, the endpoint flags spelt out (--help aside).
 */
function readmeFlagsOf(section: string, name: string): string[] {
  const row = section.split("\n").find((line) => line.startsWith(`| \`genesis ${name} `));
  ok(row !== undefined, `README.md lists no command "genesis ${name}" in its command table`);
  const usage = row.split(" | ")[0];
  const endpoints = usage.includes("[endpoints]") ? paragraph(section, "`[endpoints]`") : "";
  const everyCommand = paragraph(section, "Every command also takes");
  return longFlags(`${usage} ${endpoints} ${everyCommand}`).filter((f) => f !== "--help");
}

/** The commands `genesis --help` lists. */
async function commandNames(): Promise<string[]> {
  const { stdout } = await runGenesis(["--help"]);
  const commands = stdout.slice(stdout.indexOf("\nCommands:\n"));
  return [...commands.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)]
    .map((m) => m[1])
    .filter((n) => n !== "help");
}

/** The long flags `genesis <name> --help` defines (its option lines), without --help. */
async function helpFlagsOf(name: string): Promise<string[]> {
  const { code, stdout } = await runGenesis([name, "--help"]);
  deepStrictEqual(code, 0);
  const options = stdout.slice(stdout.indexOf("\nOptions:\n"));
  const defined = [...options.matchAll(/^ {2}(?:-[a-zA-Z], )?(--[a-z][a-z0-9-]*)/gm)];
  return [...new Set(defined.map((m) => m[1]))].filter((f) => f !== "--help").sort();
}

describe("README.md: the genesis command's flags", () => {
  const section = commandSection(README);

  it("lists every command genesis --help lists, and only those", async () => {
    const readme = [...section.matchAll(/^\| `genesis ([a-z][a-z-]*)\b/gm)].map((m) => m[1]);
    deepStrictEqual(readme.sort(), (await commandNames()).sort());
  });

  it("gives each command exactly the long flags its --help defines", async () => {
    const mismatches: string[] = [];
    for (const name of await commandNames()) {
      const help = await helpFlagsOf(name);
      const readme = readmeFlagsOf(section, name);
      const missing = help.filter((f) => !readme.includes(f));
      const extra = readme.filter((f) => !help.includes(f));
      if (missing.length > 0 || extra.length > 0) {
        mismatches.push(
          `genesis ${name}: missing from README.md ${JSON.stringify(missing)}, not a flag of the command ${JSON.stringify(extra)}`,
        );
      }
    }
    deepStrictEqual(mismatches, []);
  });
});
