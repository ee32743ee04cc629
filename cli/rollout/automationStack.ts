/**
 * The Automation API implementation of {@link RolloutStack}: a LocalWorkspace on this
 * project's directory, so every stage is `pulumi config set` plus `pulumi up` exactly as an
 * operator would type them. Needs the Pulumi CLI on PATH (the Automation API runs it).
 */
import { CommandError, LocalWorkspace, OutputMap, Stack } from "@pulumi/pulumi/automation";
import { RolloutStack, StackOperationError, StackPreview } from "../../core/rollout/rolloutStack";

/** Options of {@link openAutomationStack}. */
export interface AutomationStackOptions {
  /** The stack's name (Pulumi.<name>.yaml). */
  readonly stack: string;
  /** The project directory (where Pulumi.yaml lives). */
  readonly projectDir: string;
  /** Receives Pulumi's output lines while an update or preview runs. */
  readonly onOutput?: (text: string) => void;
}

/** What is missing and how to install it, when the Automation API cannot run `pulumi`. */
export const PULUMI_CLI_MISSING =
  "the Pulumi CLI was not found on PATH: install it (https://www.pulumi.com/docs/install/) or put its directory (such as ~/.pulumi/bin) on PATH";

/** Raised when the Pulumi CLI is not on PATH; its message is {@link PULUMI_CLI_MISSING}. */
export class PulumiCliMissingError extends Error {
  constructor() {
    super(PULUMI_CLI_MISSING);
    this.name = "PulumiCliMissingError";
  }
}

/**
 * One line for an Automation API failure: Pulumi's own `error:` line when its output has
 * one (a CommandError carries the command's whole stdout and stderr), else the first line.
 */
export function messageOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split("\n").map((l) => l.trim());
  const pulumiError = lines.find((l) => /^(stderr: )?error: /.test(l));
  if (e instanceof CommandError && pulumiError !== undefined) {
    return pulumiError.replace(/^stderr: /, "");
  }
  return lines.find((l) => l !== "") ?? "no message";
}

/** True when `e` says the `pulumi` executable could not be started. */
function pulumiCliMissing(e: unknown): boolean {
  const text = e instanceof Error ? e.message : String(e);
  return /spawn pulumi ENOENT|ENOENT: pulumi\b/.test(text);
}

async function wrap<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (pulumiCliMissing(e)) throw new PulumiCliMissingError();
    throw new StackOperationError(operation, messageOf(e));
  }
}

/** Wraps an Automation API stack in the driver's interface. */
export function automationRolloutStack(
  stack: Stack,
  onOutput?: (text: string) => void,
): RolloutStack {
  return {
    name: stack.name,
    getConfig: (key) =>
      wrap("config get", async () => {
        const all = await stack.getAllConfig();
        return all[key]?.value;
      }),
    setConfig: (key, value) => wrap("config set", () => stack.setConfig(key, { value })),
    up: (message) =>
      wrap("up", async () => {
        await stack.up({ message, ...(onOutput !== undefined ? { onOutput } : {}) });
      }),
    preview: (message) =>
      wrap("preview", async (): Promise<StackPreview> => {
        const r = await stack.preview({ message, ...(onOutput !== undefined ? { onOutput } : {}) });
        return { changeSummary: { ...r.changeSummary }, text: r.stdout };
      }),
    outputs: () =>
      wrap("stack output", async () => {
        const out: OutputMap = await stack.outputs();
        return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value as unknown]));
      }),
  };
}

/**
 * Selects stack `stack` of the project in `projectDir` through a LocalWorkspace. Fails with
 * a {@link PulumiCliMissingError} when the Pulumi CLI is not on PATH, and with Pulumi's own
 * one-line error when, for example, the stack does not exist.
 */
export async function openAutomationStack(opts: AutomationStackOptions): Promise<RolloutStack> {
  const stack = await wrap("stack select", () =>
    LocalWorkspace.selectStack({ stackName: opts.stack, workDir: opts.projectDir }),
  );
  return automationRolloutStack(stack, opts.onOutput);
}
