/**
 * A promotion replaces no long-running container: the program under mocks at 0, 5 and 10 %
 * declares every service container (monitoring, flagd, the reference service) with the same
 * inputs, fingerprint label included; only flagd's one-shot init container changes, placing
 * the new flag file by an atomic rename (flagd and the reference service reload it).
 */
import { deepStrictEqual, notDeepStrictEqual, ok } from "node:assert/strict";
import { captureProgram } from "../../../program/captureProgram";
import { stackCaptureConfig } from "../../../cli/stackCapture";
import { configInitScript, rolloutContainerSpecs } from "../../../core/monitoring/containerSpecs";
import { renderFlagdFlags } from "../../../core/render/flagdFlags";
import { completedStack } from "../../support/stacks";

const CONTAINER = "docker:index/container:Container";

async function containersAt(rolloutPercentage: number) {
  const base = stackCaptureConfig("staging", () => "unused");
  const { resources } = await captureProgram({
    ...base,
    values: { ...base.values, rolloutPercentage },
    secrets: { grafanaAdminPassword: "unused-here" },
  });
  return Object.fromEntries(
    resources.filter((r) => r.type === CONTAINER).map((r) => [r.name, r.maskedInputs]),
  );
}

describe("Docker rollout delivery: a promotion replaces no long-running container", function () {
  this.timeout(60_000);

  it("0 -> 5 -> 10 %: every service container's inputs are unchanged; only flagd's init container places the new flags", async () => {
    // One capture at a time: the mock engine is the process's.
    const at0 = await containersAt(0);
    const at5 = await containersAt(5);
    const at10 = await containersAt(10);
    const services = Object.keys(at0).filter((n) => !n.endsWith("-config"));
    ok(services.includes("genesis-flagd") && services.includes("genesis-app"), services.join());
    for (const name of services) {
      deepStrictEqual(at5[name], at0[name], name);
      deepStrictEqual(at10[name], at0[name], name);
    }
    const changed = (a: typeof at0, b: typeof at0) =>
      Object.keys(a).filter((n) => JSON.stringify(a[n]) !== JSON.stringify(b[n]));
    deepStrictEqual(changed(at0, at5), ["genesis-flagd-config"]);
    deepStrictEqual(changed(at5, at10), ["genesis-flagd-config"]);
    deepStrictEqual(at10["genesis-flagd-config"].uploads, [
      { file: "/tmp/genesis-live/flags.json", content: renderFlagdFlags(10) },
    ]);
    notDeepStrictEqual(at5["genesis-flagd-config"].uploads, at10["genesis-flagd-config"].uploads);
  });

  it("flagd's init script renames the new flag file over the old one, never removing it first", () => {
    const flagd = rolloutContainerSpecs(completedStack("staging")).find(
      (s) => s.service.name === "flagd",
    )!;
    const dir = flagd.config!.init?.dir ?? flagd.config!.dir;
    deepStrictEqual(configInitScript(flagd).split("\n"), [
      "set -eu",
      `chmod -R u+w ${dir}`,
      `find ${dir} -mindepth 1 -maxdepth 1 ! -name flags.json -exec rm -rf {} \\;`,
      `cp /tmp/genesis-live/flags.json ${dir}/.flags.json.new`,
      `mv -f ${dir}/.flags.json.new ${dir}/flags.json`,
      `chmod -R a-w,a+rX ${dir}`,
    ]);
  });
});
