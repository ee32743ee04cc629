/**
 * History for a real Prometheus: series written as OpenMetrics and turned into real TSDB
 * blocks by Debian's `promtool tsdb create-blocks-from openmetrics`, then a Prometheus
 * started on that data directory (random free loopback port, retention far beyond the data).
 *
 * promtool 2.42 reads its input once per two-hour block range it covers, so a week in one
 * file is read 84 times; one file per two-hour range is read once. The files are written and
 * converted two at a time and deleted as they go.
 */
import { spawn } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Service, startBinary, track } from "./processes";

/** One series of the history. */
export interface HistorySeries {
  /** The metric name. */
  readonly name: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Its value at `tSeconds`, or undefined for no sample (a scrape gap). */
  value(tSeconds: number): number | undefined;
}

/** promtool's block range: two hours, aligned to the epoch. */
const BLOCK_SECONDS = 7200;

function labelText(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    track(child);
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${stderr}`)),
    );
  });
}

/**
 * Writes `series` sampled every `stepSeconds` from `startSeconds` to `endSeconds` (both
 * whole seconds, included) into TSDB blocks under `dataDir`.
 */
export async function writeTsdbBlocks(
  series: readonly HistorySeries[],
  startSeconds: number,
  endSeconds: number,
  stepSeconds: number,
  dataDir: string,
): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), "genesis-history-"));
  const heads = series.map((s) => `${s.name}${labelText(s.labels)} `);
  const ranges: [number, number][] = [];
  for (
    let b = Math.floor(startSeconds / BLOCK_SECONDS) * BLOCK_SECONDS;
    b <= endSeconds;
    b += BLOCK_SECONDS
  ) {
    ranges.push([Math.max(b, startSeconds), Math.min(b + BLOCK_SECONDS - 1, endSeconds)]);
  }
  const writeRange = (k: number): string | undefined => {
    const [from, to] = ranges[k];
    const first = startSeconds + Math.ceil((from - startSeconds) / stepSeconds) * stepSeconds;
    const file = path.join(work, `block-${k}.om`);
    const fd = openSync(file, "w");
    let any = false;
    try {
      for (let i = 0; i < series.length; i++) {
        const lines: string[] = [];
        for (let t = first; t <= to; t += stepSeconds) {
          const v = series[i].value(t);
          if (v !== undefined) lines.push(`${heads[i]}${v} ${t}`);
        }
        if (lines.length > 0) {
          writeSync(fd, `${lines.join("\n")}\n`);
          any = true;
        }
      }
      writeSync(fd, "# EOF\n");
    } finally {
      closeSync(fd);
    }
    if (!any) {
      rmSync(file);
      return undefined;
    }
    return file;
  };
  let next = 0;
  const worker = async () => {
    while (next < ranges.length) {
      const file = writeRange(next++);
      if (file === undefined) continue;
      await run("promtool", ["tsdb", "create-blocks-from", "openmetrics", "-q", file, dataDir]);
      rmSync(file);
    }
  };
  try {
    await Promise.all([worker(), worker()]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One gauge or counter of Prometheus's own /metrics, or NaN. */
export async function ownMetric(url: string, name: string): Promise<number> {
  const text = await (
    await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })
  ).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

/**
 * Waits until Prometheus has compacted the blocks it was started on (it merges two-hour
 * blocks into longer ones in the minute after it starts, as it would have over the week):
 * until a whole compaction cycle (a minute) passes with no compaction and the same blocks.
 */
export async function waitForCompaction(prometheus: Service): Promise<void> {
  const state = async () =>
    `${await ownMetric(prometheus.url, "prometheus_tsdb_compactions_total")}/${await ownMetric(prometheus.url, "prometheus_tsdb_blocks_loaded")}`;
  let before = await state();
  for (;;) {
    await new Promise((r) => setTimeout(r, 65_000));
    const now = await state();
    if (now === before) return;
    before = now;
  }
}

/**
 * Starts Prometheus on `dataDir` (scraping nothing), keeping every sample in it, with
 * `extraArgs` after its own flags.
 */
export function startPrometheusOnData(
  dataDir: string,
  extraArgs: readonly string[] = [],
): Promise<Service> {
  return startBinary(
    "replay-prometheus",
    "/usr/bin/prometheus",
    (port, dir) => [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${dataDir}`,
      "--storage.tsdb.retention.time=3650d",
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
      ...extraArgs,
    ],
    "/-/ready",
    (dir) => writeFileSync(path.join(dir, "prometheus.yml"), "global:\n  scrape_interval: 60s\n"),
    60_000,
  );
}
