/**
 * Runs the Pulumi program (index.ts) in-process under `pulumi.runtime.setMocks` and records
 * every resource it declares, exactly as the engine would receive it: type, name, parent,
 * inputs, secret markings and resource options. The program tests, the policy pack's tests
 * and `genesis security-check` all read the stack through this one capture, so what they
 * judge is what `pulumi up` would declare. It lives with the program, not with the command:
 * the command reaches it only for `genesis security-check`.
 *
 * Nothing is created: the mock engine answers every registration with the inputs as the
 * state plus the few computed outputs the program reads (an image's id).
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../core/config/configKeys";
import { decideRollout } from "../core/gate/decideRollout";
import { GateSettings } from "../core/gate/types";
import { PROJECT_DIR } from "./projectDir";

/** The marker Pulumi wraps a secret value in on the wire. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** One resource as the engine would receive it. */
export interface CapturedResource {
  /** Type token, e.g. `docker:index/container:Container`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Its URN under the mock engine. */
  readonly urn: string;
  /** The parent's URN, empty for the stack's own children. */
  readonly parent: string;
  /** Whether it is a custom (provider) resource rather than a component. */
  readonly custom: boolean;
  /** Inputs with secrets revealed, as a provider would see them. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Inputs as they travel to the engine: each secret is replaced by `"[secret]"`. */
  readonly maskedInputs: Readonly<Record<string, unknown>>;
  /** Resource options that change how the engine treats it. */
  readonly options: {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly additionalSecretOutputs: readonly string[];
    /** URNs of explicit dependencies (`dependsOn`). */
    readonly dependsOn: readonly string[];
  };
}

/** What the program declared and exported. */
export interface CapturedProgram {
  /** Every resource, in registration order. */
  readonly resources: readonly CapturedResource[];
  /** Stack outputs, resolved; `secret` tells whether each is a secret output. */
  readonly outputs: Readonly<Record<string, { readonly value: unknown; readonly secret: boolean }>>;
}

/** The configuration to run the program with. */
export interface CaptureConfig {
  /** Stack name (`staging`, `production`, ...). */
  readonly stack: string;
  /** Non-secret values by key without namespace, as in Pulumi.<stack>.yaml. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Secret values by key without namespace; each is set as an encrypted (secret) value. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Secrets that are set in plain text (a mistake the program must refuse). */
  readonly plaintextSecrets?: Readonly<Record<string, string>>;
}

/** The program's entry module. */
export const PROGRAM_PATH = path.join(PROJECT_DIR, "index.ts");

/** The value a stack config key carries at run time: the CLI hands every value as text. */
function configText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Replaces each wire-format secret with `reveal(secret value)`. */
function mapSecrets(value: unknown, reveal: (secret: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, reveal));
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return reveal(mapSecrets(obj.value, reveal));
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, mapSecrets(v, reveal)]));
  }
  return value;
}

/** A value as the mock engine passes it, without its secret wrapper when it has one. */
function unwrapSecret(value: unknown): unknown {
  const v = value as Record<string, unknown> | undefined;
  return typeof v === "object" && v !== null && v[SIG_KEY] === SECRET_SIG ? v.value : value;
}

/** The mock engine's computed outputs for the types whose outputs the program reads. */
function mockState(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type === "docker:index/remoteImage:RemoteImage") {
    const digest = createHash("sha256").update(String(inputs.name)).digest("hex");
    return { ...inputs, imageId: `sha256:${digest}`, repoDigest: String(inputs.name) };
  }
  if (type === "pulumi-nodejs:dynamic/gates:RolloutGate") {
    // A gate's first Create makes the asked-for percentage the live one, with its "initial"
    // decision (at a fixed time, so captures are deterministic) for the verdict to read.
    const created = decideRollout({
      state: undefined,
      targetPercentage: Number(inputs.targetPercentage),
      nowMs: 0,
      settings: unwrapSecret(inputs.settings) as GateSettings,
    });
    return { ...inputs, percentage: inputs.targetPercentage, lastDecision: created.record };
  }
  return inputs;
}

/** Resolves an exported value, awaiting Outputs and noting whether each is secret. */
async function resolveOutput(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  if (pulumi.Output.isInstance(value)) {
    const out = value as pulumi.Output<unknown> & { isSecret: Promise<boolean> };
    const resolved = await new Promise<unknown>((resolve) => out.apply((v) => resolve(v)));
    return { value: resolved, secret: await out.isSecret };
  }
  return { value, secret: false };
}

interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type RegisterCallback = (err: unknown, resp?: { getUrn(): string }) => void;

interface Monitor {
  registerResource(req: MonitorRequest, cb: RegisterCallback): Promise<void> | void;
}

/**
 * Runs the program with `config` under mocks and resolves to every declared resource and
 * the stack outputs. A program error (bad config) rejects with the program's own message;
 * a registration the mock engine refuses rejects naming the resource. `programPath` is the
 * program's entry module (index.ts; tests pass another).
 */
export async function captureProgram(
  config: CaptureConfig,
  programPath: string = PROGRAM_PATH,
): Promise<CapturedProgram> {
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.values)) {
    all[`${CONFIG_NAMESPACE}:${key}`] = configText(value);
  }
  for (const [key, value] of Object.entries(config.plaintextSecrets ?? {})) {
    all[`${CONFIG_NAMESPACE}:${key}`] = value;
  }
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config.secrets)) {
    all[`${CONFIG_NAMESPACE}:${key}`] = value;
    secretKeys.push(`${CONFIG_NAMESPACE}:${key}`);
  }
  pulumi.runtime.setAllConfig(all, secretKeys);

  const resources: CapturedResource[] = [];
  const pending: Promise<unknown>[] = [];
  // A registration the mock engine refuses leaves the outputs that depend on it unresolved
  // for good: the capture fails with the engine's error instead of waiting forever.
  let refuse: (e: Error) => void = () => undefined;
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  refused.catch(() => undefined);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: args.custom ? `${args.name}-id` : "",
        state: mockState(args.type, args.inputs as Record<string, unknown>),
      }),
      call: (args) => args.inputs,
    },
    "genesis",
    config.stack,
    false,
  );

  // The mock engine hands the deserialized inputs to `newResource` with secrets revealed and
  // without the resource options; the wire request carries both, so record from it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): Monitor;
    waitForRPCs(): Promise<void>;
  };
  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const wire = req.getObject()?.toJavaScript() ?? {};
    let done: () => void = () => undefined;
    pending.push(new Promise<void>((resolve) => (done = resolve)));
    return register(req, (err, resp) => {
      if (err === null || err === undefined) {
        resources.push({
          type: req.getType(),
          name: req.getName(),
          urn: resp!.getUrn(),
          parent: req.getParent(),
          custom: req.getCustom(),
          inputs: mapSecrets(
            pulumi.runtime.deserializeProperties(
              req.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0],
            ),
            (v) => v,
          ) as Record<string, unknown>,
          maskedInputs: mapSecrets(wire, () => "[secret]") as Record<string, unknown>,
          options: {
            protect: req.getProtect(),
            retainOnDelete: req.getRetainondelete(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            dependsOn: req.getDependenciesList(),
          },
        });
      }
      if (err !== null && err !== undefined) {
        const why = (err as { message?: unknown }).message ?? err;
        refuse(
          new Error(`the mock engine refused ${req.getType()} ${req.getName()}: ${String(why)}`),
        );
      }
      done();
      cb(err, resp);
    });
  };

  delete require.cache[require.resolve(programPath)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(programPath) as Record<string, unknown>;
  const outputs: Record<string, { value: unknown; secret: boolean }> = {};
  for (const [key, value] of Object.entries(exported)) {
    outputs[key] = await Promise.race([resolveOutput(value), refused]);
  }
  await settings.waitForRPCs();
  await Promise.all(pending);
  return { resources, outputs };
}
