import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { SETTINGS } from "../../core/gate/fixtures";
import { captureRolloutGate } from "../../support/captureGate";

describe("RolloutGate under mocks", () => {
  it("registers pulumi-nodejs:dynamic/gates:RolloutGate with plain inputs and a serialized provider", async () => {
    const c = await captureRolloutGate(5, SETTINGS);
    strictEqual(c.type, "pulumi-nodejs:dynamic/gates:RolloutGate");
    strictEqual(c.name, "gate");
    const { __provider, ...inputs } = c.inputs;
    deepStrictEqual(inputs, { targetPercentage: 5, settings: SETTINGS });
    strictEqual(typeof __provider, "string");
    // node_modules are required at run time by the host; project code travels by value.
    const requires = [...String(__provider).matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    deepStrictEqual([...new Set(requires)], ["axios"]);
  });
});
