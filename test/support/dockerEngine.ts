/**
 * A private Docker engine for the engine tests: Debian's `dockerd` on its own socket, data
 * root and exec root under a temp dir (never the machine's default socket), with
 * `--iptables=false --ip6tables=false` (nothing in a container reaches beyond this machine)
 * and the `vfs` storage driver, in a mount namespace of its own. Stopped with its containers and data removed by `stop()`, and
 * by a process exit hook when the suite ends without it (a crash, a closed pipe): no
 * container or daemon outlives the test process.
 *
 * Where the engine cannot start, {@link startDockerEngine} throws the reason: the engine
 * tests fail, they never skip.
 */
import { ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { track } from "./processes";

/** The Engine API version used: Engine 20.10 (Debian bookworm's docker.io) serves 1.41. */
export const ENGINE_API_VERSION = "v1.41";

/** An Engine API answer. */
export interface EngineAnswer {
  /** HTTP status. */
  readonly status: number;
  /** The body, parsed when it is JSON, else text. */
  readonly body: unknown;
}

/** A running private engine. */
export interface DockerEngine {
  /** Its temp dir (socket, data root, exec root, log). */
  readonly dir: string;
  /** `unix://<dir>/docker.sock`, for `DOCKER_HOST` or `docker --host`. */
  readonly host: string;
  /** Calls the Engine API; `raw` sends a binary body (a tar) instead of JSON. */
  request(
    method: string,
    apiPath: string,
    body?: unknown,
    raw?: { readonly data: Buffer; readonly contentType: string },
  ): Promise<EngineAnswer>;
  /** Like {@link request}, but throws with the engine's message on a status >= 400. */
  call<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T>;
  /** Runs the docker CLI against this engine only. */
  docker(
    args: readonly string[],
    env?: Readonly<Record<string, string>>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Removes every container, stops the daemon and deletes its dir (idempotent). */
  stop(): Promise<void>;
}

/** How long the daemon may take to answer /_ping after it is spawned. */
const START_TIMEOUT_MS = 30_000;

/** Why the engine cannot start on this machine, or undefined when it can try. */
function cannotStart(): string | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    return "dockerd needs root: run the suite as root (as CI does), or on a machine where you can be";
  }
  if (spawnSync("sh", ["-c", "command -v dockerd"], { stdio: "ignore" }).status !== 0) {
    return "dockerd is not installed: run `node scripts/ensureTools.js` as root (it installs Debian's docker.io)";
  }
  if (spawnSync("sh", ["-c", "command -v docker"], { stdio: "ignore" }).status !== 0) {
    return "the docker CLI is not installed: run `node scripts/ensureTools.js` as root (Debian's docker.io)";
  }
  return undefined;
}

function engineRequest(
  socketPath: string,
  method: string,
  apiPath: string,
  body?: unknown,
  raw?: { readonly data: Buffer; readonly contentType: string },
  timeoutMs = 120_000,
): Promise<EngineAnswer> {
  const data = raw?.data ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath,
        method,
        path: `/${ENGINE_API_VERSION}${apiPath}`,
        headers: {
          ...(data !== undefined
            ? {
                "content-type": raw?.contentType ?? "application/json",
                "content-length": data.length,
              }
            : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          if ((res.headers["content-type"] ?? "").includes("json") && text !== "") {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`${method} ${apiPath}: no answer in ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** The engine's own message of a failed call. */
function engineMessage(answer: EngineAnswer): string {
  const b = answer.body as { message?: string } | string;
  return typeof b === "string" ? b.trim() : (b.message ?? JSON.stringify(b));
}

/**
 * Removes every container of the engine at `dir` and stops its daemon, synchronously (for
 * the process exit hook, where nothing asynchronous runs), then deletes the dir.
 */
function stopSync(dir: string, daemon: ChildProcess): void {
  const host = `unix://${dir}/docker.sock`;
  spawnSync(
    "sh",
    [
      "-c",
      'ids=$(docker --host "$1" ps -aq); [ -z "$ids" ] || docker --host "$1" rm -f $ids',
      "sh",
      host,
    ],
    { stdio: "ignore", timeout: 30_000 },
  );
  if (daemon.exitCode === null && daemon.signalCode === null && daemon.pid !== undefined) {
    const pid = daemon.pid;
    spawnSync(
      "sh",
      [
        "-c",
        'kill -TERM "$1"; i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL "$1" 2>/dev/null; true',
        "sh",
        String(pid),
      ],
      { stdio: "ignore", timeout: 20_000 },
    );
  }
  killContainerd(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Kills the containerd the daemon started, if it outlived the daemon (a SIGKILL). */
function killContainerd(dir: string): void {
  const pidFile = path.join(dir, "exec", "containerd", "containerd.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** The networks every engine has; the engine refuses to remove them. */
const PREDEFINED_NETWORKS: readonly string[] = ["bridge", "host", "none"];

/**
 * Starts a private dockerd and resolves once it answers, or throws why it cannot: not
 * root, not installed, or the daemon's own last log lines.
 */
export async function startDockerEngine(): Promise<DockerEngine> {
  const reason = cannotStart();
  if (reason !== undefined) throw new Error(`The Docker engine cannot start here: ${reason}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-dockerd-"));
  const socketPath = path.join(dir, "docker.sock");
  const host = `unix://${socketPath}`;
  // In a mount namespace of its own whose mounts propagate as shared: a bind mount with
  // `rslave` propagation (Node Exporter's /proc, /sys, /) needs a shared or slave source, as
  // on a systemd host, while this machine's mounts may be private. The machine's own mount
  // table is not changed; the namespace ends with the daemon.
  const daemon = spawn(
    "unshare",
    [
      "--mount",
      "--propagation",
      "shared",
      "dockerd",
      "--host",
      host,
      "--data-root",
      path.join(dir, "root"),
      "--exec-root",
      path.join(dir, "exec"),
      "--pidfile",
      path.join(dir, "dockerd.pid"),
      "--storage-driver",
      "vfs",
      "--iptables=false",
      "--ip6tables=false",
      "--log-level",
      "warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  daemon.stderr?.on("data", (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  // The exit hook runs before track()'s SIGKILL (prepended), so containers are removed and
  // the daemon stopped while it can still answer.
  let stopped = false;
  const exitHook = () => {
    if (!stopped) {
      stopped = true;
      stopSync(dir, daemon);
    }
  };
  process.prependListener("exit", exitHook);
  track(daemon);

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", exitHook);
    try {
      const list = await engineRequest(socketPath, "GET", "/containers/json?all=true");
      for (const c of (Array.isArray(list.body) ? list.body : []) as { Id: string }[]) {
        await engineRequest(socketPath, "DELETE", `/containers/${c.Id}?force=true&v=false`);
      }
      // A network's Linux bridge (br-<id>) outlives the daemon unless the network is removed
      // through it: left behind, each run's bridge holds one of the default address pools
      // until no network can be created on the machine.
      const networks = await engineRequest(socketPath, "GET", "/networks");
      for (const n of (Array.isArray(networks.body) ? networks.body : []) as {
        Id: string;
        Name: string;
      }[]) {
        if (PREDEFINED_NETWORKS.includes(n.Name)) continue;
        await engineRequest(socketPath, "DELETE", `/networks/${n.Id}`);
      }
    } catch {
      // the daemon is gone already; the dir is removed below
    }
    if (daemon.exitCode === null && daemon.signalCode === null) {
      const exited = new Promise<void>((r) => daemon.once("exit", () => r()));
      daemon.kill("SIGTERM");
      const timer = setTimeout(() => daemon.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    killContainerd(dir);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = "";
  for (;;) {
    if (daemon.exitCode !== null || daemon.signalCode !== null) {
      await stop();
      throw new Error(
        `The Docker engine cannot start here: dockerd exited with ${daemon.exitCode ?? daemon.signalCode}:\n${log}`,
      );
    }
    try {
      const ping = await engineRequest(socketPath, "GET", "/_ping", undefined, undefined, 1000);
      if (ping.status === 200) break;
      last = `HTTP ${ping.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `The Docker engine cannot start here: no answer on ${host} within ${START_TIMEOUT_MS} ms (${last}):\n${log}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    dir,
    host,
    request: (method, apiPath, body, raw) => engineRequest(socketPath, method, apiPath, body, raw),
    async call<T>(method: string, apiPath: string, body?: unknown): Promise<T> {
      const answer = await engineRequest(socketPath, method, apiPath, body);
      if (answer.status >= 400) {
        throw new Error(`${method} ${apiPath}: HTTP ${answer.status}: ${engineMessage(answer)}`);
      }
      return answer.body as T;
    },
    docker(args, env = {}) {
      return new Promise((resolve) => {
        execFile(
          "docker",
          ["--host", host, ...args],
          { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
          (err, stdout, stderr) => {
            const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
            resolve({ code, stdout, stderr });
          },
        );
      });
    },
    stop,
  };
}

/** The engine's message of a failed answer, for errors of callers. */
export { engineMessage };
