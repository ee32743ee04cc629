/**
 * The Automation API adapter where no Pulumi CLI is installed (PATH emptied for the test):
 * selecting the stack fails with one line saying what is missing and how to install it.
 * Its success path needs the CLI; docs/rollout.md says how to verify it.
 */
import { deepStrictEqual, rejects } from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CommandError } from "@pulumi/pulumi/automation";
import {
  messageOf,
  openAutomationStack,
  PULUMI_CLI_MISSING,
  PulumiCliMissingError,
} from "../../../cli/rollout/automationStack";

describe("Automation API adapter without a Pulumi CLI", () => {
  it("fails to select the stack with one line: what is missing and how to install it", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "genesis-no-cli-"));
    const saved = { PATH: process.env.PATH, HOME: process.env.HOME };
    process.env.PATH = empty;
    process.env.HOME = empty;
    try {
      await rejects(
        openAutomationStack({ stack: "staging", projectDir: path.resolve(__dirname, "../../..") }),
        (e: unknown) => e instanceof PulumiCliMissingError && e.message === PULUMI_CLI_MISSING,
      );
    } finally {
      process.env.PATH = saved.PATH;
      process.env.HOME = saved.HOME;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("messageOf: an Automation API failure in one line", () => {
  it("takes Pulumi's own error line from a command's output, else the first line", () => {
    const commandError = new (CommandError as unknown as new (r: unknown) => Error)({
      stdout: "",
      stderr: "warning: x\nerror: no stack named 'qa' found\n",
      code: 255,
      err: undefined,
      toString: () =>
        "code: 255\n stdout: \n stderr: warning: x\nerror: no stack named 'qa' found\n",
    });
    deepStrictEqual(
      [messageOf(commandError), messageOf(new Error("\nfirst\nsecond")), messageOf("text")],
      ["error: no stack named 'qa' found", "first", "text"],
    );
  });
});
