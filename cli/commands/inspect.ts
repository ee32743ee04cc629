/**
 * `genesis inspect --stack S [--json]`: the seed's security checks on the containers that
 * actually run, read from `docker inspect` on this host (the Docker engine `DOCKER_HOST`
 * names, or the default one): every service container the stack declares must run on the
 * monitoring bridge only, read-only, with all capabilities dropped, no-new-privileges, a
 * non-root user, a memory limit, ports on 127.0.0.1 only, and no secret-named variable
 * holding a value inline. Judged by policy/containerInspect.ts, as the engine tests judge
 * them. Exit 0 every check passes, 1 a check failed or a container is not running, 2 the
 * engine could not be asked (no docker CLI, no engine), 64 usage.
 */
import { spawn } from "node:child_process";
import {
  monitoringContainerSpecs,
  rolloutContainerSpecs,
} from "../../core/monitoring/containerSpecs";
import { MONITORING_NETWORK, PUBLISH_ADDRESS } from "../../core/monitoring/services";
import {
  ContainerInspect,
  judgeStackContainers,
  StackInspectReport,
} from "../../policy/containerInspect";
import { loadStackConfig, UsageError } from "../loadStack";
import type { CommandRegistrar } from "../main";

interface InspectOptions {
  readonly stack: string;
  readonly projectDir?: string;
  readonly json?: boolean;
}

/** What `docker inspect` said: the containers it found, or why it could not answer. */
type DockerAnswer =
  | { readonly kind: "inspected"; readonly containers: ContainerInspect[] }
  | { readonly kind: "unavailable"; readonly reason: string };

/**
 * Runs `docker inspect names...`. It prints the containers it found as a JSON array and
 * exits 1 naming any it did not find; only no JSON at all means the engine did not answer.
 */
function dockerInspect(names: readonly string[]): Promise<DockerAnswer> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    const proc = spawn("docker", ["inspect", "--type", "container", ...names], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    proc.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    proc.once("error", (e: NodeJS.ErrnoException) =>
      resolve({
        kind: "unavailable",
        reason:
          e.code === "ENOENT"
            ? "the docker CLI was not found on PATH: run this on the deployment host, or install Docker's CLI (Debian: apt-get install docker.io)"
            : `docker inspect could not run: ${e.message}`,
      }),
    );
    proc.once("close", () => {
      let containers: unknown;
      try {
        containers = JSON.parse(stdout);
      } catch {
        containers = undefined;
      }
      const firstError = stderr.split("\n").find((l) => l.trim() !== "" && !/No such/.test(l));
      if (!Array.isArray(containers) || (containers.length === 0 && firstError !== undefined)) {
        resolve({
          kind: "unavailable",
          reason: `docker inspect did not answer: ${(firstError ?? stderr.trim()).trim() || "no output"}`,
        });
        return;
      }
      resolve({ kind: "inspected", containers: containers as ContainerInspect[] });
    });
  });
}

/** The report as a table: one line per container and check, then the missing ones. */
function renderReport(title: string, r: StackInspectReport): string {
  const lines = [title];
  for (const c of r.containers) {
    for (const f of c.findings) {
      lines.push(
        `${c.name.padEnd(28)} ${f.check.padEnd(22)} ${f.verdict.toUpperCase().padEnd(4)} ${f.reason}`,
      );
    }
  }
  for (const name of r.missing) {
    lines.push(
      `${name.padEnd(28)} ${"running".padEnd(22)} FAIL the stack declares it; docker inspect found no such container`,
    );
  }
  const failed = r.containers.flatMap((c) => c.findings).filter((f) => f.verdict === "fail");
  lines.push(
    `${r.containers.length} containers inspected, ${failed.length} checks failed, ${r.missing.length} declared containers not running: ${r.pass ? "pass" : "fail"}`,
  );
  return `${lines.join("\n")}\n`;
}

/** Registers `genesis inspect`. */
export const registerInspect: CommandRegistrar = (program, setExitCode) => {
  program
    .command("inspect")
    .description(
      "judge the stack's running containers from docker inspect (the seed's security checks)",
    )
    .requiredOption("--stack <name>", "the stack whose containers to judge (Pulumi.<name>.yaml)")
    .option("--project-dir <dir>", "where Pulumi.yaml lives (default: this project)")
    .option("--json", "print JSON instead of a table")
    .action(async (opts: InspectOptions) => {
      const cfg = loadStackConfig(opts.stack, opts.projectDir, { assumeSecrets: true });
      if (cfg.platform !== "docker") {
        throw new UsageError(
          `genesis inspect judges Docker containers; stack ${opts.stack} runs on genesis:platform ${cfg.platform}`,
        );
      }
      const names = [...monitoringContainerSpecs(cfg), ...rolloutContainerSpecs(cfg)].map(
        (s) => s.containerName,
      );
      const answer = await dockerInspect(names);
      if (answer.kind === "unavailable") {
        process.stderr.write(`genesis inspect: ${answer.reason}\n`);
        setExitCode(2);
        return;
      }
      const report = judgeStackContainers(names, answer.containers, {
        network: MONITORING_NETWORK,
        publishAddress: PUBLISH_ADDRESS,
        secretValues: [],
      });
      process.stdout.write(
        opts.json === true
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderReport(
              `genesis inspect ${opts.stack}: docker inspect of ${names.length} service containers`,
              report,
            ),
      );
      setExitCode(report.pass ? 0 : 1);
    });
};
