/**
 * Running Prometheus's and Alertmanager's own checkers (Debian's promtool 2.42 and amtool
 * 0.25) on files written to a fresh temporary directory, which is removed afterwards.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** promtool from Debian's prometheus package. */
export const PROMTOOL = "/usr/bin/promtool";
/** amtool from Debian's prometheus-alertmanager package. */
export const AMTOOL = "/usr/bin/amtool";

/** What a tool printed and how it exited. */
export interface ToolRun {
  /** Exit status. */
  readonly status: number | null;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Runs `bin` with `args` in `cwd`. */
export function runTool(bin: string, args: readonly string[], cwd?: string): ToolRun {
  const r = spawnSync(bin, [...args], { encoding: "utf8", cwd, timeout: 60_000 });
  if (r.error !== undefined) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `fn` with a fresh temporary directory holding `files` (relative path -> text). */
export function withFiles<T>(files: Readonly<Record<string, string>>, fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-render-"));
  try {
    for (const [rel, text] of Object.entries(files)) {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
