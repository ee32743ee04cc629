/**
 * The Automation API adapter where no Pulumi CLI is installed (PATH emptied for the test):
 * selecting the stack fails with a message that names the operation, and nothing changes.
 * Its success path needs the CLI; docs/rollout.md says how to verify it.
 */
import { rejects } from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openAutomationStack } from "../../../cli/rollout/automationStack";
import { StackOperationError } from "../../../core/rollout/rolloutStack";

describe("Automation API adapter without a Pulumi CLI", () => {
  it("fails to select the stack with a StackOperationError naming the operation", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "genesis-no-cli-"));
    const saved = { PATH: process.env.PATH, HOME: process.env.HOME };
    process.env.PATH = empty;
    process.env.HOME = empty;
    try {
      await rejects(
        openAutomationStack({ stack: "staging", projectDir: path.resolve(__dirname, "../../..") }),
        (e: unknown) =>
          e instanceof StackOperationError &&
          e.operation === "stack select" &&
          e.message.startsWith("pulumi stack select failed: ") &&
          e.message.includes("ENOENT: pulumi version"),
      );
    } finally {
      process.env.PATH = saved.PATH;
      process.env.HOME = saved.HOME;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
