/**
 * The rendered alertmanager.yml checked by Alertmanager 0.25's own tools, for both stacks:
 * `amtool check-config`, `amtool config routes test` (critical reaches PagerDuty and e-mail,
 * warning e-mail only; a wrong expectation exits 1), and a real Alertmanager on a random
 * loopback port showing that a severe breach inhibits the slower error-rate alert.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  EMAIL_RECEIVER,
  PAGER_RECEIVER,
  renderAlertmanagerConfig,
} from "../../core/render/alertmanagerConfig";
import { AMTOOL, runTool, withFiles } from "../support/promtool";
import { Service, startAlertmanager } from "../support/processes";
import { completedStack, STACK_NAMES } from "../support/stacks";

/** `amtool config routes test` on `yaml`: its exit status and the receivers it printed. */
function routesTest(yaml: string, expected: readonly string[], labels: readonly string[]) {
  const r = withFiles({ "alertmanager.yml": yaml }, (dir) =>
    runTool(
      AMTOOL,
      [
        "config",
        "routes",
        "test",
        "--config.file=alertmanager.yml",
        `--verify.receivers=${expected.join(",")}`,
        ...labels,
      ],
      dir,
    ),
  );
  return { status: r.status, receivers: r.stdout.split("\n")[0] };
}

for (const stack of STACK_NAMES) {
  describe(`Alertmanager routing, ${stack} stack (amtool 0.25, integration)`, () => {
    const yaml = renderAlertmanagerConfig(completedStack(stack));

    it("passes amtool check-config", () => {
      const r = withFiles({ "alertmanager.yml": yaml }, (dir) =>
        runTool(AMTOOL, ["check-config", "alertmanager.yml"], dir),
      );
      strictEqual(r.status, 0, `${r.stdout}\n${r.stderr}`);
      ok(r.stdout.includes("SUCCESS"), r.stdout);
    });

    it("routes critical alerts to PagerDuty and e-mail, warnings to e-mail only", () => {
      const severe = [
        "alertname=GenesisErrorRateSevere",
        "severity=critical",
        "action=rollback",
        `environment=${stack}`,
        "variant=canary",
      ];
      deepStrictEqual(routesTest(yaml, [PAGER_RECEIVER, EMAIL_RECEIVER], severe), {
        status: 0,
        receivers: `${PAGER_RECEIVER},${EMAIL_RECEIVER}`,
      });
      deepStrictEqual(
        routesTest(yaml, [PAGER_RECEIVER, EMAIL_RECEIVER], ["severity=critical"]).status,
        0,
      );
      const warning = ["alertname=GenesisMonitoringTargetDown", "severity=warning"];
      deepStrictEqual(routesTest(yaml, [EMAIL_RECEIVER], warning), {
        status: 0,
        receivers: EMAIL_RECEIVER,
      });
    });

    it("exits 1 when the expectation is wrong (critical to e-mail only, warning paging)", () => {
      strictEqual(routesTest(yaml, [EMAIL_RECEIVER], ["severity=critical"]).status, 1);
      strictEqual(
        routesTest(yaml, [PAGER_RECEIVER, EMAIL_RECEIVER], ["severity=warning"]).status,
        1,
      );
    });
  });
}

describe("Alertmanager inhibition with the production config (real Alertmanager, integration)", () => {
  let am: Service | undefined;
  before(async () => {
    am = await startAlertmanager(renderAlertmanagerConfig(completedStack("production")));
  });
  after(async () => {
    await am?.stop();
  });

  it("a firing severe breach suppresses the error-rate alert of the same variant only", async () => {
    const base = { severity: "critical", action: "rollback", environment: "production" };
    const alert = (alertname: string, variant: string) => ({
      labels: { alertname, variant, ...base },
      annotations: { summary: `${alertname} ${variant}` },
      startsAt: new Date().toISOString(),
    });
    const post = await fetch(`${am!.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        alert("GenesisErrorRateSevere", "canary"),
        alert("GenesisErrorRateHigh", "canary"),
        alert("GenesisErrorRateHigh", "stable"),
      ]),
    });
    strictEqual(post.status, 200);
    type Listed = {
      labels: Record<string, string>;
      status: { state: string; inhibitedBy: string[] };
    };
    let states: Record<string, string> = {};
    for (let i = 0; i < 50; i++) {
      const listed = (await (await fetch(`${am!.url}/api/v2/alerts`)).json()) as Listed[];
      states = Object.fromEntries(
        listed.map((a) => [`${a.labels.alertname}/${a.labels.variant}`, a.status.state]),
      );
      if (states["GenesisErrorRateHigh/canary"] === "suppressed") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    deepStrictEqual(states, {
      "GenesisErrorRateSevere/canary": "active",
      "GenesisErrorRateHigh/canary": "suppressed",
      "GenesisErrorRateHigh/stable": "active",
    });
  });
});
