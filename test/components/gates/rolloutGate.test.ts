import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { captureProgram } from "../../../program/captureProgram";
import { stackCaptureConfig } from "../../../cli/stackCapture";
import { endpointsCarryCredentials } from "../../../components/gates/rolloutGate";
import { GateSettings } from "../../../core/gate/types";
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

describe("RolloutGate settings with credentials in an endpoint URL (the program under mocks)", () => {
  const gateOf = async (prometheusUrl: string) => {
    const base = stackCaptureConfig("staging", () => "unused");
    const program = await captureProgram({
      ...base,
      values: { ...base.values, prometheusUrl },
      secrets: { grafanaAdminPassword: "unused-here" },
    });
    return program.resources.find((r) => r.type === "pulumi-nodejs:dynamic/gates:RolloutGate")!;
  };

  it("travels as a secret when a URL carries a password; the settings output is always secret", async () => {
    const plain = await gateOf("http://127.0.0.1:9090");
    const secret = await gateOf("http://gate:s3cret@127.0.0.1:9090");
    deepStrictEqual(
      [
        typeof plain.maskedInputs.settings,
        secret.maskedInputs.settings,
        plain.options.additionalSecretOutputs,
        secret.options.additionalSecretOutputs,
      ],
      ["object", "[secret]", ["settings"], ["settings"]],
    );
    ok(!JSON.stringify(secret.maskedInputs).includes("s3cret"));
    strictEqual(
      (secret.inputs.settings as GateSettings).endpoints.prometheusUrl,
      "http://gate:s3cret@127.0.0.1:9090",
    );
  });

  it("endpointsCarryCredentials: a password or a token in any endpoint URL", () => {
    const at = (appHealthUrl: string) => ({
      ...SETTINGS,
      endpoints: { ...SETTINGS.endpoints, appHealthUrl },
    });
    deepStrictEqual(
      [
        endpointsCarryCredentials(SETTINGS),
        endpointsCarryCredentials(at("http://u:p@app:8080/health")),
        endpointsCarryCredentials(at("https://token@app/health")),
      ],
      [false, true, true],
    );
  });
});
