/**
 * The layering rules (.dependency-cruiser.cjs, run by `npm run check`) hold for the project
 * and really fail on a violation: a small tree with one import of each forbidden kind is
 * refused, each by its rule.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const DEPCRUISE = path.join(ROOT, "node_modules", ".bin", "depcruise");

function cruise(cwd: string, dirs: string[]) {
  const r = spawnSync(
    DEPCRUISE,
    [...dirs, "--config", path.join(ROOT, ".dependency-cruiser.cjs"), "--output-type", "err"],
    { cwd, encoding: "utf8" },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("layering rules (dependency-cruiser)", function () {
  this.timeout(60_000);

  it("the project keeps them: core pure, io and policy below cli, no cycles", () => {
    const r = cruise(ROOT, [
      "index.ts",
      "core",
      "components",
      "io",
      "cli",
      "policy",
      "program",
      "app",
    ]);
    strictEqual(r.status, 0, r.out);
  });

  it("a deliberate violation of each rule fails the check, naming the rule and the import", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-layers-"));
    try {
      const file = (p: string, text: string) => {
        mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        writeFileSync(path.join(dir, p), text);
      };
      file("tsconfig.json", JSON.stringify({ compilerOptions: { module: "commonjs" } }));
      file(
        "core/reads.ts",
        'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n',
      );
      file("core/uses.ts", 'import { c } from "../components/decl";\nexport const u = c;\n');
      file("components/decl.ts", 'import { x } from "../cli/cmd";\nexport const c = x;\n');
      file("cli/cmd.ts", "export const x = 1;\n");
      file("cli/other.ts", 'import { c } from "../components/decl";\nexport const o = c;\n');
      file("core/a.ts", 'import { b } from "./b";\nexport const a = () => b;\n');
      file("core/b.ts", 'import { a } from "./a";\nexport const b = () => a;\n');
      file("program/capture.ts", "export const p = 1;\n");
      file("components/runs.ts", 'import { p } from "../program/capture";\nexport const q = p;\n');
      const r = cruise(dir, ["core", "components", "cli", "program"]);
      strictEqual(r.status !== 0, true, r.out);
      const rules = [...r.out.matchAll(/error ([a-z-]+): (\S+) →\s+(\S+)/g)].map((m) =>
        [m[1], m[2], m[3]].join(" "),
      );
      deepStrictEqual(
        [
          "cli-never-imports-components cli/other.ts components/decl.ts",
          "components-never-import-cli components/decl.ts cli/cmd.ts",
          "core-is-pure core/reads.ts fs",
          "core-is-pure core/uses.ts components/decl.ts",
          "no-cycles core/a.ts core/b.ts",
          "nothing-imports-cli components/decl.ts cli/cmd.ts",
          "program-capture-stays-out-of-the-layers components/runs.ts program/capture.ts",
        ].filter((want) => !rules.includes(want)),
        [],
        r.out,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
