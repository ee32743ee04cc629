/**
 * Node 20, as the README promises: every package the lock file installs accepts the Node
 * version running the suite (CI runs Node 20), so `npm ci` prints no EBADENGINE warning.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as semver from "semver";

const ROOT = path.resolve(__dirname, "..", "..");

describe("package-lock.json and the Node version", () => {
  it("every locked package's engines.node accepts this Node, and the project says >=20", () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => p.engines !== undefined && !Array.isArray(p.engines))
      .map(([name, p]) => [name, (p.engines as { node?: string }).node] as const)
      .filter(
        ([, range]) =>
          range !== undefined &&
          !semver.satisfies(process.version, range, { includePrerelease: true }),
      )
      .map(([name, range]) => `${name.replace(/^node_modules\//, "")} needs node ${range}`);
    deepStrictEqual(refusing, []);
    const project = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      engines: { node: string };
    };
    ok(semver.satisfies("20.0.0", project.engines.node), project.engines.node);
    ok(semver.major(process.version) >= 20, process.version);
  });
});
