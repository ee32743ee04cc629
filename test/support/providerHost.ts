/**
 * Runs Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) as a child
 * process and calls its ResourceProvider gRPC service the way the engine does. The host
 * needs an engine address argument only for logging; it falls back to its stdout without
 * one, so no engine is served here.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { track } from "./processes";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerPb = require("@pulumi/pulumi/proto/provider_pb");

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const URN = "urn:pulumi:test::genesis::pulumi-nodejs:dynamic/gates:RolloutGate::gate";
const TYPE = "pulumi-nodejs:dynamic/gates:RolloutGate";

type Props = Record<string, unknown>;

/** How long one call may take before it is reported as unanswered. */
const CALL_DEADLINE_MS = 30_000;

/** A check's answer: the inputs and the failures. */
export interface CheckAnswer {
  readonly inputs: Props;
  readonly failures: { property: string; reason: string }[];
}

/** A running provider host and a client for it. */
export class ProviderHost {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly client: grpc.Client & Record<string, (...a: unknown[]) => void>,
    /** Everything the host printed after its port. */
    readonly output: { text: string },
  ) {}

  /** Spawns the host from the project directory and connects to the port it prints. */
  static async start(): Promise<ProviderHost> {
    const proc = spawn(
      process.execPath,
      [path.join(PROJECT_DIR, "node_modules/@pulumi/pulumi/cmd/dynamic-provider"), "127.0.0.1:1"],
      { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "pipe"] },
    );
    track(proc);
    const output = { text: "" };
    const port = await new Promise<number>((resolve, reject) => {
      let first = "";
      const timer = setTimeout(() => reject(new Error(`no port from the host: ${first}`)), 15000);
      proc.stdout!.on("data", (d: Buffer) => {
        if (timer.hasRef() && /^\d+\n/.test(first + d.toString())) {
          first += d.toString();
          clearTimeout(timer);
          timer.unref();
          resolve(Number(first.split("\n")[0]));
        } else {
          output.text += d.toString();
        }
      });
      proc.stderr!.on("data", (d: Buffer) => {
        output.text += d.toString();
      });
      proc.once("exit", (code) => reject(new Error(`host exited with ${code}: ${output.text}`)));
    });
    const client = new providerGrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new ProviderHost(proc, client, output);
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    // A deadline, so that a call the host never answers fails as DEADLINE_EXCEEDED, naming
    // the method, instead of hanging the test.
    const deadline = new Date(Date.now() + CALL_DEADLINE_MS);
    return new Promise((resolve, reject) => {
      this.client[method](req, { deadline }, (err: grpc.ServiceError | null, resp: T) =>
        err ? reject(Object.assign(err, { method })) : resolve(resp),
      );
    });
  }

  /** CheckRequest. */
  async check(olds: Props, news: Props): Promise<CheckAnswer> {
    const req = new providerPb.CheckRequest();
    req.setUrn(URN);
    req.setType(TYPE);
    req.setName("gate");
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    const resp = await this.call<{
      getInputs(): Struct;
      getFailuresList(): { getProperty(): string; getReason(): string }[];
    }>("check", req);
    return {
      inputs: resp.getInputs().toJavaScript() as Props,
      failures: resp
        .getFailuresList()
        .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** DiffRequest: resolves to whether the provider reports changes. */
  async diff(id: string, olds: Props, news: Props): Promise<"some" | "none" | "unknown"> {
    const req = new providerPb.DiffRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    const resp = await this.call<{ getChanges(): number }>("diff", req);
    const c = providerPb.DiffResponse.DiffChanges;
    return resp.getChanges() === c.DIFF_SOME
      ? "some"
      : resp.getChanges() === c.DIFF_NONE
        ? "none"
        : "unknown";
  }

  /** CreateRequest: resolves to the id and the outputs. */
  async create(props: Props): Promise<{ id: string; outs: Props }> {
    const req = new providerPb.CreateRequest();
    req.setUrn(URN);
    req.setProperties(Struct.fromJavaScript(props as never));
    const resp = await this.call<{ getId(): string; getProperties(): Struct }>("create", req);
    return { id: resp.getId(), outs: resp.getProperties().toJavaScript() as Props };
  }

  /** UpdateRequest: resolves to the outputs; a provider's error rejects with the gRPC error. */
  async update(id: string, olds: Props, news: Props): Promise<Props> {
    const req = new providerPb.UpdateRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    const resp = await this.call<{ getProperties(): Struct }>("update", req);
    return resp.getProperties().toJavaScript() as Props;
  }

  /** Closes the client and stops the host. */
  async stop(): Promise<void> {
    this.client.close();
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise<void>((r) => this.proc.once("exit", () => r()));
      this.proc.kill("SIGTERM");
      await exited;
    }
  }
}

/**
 * The partial-failure details of a failed call (`ErrorResourceInitFailed`), if it carried
 * any: the outputs the engine would keep.
 */
export function initFailureProperties(err: grpc.ServiceError): Props | undefined {
  const bin = err.metadata?.get("grpc-status-details-bin")[0];
  if (bin === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const statusPb = require("@pulumi/pulumi/proto/status_pb");
  const status = statusPb.Status.deserializeBinary(new Uint8Array(bin as Buffer));
  for (const any of status.getDetailsList()) {
    const detail = providerPb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return detail.getProperties().toJavaScript() as Props;
  }
  return undefined;
}
