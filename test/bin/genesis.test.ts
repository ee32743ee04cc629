/**
 * bin/genesis.js: the compiled CLI (bin/dist/, `npm run build`) behaves as the TypeScript
 * one the other tests run in-process, and a build older than its sources never runs.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { runGenesis } from "../support/genesisCli";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "genesis.js");

/** Runs `node args` and returns its exit code and output. */
async function node(
  args: readonly string[],
  cwd: string = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Every file under `dir` with its content, keyed by its path relative to `dir`. */
function treeOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) files[name] = readFileSync(file, "utf8");
  }
  return files;
}

/**
 * A script that runs bin/genesis.js with `args` and then prints which of ts-node and
 * @pulumi/pulumi the process loaded, as JSON on stderr's last line.
 */
function probeScript(args: readonly string[]): string {
  return [
    `process.argv = ${JSON.stringify([process.execPath, BIN, ...args])};`,
    "const exit = process.exit;",
    "process.exit = (code) => {",
    "  const loaded = Object.keys(require.cache);",
    "  const has = (p) => loaded.some((f) => f.includes(`/node_modules/${p}/`));",
    "  process.stderr.write(JSON.stringify({ tsNode: has('ts-node'), pulumi: has('@pulumi/pulumi') }) + '\\n');",
    "  exit(code);",
    "};",
    `require(${JSON.stringify(BIN)});`,
  ].join("\n");
}

describe("bin/genesis.js", function () {
  this.timeout(180000);

  describe("the compiled CLI", () => {
    before(async () => {
      // A compiled file whose source is gone (a moved module) would keep the build from
      // ever counting as current: the build starts from an empty bin/dist.
      const orphan = path.join(ROOT, "bin", "dist", "components", "moved-away.js");
      mkdirSync(path.dirname(orphan), { recursive: true });
      writeFileSync(orphan, "");
      // What `npm run build` (and `npm ci`, through `prepare`) runs.
      const build = await node([path.join(ROOT, "scripts", "build.js")]);
      strictEqual(build.code, 0, build.stdout + build.stderr);
      strictEqual(existsSync(orphan), false, "the build left a compiled orphan behind");
    });

    it("prints the same --help, without loading ts-node or Pulumi", async () => {
      const compiled = await node(["-e", probeScript(["--help"])]);
      const inProcess = await runGenesis(["--help"]);
      strictEqual(compiled.code, 0);
      strictEqual(compiled.stdout, inProcess.stdout);
      const loaded = JSON.parse(compiled.stderr.trim().split("\n").pop() ?? "{}");
      deepStrictEqual(loaded, { tsNode: false, pulumi: false });
    });

    it("renders a stack's files exactly as the TypeScript CLI does", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "genesis-bin-"));
      try {
        const compiledOut = path.join(dir, "compiled");
        const inProcessOut = path.join(dir, "in-process");
        const args = ["render", "--stack", "staging", "--assume-secrets", "--out"];
        const compiled = await node(["-e", probeScript([...args, compiledOut])]);
        const inProcess = await runGenesis([...args, inProcessOut]);
        strictEqual(compiled.code, 0, compiled.stderr);
        strictEqual(inProcess.code, 0, inProcess.stderr);
        strictEqual(
          compiled.stdout.replaceAll(compiledOut, "OUT"),
          inProcess.stdout.replaceAll(inProcessOut, "OUT"),
        );
        deepStrictEqual(treeOf(compiledOut), treeOf(inProcessOut));
        const loaded = JSON.parse(compiled.stderr.trim().split("\n").pop() ?? "{}");
        deepStrictEqual(loaded, { tsNode: false, pulumi: false });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("exits 64 with the same message on a usage mistake", async () => {
      const compiled = await node([BIN, "render", "--stack", "no such", "--out", "x"]);
      const inProcess = await runGenesis(["render", "--stack", "no such", "--out", "x"]);
      deepStrictEqual(
        { code: compiled.code, stderr: compiled.stderr },
        { code: 64, stderr: inProcess.stderr },
      );
    });
  });

  describe("which CLI it runs", () => {
    // A project of its own: bin/genesis.js, a "compiled" and a "source" cli/main that each
    // print which one ran, and the real node_modules (for ts-node).
    let project: string;
    const compiledMain =
      "exports.main = async () => { process.stdout.write('compiled'); return 0; };";
    const sourceMain =
      "export async function main(): Promise<number> {\n  process.stdout.write('source');\n  return 0;\n}\n";
    const past = new Date(Date.now() - 60_000);

    /** Writes `file` (relative to the project) with `text` and gives it mtime `when`. */
    function write(file: string, text: string, when: Date): void {
      const full = path.join(project, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
      utimesSync(full, when, when);
    }

    beforeEach(() => {
      project = mkdtempSync(path.join(tmpdir(), "genesis-bin-"));
      cpSync(BIN, path.join(project, "bin", "genesis.js"));
      symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"), "dir");
      const tsconfig = JSON.stringify({ compilerOptions: { module: "commonjs", strict: true } });
      write("tsconfig.json", tsconfig, past);
      write("tsconfig.build.json", tsconfig, past);
      write("cli/main.ts", sourceMain, past);
      write("cli/loadStack.ts", "export const PROJECT_DIR = '';\n", past);
      const now = new Date();
      write("bin/dist/cli/main.js", compiledMain, now);
      write("bin/dist/cli/loadStack.js", "exports.PROJECT_DIR = '';", now);
    });

    afterEach(() => rmSync(project, { recursive: true, force: true }));

    const ranCli = async (): Promise<string> => {
      const ran = await node([path.join(project, "bin", "genesis.js")], project);
      strictEqual(ran.code, 0, ran.stderr);
      return ran.stdout;
    };

    it("runs the build when every compiled file is newer than its source", async () => {
      strictEqual(await ranCli(), "compiled");
    });

    it("runs the sources through ts-node when a source changed after the build", async () => {
      write("cli/loadStack.ts", "export const PROJECT_DIR = '.';\n", new Date(Date.now() + 60_000));
      strictEqual(await ranCli(), "source");
    });

    it("runs the sources when a compiled file's source is gone", async () => {
      rmSync(path.join(project, "cli", "loadStack.ts"));
      strictEqual(await ranCli(), "source");
    });

    it("runs the sources when a tsconfig changed after the build", async () => {
      write("tsconfig.build.json", "{}", new Date(Date.now() + 60_000));
      strictEqual(await ranCli(), "source");
    });

    it("runs the sources when there is no build", async () => {
      rmSync(path.join(project, "bin", "dist"), { recursive: true });
      strictEqual(await ranCli(), "source");
    });
  });
});
