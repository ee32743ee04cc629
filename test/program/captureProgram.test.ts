import { rejects } from "node:assert/strict";
import * as path from "node:path";
import { captureProgram } from "../../program/captureProgram";

describe("captureProgram", () => {
  it("fails naming the resource when the mock engine refuses a registration, instead of waiting forever", async () => {
    await rejects(
      captureProgram(
        { stack: "staging", values: {}, secrets: {} },
        path.join(__dirname, "refusingProgram.ts"),
      ),
      /the mock engine refused pulumi-nodejs:dynamic\/gates:RolloutGate gate: /,
    );
  });
});
