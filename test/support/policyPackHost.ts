/**
 * Runs the policy pack the way the Pulumi CLI does (`@pulumi/pulumi/cmd/run-policy-pack`
 * from the pack's directory, which type-checks and loads policy/index.ts and serves the
 * Analyzer gRPC service) and calls it as the engine does: GetAnalyzerInfo, Configure,
 * Analyze per resource, AnalyzeStack. The engine address is used for logging only.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import type { PolicyPackConfig } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { DeclaredResource } from "../../policy/evaluate";
import { track } from "./processes";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

/** One diagnostic as the engine receives it. */
export interface Diagnostic {
  readonly policyName: string;
  readonly message: string;
  readonly enforcementLevel: (typeof LEVELS)[number];
  readonly urn: string;
}

type Client = grpc.Client & Record<string, (...a: unknown[]) => void>;

function resourceOptions(r: DeclaredResource): unknown {
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(r.options.protect);
  opts.setDeletebeforereplace(r.options.deleteBeforeReplace);
  opts.setDeletebeforereplacedefined(true);
  opts.setAdditionalsecretoutputsList([...r.options.additionalSecretOutputs]);
  opts.setParent(r.parent);
  return opts;
}

function diagnostics(resp: {
  getDiagnosticsList(): {
    getPolicyname(): string;
    getMessage(): string;
    getEnforcementlevel(): number;
    getUrn(): string;
  }[];
}): Diagnostic[] {
  return resp.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    message: d.getMessage(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()],
    urn: d.getUrn(),
  }));
}

/** A running policy pack and a client for it. */
export class PolicyPackHost {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly client: Client,
  ) {}

  /** Starts the pack from policy/ and connects to the port it prints. */
  static async start(timeoutMs: number): Promise<PolicyPackHost> {
    const proc = spawn(
      process.execPath,
      [
        path.join(PROJECT_DIR, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"),
        "127.0.0.1:1",
        ".",
      ],
      { cwd: path.join(PROJECT_DIR, "policy"), stdio: ["ignore", "pipe", "pipe"] },
    );
    track(proc);
    let output = "";
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no port from the pack: ${output}`)),
        timeoutMs,
      );
      proc.stdout!.on("data", (d: Buffer) => {
        output += d.toString();
        const m = /^(\d+)\n/.exec(output);
        if (m !== null) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      proc.stderr!.on("data", (d: Buffer) => {
        output += d.toString();
      });
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the pack exited with ${code}: ${output}`));
      });
    });
    const client = new analyzerGrpc.AnalyzerClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    ) as Client;
    return new PolicyPackHost(proc, client);
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method](req, (err: grpc.ServiceError | null, resp: T) =>
        err ? reject(err) : resolve(resp),
      );
    });
  }

  /** GetAnalyzerInfo: the pack's name and its policies' names and levels. */
  async info(): Promise<{ name: string; policies: { name: string; level: string }[] }> {
    const resp = await this.call<{
      getName(): string;
      getPoliciesList(): { getName(): string; getEnforcementlevel(): number }[];
    }>("getAnalyzerInfo", new emptyPb.Empty());
    return {
      name: resp.getName(),
      policies: resp
        .getPoliciesList()
        .map((p) => ({ name: p.getName(), level: LEVELS[p.getEnforcementlevel()] })),
    };
  }

  /** Configure: the levels and settings of a `--policy-pack-config` file. */
  async configure(config: PolicyPackConfig): Promise<void> {
    const req = new analyzerPb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(config)) {
      const { enforcementLevel, ...properties } =
        typeof entry === "string" ? { enforcementLevel: entry } : entry;
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(LEVELS.indexOf(enforcementLevel ?? "mandatory"));
      pc.setProperties(Struct.fromJavaScript(properties as never));
      map.set(name, pc);
    }
    await this.call("configure", req);
  }

  /** Analyze: the diagnostics of one resource. */
  async analyze(r: DeclaredResource): Promise<Diagnostic[]> {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn);
    req.setProperties(Struct.fromJavaScript(r.inputs as never));
    req.setOptions(resourceOptions(r));
    return diagnostics(await this.call("analyze", req));
  }

  /** AnalyzeStack: the diagnostics of the stack policies over all resources. */
  async analyzeStack(resources: readonly DeclaredResource[]): Promise<Diagnostic[]> {
    const req = new analyzerPb.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((r) => {
        const ar = new analyzerPb.AnalyzerResource();
        ar.setType(r.type);
        ar.setName(r.name);
        ar.setUrn(r.urn);
        ar.setProperties(Struct.fromJavaScript(r.inputs as never));
        ar.setOptions(resourceOptions(r));
        ar.setParent(r.parent);
        ar.setDependenciesList([...r.options.dependsOn]);
        return ar;
      }),
    );
    return diagnostics(await this.call("analyzeStack", req));
  }

  /** Closes the client and stops the pack. */
  async stop(): Promise<void> {
    this.client.close();
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise<void>((r) => this.proc.once("exit", () => r()));
      this.proc.kill("SIGTERM");
      await exited;
    }
  }
}
