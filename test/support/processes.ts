/**
 * Starting and stopping the real tools the integration tests run: Prometheus, Alertmanager
 * and Node Exporter from Debian's packages, each on a random free loopback port, plus a
 * stand-in for Grafana's /api/health (Grafana is not installable here). Everything started
 * is stopped by its own handle; nothing uses a fixed port.
 */
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200, or throws after `timeoutMs`. */
export async function waitFor200(
  url: string,
  timeoutMs: number,
  proc?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (proc !== undefined && proc.exitCode !== null) {
      throw new Error(`${url}: the process exited with ${proc.exitCode} before it was ready`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms: ${last}`);
}

/** A started service. */
export interface Service {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its port. */
  readonly port: number;
  /** Stops it (idempotent). */
  stop(): Promise<void>;
}

/** Children still running, killed if this process ends before stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Makes sure a child never outlives this process (for every tool or host a test starts): a
 * crash, a closed output pipe (as with `| head`), or a SIGTERM or SIGINT (a CI timeout,
 * Ctrl-C) ends Node without the tests' `after` hooks, and the child would stay behind. A
 * signal is turned into an ordinary exit (128 + its number), so every exit hook runs: this
 * one, and the private Docker engine's, which removes its containers and data first.
 */
export function track(proc: ChildProcess): void {
  running.add(proc);
  proc.once("exit", () => running.delete(proc));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const child of running) child.kill("SIGKILL");
    });
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      // A program that handles the signal itself (the demo stops its tools and says so)
      // keeps that job; otherwise the signal ends the process through its exit hooks.
      process.once(signal, () => {
        if (process.listenerCount(signal) === 0) process.exit(code);
      });
    }
  }
}

/**
 * Starts `bin` on a free loopback port with `args` (given the port and a temp dir that
 * `files` fills first), waits for `readyPath` to answer 200 within `readyTimeoutMs`, and
 * returns a handle whose stop() ends it and removes the dir.
 */
export async function startBinary(
  name: string,
  bin: string,
  args: (port: number, dir: string) => string[],
  readyPath: string,
  files: (dir: string) => void = () => undefined,
  readyTimeoutMs = 20_000,
): Promise<Service> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), `genesis-${name}-`));
  files(dir);
  const proc = spawn(bin, args(port, dir), { stdio: ["ignore", "ignore", "pipe"] });
  track(proc);
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor200(`${url}${readyPath}`, readyTimeoutMs, proc);
  } catch (e) {
    await stop();
    throw new Error(`${name} did not start: ${(e as Error).message}\n${stderr}`);
  }
  return { url, port, stop };
}

/** What else {@link startPrometheus} may load. */
export interface PrometheusExtras {
  /** Rule files by file name, loaded from Prometheus's own directory. */
  readonly ruleFiles?: Readonly<Record<string, string>>;
  /** host:port of an Alertmanager to send alerts to. */
  readonly alertmanager?: string;
  /** External labels, as the stack's prometheus.yml sets them. */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /**
   * More scrape jobs beside `genesis-app`, each with its own metrics path: jobs that share
   * a target (and so its `instance` label) with the application or with each other.
   */
  readonly extraJobs?: readonly {
    readonly job: string;
    readonly metricsPath: string;
    readonly targets: readonly string[];
  }[];
}

/** Starts Prometheus scraping `targets` (host:port) every `scrapeIntervalSeconds`. */
export function startPrometheus(
  targets: readonly string[],
  scrapeIntervalSeconds = 1,
  extras: PrometheusExtras = {},
): Promise<Service> {
  const ruleFiles = Object.keys(extras.ruleFiles ?? {});
  const labels = Object.entries(extras.externalLabels ?? {});
  const config = [
    "global:",
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    `  evaluation_interval: ${scrapeIntervalSeconds}s`,
    ...(labels.length > 0
      ? ["  external_labels:", ...labels.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)]
      : []),
    ...(extras.alertmanager !== undefined
      ? [
          "alerting:",
          "  alertmanagers:",
          `    - static_configs: [{ targets: [${JSON.stringify(extras.alertmanager)}] }]`,
        ]
      : []),
    ...(ruleFiles.length > 0
      ? ["rule_files:", ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)]
      : []),
    "scrape_configs:",
    "  - job_name: genesis-app",
    `    scrape_timeout: ${scrapeIntervalSeconds}s`,
    "    static_configs:",
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(", ")}]`,
    ...(extras.extraJobs ?? []).flatMap((j) => [
      `  - job_name: ${JSON.stringify(j.job)}`,
      `    metrics_path: ${JSON.stringify(j.metricsPath)}`,
      `    scrape_timeout: ${scrapeIntervalSeconds}s`,
      "    static_configs:",
      `      - targets: [${j.targets.map((t) => JSON.stringify(t)).join(", ")}]`,
    ]),
    "",
  ].join("\n");
  return startBinary(
    "prometheus",
    "/usr/bin/prometheus",
    (port, dir) => [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    "/-/ready",
    (dir) => {
      writeFileSync(path.join(dir, "prometheus.yml"), config);
      for (const [name, text] of Object.entries(extras.ruleFiles ?? {})) {
        writeFileSync(path.join(dir, name), text);
      }
    },
  );
}

/** The configuration {@link startAlertmanager} uses unless given one: a null receiver. */
const NULL_ALERTMANAGER_CONFIG = "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n";

/** Starts Alertmanager with `configYaml` (a null receiver by default), clustering off. */
export function startAlertmanager(configYaml: string = NULL_ALERTMANAGER_CONFIG): Promise<Service> {
  return startBinary(
    "alertmanager",
    "/usr/bin/prometheus-alertmanager",
    (port, dir) => [
      `--config.file=${path.join(dir, "alertmanager.yml")}`,
      `--storage.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=warn",
    ],
    "/-/ready",
    (dir) => writeFileSync(path.join(dir, "alertmanager.yml"), configYaml),
  );
}

/** Starts Node Exporter. */
export function startNodeExporter(): Promise<Service> {
  return startBinary(
    "node-exporter",
    "/usr/bin/prometheus-node-exporter",
    (port) => [`--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    "/metrics",
  );
}

/**
 * A loopback stand-in for Grafana's /api/health (Grafana has no Debian package): answers
 * exactly as Grafana does, 200 `{"database":"ok",...}` or 503 `{"database":"failing",...}`.
 */
export async function startGrafanaStandIn(): Promise<
  Service & { setDatabaseOk(ok: boolean): void }
> {
  let databaseOk = true;
  const server = http.createServer((req, res) => {
    if (req.url !== "/api/health") {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.statusCode = databaseOk ? 200 : 503;
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        database: databaseOk ? "ok" : "failing",
        version: "11.3.0",
        commit: "stand-in",
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setDatabaseOk(ok: boolean) {
      databaseOk = ok;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Sends steady traffic (`perSecond` requests, distinct users) to `baseUrl` until stopped. */
export function startLoad(baseUrl: string, perSecond: number): { stop(): Promise<void> } {
  let running = true;
  let n = 0;
  const inflight = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    if (!running) return;
    for (let i = 0; i < perSecond / 10; i++) {
      const p = fetch(`${baseUrl}/work?user=user-${n++}`, { signal: AbortSignal.timeout(5000) })
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  }, 100);
  return {
    async stop() {
      running = false;
      clearInterval(timer);
      await Promise.all([...inflight]);
    },
  };
}
