// A one-resource program whose gate the mock engine cannot create: its settings carry no
// steps, so deciding its first stage throws inside the engine (see captureProgram.test.ts).
import * as pulumi from "@pulumi/pulumi";

class Gate extends pulumi.CustomResource {
  constructor(name: string) {
    super("pulumi-nodejs:dynamic/gates:RolloutGate", name, {
      targetPercentage: 5,
      settings: {},
      percentage: undefined,
    });
  }
}

const gate = new Gate("gate");

export const percentage = gate.urn;
