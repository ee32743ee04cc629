/**
 * Gate 2 over the whole validation window, in a real Prometheus (Debian's 2.42) and a real
 * Alertmanager (0.25), judged by the serialized gate in Pulumi's own dynamic-provider host:
 * - a flapping target: the application's target answers 500 on /metrics for a few scrapes,
 *   then is healthy again, so `up` is 1 at decision time but failed inside the window;
 * - an alert fired and resolved inside the window: a rule named like the stack's own alert
 *   fires on a gauge the test raises and lowers, so `ALERTS` holds it though nothing fires now;
 * - an alert firing now: posted straight to Alertmanager's API v2.
 * One synthetic exporter serves two jobs on one target: `genesis-app` (always answers, and
 * carries the gauge) and `flappy` (the same healthy traffic, but answers 500 while flapping).
 * Every other check passes in each case, so each blocks on the check under test alone.
 */
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import * as http from "node:http";
import * as net from "node:net";
import { CheckResult, GateSettings } from "../../core/gate/types";
import { captureRolloutGate } from "../support/captureGate";
import { gateSettingsFor, promoteThroughHost } from "../support/gateHarness";
import { ProviderHost } from "../support/providerHost";
import {
  Service,
  startAlertmanager,
  startGrafanaStandIn,
  startNodeExporter,
  startPrometheus,
} from "../support/processes";

const WINDOW_SECONDS = 10;

/** Requests a second of each variant; every one fast and successful. */
const RATE = 20;

type Job = "genesis-app" | "flappy";

/** A rule that fires an alert of the stack's name while `genesis_test_condition` is above 0. */
const RULES = [
  "groups:",
  "  - name: genesis-test",
  "    interval: 1s",
  "    rules:",
  "      - alert: GenesisMonitoringTargetDown",
  '        expr: genesis_test_condition{job="genesis-app"} > 0',
  "        labels: { severity: warning, action: investigate }",
  "",
].join("\n");

/** The exposition text after `t` seconds, with the test gauge at `condition`. */
function exposition(t: number, condition: number): string {
  const total = Math.floor(RATE * t);
  const lines = ["# TYPE http_requests_total counter"];
  for (const variant of ["canary", "stable"]) {
    lines.push(`http_requests_total{code="200",variant="${variant}"} ${total}`);
  }
  lines.push("# TYPE http_request_duration_seconds histogram");
  for (const variant of ["canary", "stable"]) {
    for (const le of ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"]) {
      lines.push(`http_request_duration_seconds_bucket{variant="${variant}",le="${le}"} ${total}`);
    }
    lines.push(`http_request_duration_seconds_count{variant="${variant}"} ${total}`);
  }
  lines.push("# TYPE genesis_test_condition gauge", `genesis_test_condition ${condition}`);
  return `${lines.join("\n")}\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Gate 2 over the whole window: a flapping target, alerts fired and firing (real Prometheus and Alertmanager, dynamic-provider host, integration)", function () {
  this.timeout(90_000);
  const started = Date.now();
  let flapping = false;
  let condition = 0;
  let exporter: http.Server;
  let instance: string;
  let prometheus: Service;
  let alertmanager: Service;
  let nodeExporter: Service;
  let grafana: Service;
  let host: ProviderHost;
  let provider: string;

  const settingsFor = (job: Job): GateSettings =>
    gateSettingsFor(
      { prometheus, grafana, alertmanager, nodeExporter, instance, windowSeconds: WINDOW_SECONDS },
      job,
    );

  /** One promotion 5 % -> 10 % through the host; resolves to the saved decision. */
  const promote = (job: Job) => promoteThroughHost(host, provider, settingsFor(job));

  /** The checks other than `names` that did not pass: none, so `names` alone blocked. */
  const othersNotPassing = (checks: readonly CheckResult[], ...names: string[]) =>
    checks.filter((c) => !names.includes(c.name) && c.verdict !== "pass");

  before(async () => {
    exporter = http.createServer((req, res) => {
      const t = (Date.now() - started) / 1000;
      const url = new URL(req.url ?? "/", "http://exporter");
      if (url.pathname === "/health") {
        res.setHeader("content-type", "application/json");
        res.end('{"status":"UP"}');
        return;
      }
      if (url.pathname === "/metrics/flappy" && flapping) {
        res.statusCode = 500;
        res.end("exporter failing\n");
        return;
      }
      if (url.pathname !== "/metrics" && url.pathname !== "/metrics/flappy") {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader("content-type", "text/plain; version=0.0.4");
      res.end(exposition(t, url.pathname === "/metrics" ? condition : 0));
    });
    await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", () => r()));
    instance = `127.0.0.1:${(exporter.address() as net.AddressInfo).port}`;
    [alertmanager, nodeExporter, grafana] = await Promise.all([
      startAlertmanager(),
      startNodeExporter(),
      startGrafanaStandIn(),
    ]);
    prometheus = await startPrometheus([instance], 1, {
      extraJobs: [{ job: "flappy", metricsPath: "/metrics/flappy", targets: [instance] }],
      ruleFiles: { "genesis-test.yml": RULES },
    });
    provider = (await captureRolloutGate(5, settingsFor("genesis-app"))).inputs
      .__provider as string;
    host = await ProviderHost.start();
    // A full validation window of scrapes, plus two of margin.
    await sleep((WINDOW_SECONDS + 2) * 1000);
  });

  after(async () => {
    await host?.stop();
    await Promise.all(
      [prometheus, alertmanager, nodeExporter, grafana]
        .filter((s) => s !== undefined)
        .map((s) => s.stop()),
    );
    exporter?.closeAllConnections();
    await new Promise<void>((r) => (exporter === undefined ? r() : exporter.close(() => r())));
  });

  it("a steady target with no alert passes both window checks (and every other)", async () => {
    const { percentage, record, byName } = await promote("genesis-app");
    deepStrictEqual([percentage, record.decision], [10, "promotion"]);
    match(
      byName["scrapes in window"].reason,
      new RegExp(`^target instance="${instance}" answered all \\d+ scrapes in the last 10 s$`),
    );
    strictEqual(
      byName.alerts.reason,
      "no Genesis alert firing in Alertmanager now and none fired in the last 10 s (Prometheus ALERTS)",
    );
  });

  it("a flapping target (500 on /metrics for about 3 s, then up again) blocks, counting the failed scrapes and dating the last", async () => {
    flapping = true;
    await sleep(3000);
    flapping = false;
    await sleep(2500);
    const { percentage, record, byName } = await promote("flappy");
    deepStrictEqual([percentage, record.decision], [5, "blocked"]);
    // up is 1 now: the probe-at-decision-time freshness check alone would have passed.
    strictEqual(byName["data freshness"].verdict, "pass");
    const c = byName["scrapes in window"];
    strictEqual(c.verdict, "fail");
    match(c.value, /^[2-4] of (9|1[0-2]) failed$/);
    match(
      c.reason,
      new RegExp(
        `^target instance="${instance}" failed [2-4] of (9|1[0-2]) scrapes \\(up=0\\) in the last 10 s, the last at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\([1-4] s ago\\)$`,
      ),
    );
    deepStrictEqual(othersNotPassing(record.checks, "scrapes in window"), []);
  });

  it("a Genesis alert firing now in Alertmanager blocks, naming it", async () => {
    const startsAt = new Date().toISOString();
    const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        {
          labels: { alertname: "GenesisErrorRateHigh", severity: "critical", variant: "canary" },
          startsAt,
          // It resolves by itself before the next case.
          endsAt: new Date(Date.now() + 4000).toISOString(),
        },
        { labels: { alertname: "Watchdog" }, startsAt },
      ]),
    });
    strictEqual(res.status, 200);
    const { percentage, record, byName } = await promote("genesis-app");
    deepStrictEqual([percentage, record.decision], [5, "blocked"]);
    deepStrictEqual(
      [byName.alerts.verdict, byName.alerts.value, byName.alerts.reason],
      [
        "fail",
        "GenesisErrorRateHigh",
        `firing now in Alertmanager: GenesisErrorRateHigh (since ${startsAt})`,
      ],
    );
    deepStrictEqual(othersNotPassing(record.checks, "alerts"), []);
  });

  it("a Genesis alert that fired and resolved inside the window blocks, naming it", async () => {
    // Past the posted alert's end: Alertmanager no longer reports it active.
    await sleep(2000);
    condition = 1;
    await sleep(3000);
    condition = 0;
    await sleep(2500);
    const { percentage, record, byName } = await promote("genesis-app");
    deepStrictEqual([percentage, record.decision], [5, "blocked"]);
    strictEqual(byName.alerts.verdict, "fail");
    strictEqual(byName.alerts.value, "GenesisMonitoringTargetDown");
    match(
      byName.alerts.reason,
      /^fired in the last 10 s: GenesisMonitoringTargetDown \(at [1-4] rule evaluations?\)$/,
    );
    deepStrictEqual(othersNotPassing(record.checks, "alerts"), []);
  });
});
