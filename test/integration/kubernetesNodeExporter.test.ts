/**
 * Node Exporter with the Kubernetes stack's default (restricted, no host mounts) arguments,
 * run as Debian's Node Exporter on a random loopback port: the arguments are accepted and
 * the node-wide collectors for CPU, memory and load (read from its own /proc) answer.
 * Inside a pod the same files show the node's values, since Linux does not namespace them;
 * that part is not observable on this machine.
 */
import { ok } from "node:assert/strict";
import { spawn } from "node:child_process";
import { nodeExporterArgs } from "../../core/kubernetes/manifests";
import { monitoringContainerSpecs } from "../../core/monitoring/containerSpecs";
import { stagingKubernetes } from "../core/kubernetes/fixtures";
import { freePort, track, waitFor200 } from "../support/processes";

describe("Node Exporter with the restricted Kubernetes arguments (integration)", () => {
  it("starts and serves CPU, memory and load from its own /proc", async () => {
    const spec = monitoringContainerSpecs(stagingKubernetes()).find(
      (s) => s.service.name === "nodeExporter",
    )!;
    const port = await freePort();
    const args = nodeExporterArgs(spec, false).map((a) =>
      a.startsWith("--web.listen-address=") ? `--web.listen-address=127.0.0.1:${port}` : a,
    );
    const proc = spawn("/usr/bin/prometheus-node-exporter", [...args, "--log.level=warn"], {
      stdio: "ignore",
    });
    track(proc);
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    try {
      await waitFor200(`http://127.0.0.1:${port}/metrics`, 20_000, proc);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      for (const metric of [
        "node_cpu_seconds_total{",
        "node_memory_MemTotal_bytes ",
        "node_load1 ",
      ]) {
        ok(text.includes(metric), `missing ${metric}`);
      }
    } finally {
      proc.kill("SIGTERM");
      await exited;
    }
  });
});
