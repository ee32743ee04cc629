/** Runs the `genesis` command in-process, as the tests drive it. */
import { main } from "../../cli/main";

/** What one run printed and its exit code. */
export interface GenesisRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `genesis ...args` in this process and captures stdout and stderr. */
export async function runGenesis(args: readonly string[]): Promise<GenesisRun> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stdout = "";
  let stderr = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(["node", "genesis", ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
