import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { POLICY_PACK_NAME, RULES } from "../../policy/policies";
import { container, namespace, workload, goodPodSpec } from "../policy/fixtures";
import { capturedStack } from "../policy/stacks";
import { PolicyPackHost } from "../support/policyPackHost";

/** The engine's marker for a string output not known during preview. */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const DESCRIPTION = (name: string) => RULES.find((r) => r.policy.name === name)!.policy.description;

describe("the policy pack as the Pulumi CLI runs it (run-policy-pack, Analyzer gRPC)", function () {
  this.timeout(180_000);
  let pack: PolicyPackHost;

  before(async () => {
    pack = await PolicyPackHost.start(150_000);
  });
  after(async () => {
    await pack?.stop();
  });

  it("serves every rule, mandatory by default", async () => {
    const info = await pack.info();
    strictEqual(info.name, POLICY_PACK_NAME);
    deepStrictEqual(
      info.policies.map((p) => [p.name, p.level]),
      RULES.map((r) => [r.policy.name, "mandatory"]),
    );
  });

  it("production: no diagnostic on any declared resource, nor on the stack", async () => {
    const { resources } = await capturedStack("production");
    const found = [];
    for (const r of resources) found.push(...(await pack.analyze(r)));
    found.push(...(await pack.analyzeStack(resources)));
    deepStrictEqual(found, []);
  });

  it("preview: containers whose image id is not known yet are judged in full, without skipped rules", async () => {
    const { resources } = await capturedStack("production");
    const previewed = resources.map((r) =>
      r.type === "docker:index/container:Container"
        ? { ...r, inputs: { ...r.inputs, image: UNKNOWN_STRING } }
        : r,
    );
    const found = [];
    for (const r of previewed) found.push(...(await pack.analyze(r)));
    found.push(...(await pack.analyzeStack(previewed)));
    deepStrictEqual(found, []);
  });

  it("a host-network container is a mandatory violation with the rule's message", async () => {
    const bad = container({ networkMode: "host" });
    deepStrictEqual(await pack.analyze(bad), [
      {
        policyName: "docker-no-host-network",
        message: `${DESCRIPTION("docker-no-host-network")}\ngenesis-web: networkMode is "host"; attach it to a user-defined bridge (CIS 5.10)`,
        enforcementLevel: "mandatory",
        urn: "",
      },
    ]);
  });

  it("a namespace without a NetworkPolicy fails the stack analysis", async () => {
    const ns = namespace("genesis-monitoring");
    const found = await pack.analyzeStack([
      ns,
      workload("apps/v1:StatefulSet", "prometheus", goodPodSpec()),
    ]);
    deepStrictEqual(
      found.map((d) => [d.policyName, d.enforcementLevel, d.urn]),
      [["k8s-namespace-network-policy", "mandatory", ns.urn]],
    );
  });

  it("with policy/staging.json, staging's unpinned images are advisory only", async () => {
    await pack.configure(
      JSON.parse(readFileSync(path.join(__dirname, "..", "..", "policy", "staging.json"), "utf8")),
    );
    const { resources } = await capturedStack("staging");
    const found: string[][] = [];
    for (const r of resources) {
      for (const d of await pack.analyze(r)) found.push([d.policyName, d.enforcementLevel, r.urn]);
    }
    for (const d of await pack.analyzeStack(resources)) {
      found.push([d.policyName, d.enforcementLevel, d.urn]);
    }
    const unpinned = resources.filter(
      (r) =>
        r.type === "docker:index/remoteImage:RemoteImage" &&
        !String(r.inputs.name).includes("@sha256:"),
    );
    deepStrictEqual(
      found,
      unpinned.map((r) => ["docker-image-pinned-by-digest", "advisory", r.urn]),
    );
  });
});
