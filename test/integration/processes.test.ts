/**
 * The test support's own promise: a tool it started never outlives the process that started
 * it, even when that process crashes before its `after` hooks run.
 */
import { strictEqual } from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";

const SUPPORT = path.resolve(__dirname, "..", "support", "processes");

describe("test support: started tools (integration)", () => {
  it("a crash before stop() still takes Node Exporter down with it", async function () {
    this.timeout(60_000);
    const script = `
      const { startNodeExporter } = require(${JSON.stringify(SUPPORT)});
      startNodeExporter().then((s) => {
        process.stdout.write(String(s.port) + "\\n");
        throw new Error("crash before stop");
      });
    `;
    const run = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "-e", script],
      { encoding: "utf8", timeout: 50_000 },
    );
    strictEqual(run.status, 1, run.stderr);
    const port = Number(run.stdout.trim());
    strictEqual(Number.isInteger(port) && port > 0, true, `a port: ${run.stdout}`);
    // A bare TCP connect: an HTTP request would make the orphan log, and its broken stderr
    // pipe would end it then, hiding the leak.
    const refused = async (): Promise<boolean> =>
      new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(false);
        });
        socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED"));
      });
    let gone = false;
    for (let i = 0; i < 20 && !gone; i++) {
      gone = await refused();
      if (!gone) await new Promise((r) => setTimeout(r, 100));
    }
    strictEqual(gone, true, `Node Exporter still listens on ${port}`);
  });

  it("a SIGTERM (a CI timeout) before stop() still takes Node Exporter down with it", async function () {
    this.timeout(60_000);
    const script = `
      const { startNodeExporter } = require(${JSON.stringify(SUPPORT)});
      startNodeExporter().then((s) => {
        process.stdout.write(String(s.port) + "\\n");
        setInterval(() => undefined, 1000);
      });
    `;
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<number>((resolve) =>
      child.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    strictEqual(await listening(port), true, "Node Exporter runs before the signal");
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    strictEqual(await exited, 143);
    strictEqual(await goneWithin(port), true, `Node Exporter still listens on ${port}`);
  });
});

/** Whether something accepts a TCP connection on 127.0.0.1:`port` (a bare connect). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Whether `port` stops accepting connections within two seconds. */
async function goneWithin(port: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    if (!(await listening(port))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
