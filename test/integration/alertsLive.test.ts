/**
 * The rendered rules and Alertmanager configuration working together, live: a real
 * Prometheus (1 s scrapes) loads the rendered rule files, scrapes the reference service and
 * sends to a real Alertmanager running the rendered alertmanager.yml, all on random loopback
 * ports. A canary answering half its requests with 500 fires GenesisErrorRateSevere, which
 * Alertmanager routes to both receivers and which suppresses GenesisErrorRateHigh once that
 * catches up; a service that stops answering fires GenesisHealthCheckFailing.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunningApp, startApp } from "../../app/server";
import { renderAlertmanagerConfig } from "../../core/render/alertmanagerConfig";
import { renderFlagdFlags } from "../../core/render/flagdFlags";
import { renderPrometheusRules } from "../../core/render/prometheusRules";
import { Service, startAlertmanager, startLoad, startPrometheus } from "../support/processes";
import { completedStack } from "../support/stacks";

interface PromAlert {
  labels: Record<string, string>;
  state: string;
}
interface AmAlert {
  labels: Record<string, string>;
  receivers: { name: string }[];
  status: { state: string };
}

/** Polls `probe` every 250 ms until it returns a value, or throws `what` after `timeoutMs`. */
async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

describe("rendered rules and routing, live (real Prometheus and Alertmanager, integration)", function () {
  this.timeout(90_000);
  // The rules select the application by job and target: the target is known once it runs.
  let config = completedStack("staging", {
    scrapeIntervalSeconds: 1,
    validationWindowSeconds: 6,
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-alerts-live-"));
  let app: RunningApp | undefined;
  let load: { stop(): Promise<void> } | undefined;
  let prometheus: Service | undefined;
  let alertmanager: Service | undefined;

  const firing = async (alertname: string): Promise<PromAlert | undefined> => {
    const res = await fetch(`${prometheus!.url}/api/v1/alerts`);
    const body = (await res.json()) as { data: { alerts: PromAlert[] } };
    return body.data.alerts.find((a) => a.labels.alertname === alertname && a.state === "firing");
  };
  const inAlertmanager = async (alertname: string): Promise<AmAlert | undefined> => {
    const res = await fetch(`${alertmanager!.url}/api/v2/alerts`);
    const body = (await res.json()) as AmAlert[];
    return body.find((a) => a.labels.alertname === alertname);
  };

  before(async () => {
    const flagFile = path.join(dir, "flags.json");
    writeFileSync(flagFile, renderFlagdFlags(100));
    app = await startApp({
      flagFile,
      port: 0,
      name: "alerts-live",
      faults: { canary: { errorPercent: 50, clientErrorPercent: 0, latencyMs: 0 } },
    });
    config = completedStack("staging", {
      scrapeIntervalSeconds: 1,
      validationWindowSeconds: 6,
      appMetricsTarget: app.instance,
    });
    alertmanager = await startAlertmanager(renderAlertmanagerConfig(config));
    const ruleFiles = Object.fromEntries(
      renderPrometheusRules(config).map((f) => [f.fileName, f.content]),
    );
    prometheus = await startPrometheus([app.instance], 1, {
      ruleFiles,
      alertmanager: `127.0.0.1:${alertmanager.port}`,
      externalLabels: { environment: config.environment },
    });
    load = startLoad(`http://${app.instance}`, 50);
  });

  after(async () => {
    await load?.stop();
    await prometheus?.stop();
    await alertmanager?.stop();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("50% canary errors fire GenesisErrorRateSevere, routed to PagerDuty and e-mail", async () => {
    const started = Date.now();
    const alert = await eventually("GenesisErrorRateSevere firing", 30_000, () =>
      firing("GenesisErrorRateSevere"),
    );
    deepStrictEqual(
      [alert.labels.severity, alert.labels.action, alert.labels.variant],
      ["critical", "rollback", "canary"],
    );
    const routed = await eventually("GenesisErrorRateSevere in Alertmanager", 20_000, () =>
      inAlertmanager("GenesisErrorRateSevere"),
    );
    deepStrictEqual(
      routed.receivers.map((r) => r.name),
      ["oncall-pagerduty", "deployment-lead-email"],
    );
    deepStrictEqual(routed.labels.environment, "staging");
    ok(Date.now() - started < 30_000);
  });

  it("GenesisErrorRateHigh catches up after the window and is suppressed by the severe alert", async () => {
    await eventually("GenesisErrorRateHigh firing", 30_000, () => firing("GenesisErrorRateHigh"));
    const high = await eventually(
      "GenesisErrorRateHigh suppressed in Alertmanager",
      20_000,
      async () => {
        const a = await inAlertmanager("GenesisErrorRateHigh");
        return a?.status.state === "suppressed" ? a : undefined;
      },
    );
    deepStrictEqual(high.labels.variant, "canary");
  });

  it("a service that stops answering fires GenesisHealthCheckFailing", async () => {
    await load?.stop();
    load = undefined;
    await app?.stop();
    app = undefined;
    const alert = await eventually("GenesisHealthCheckFailing firing", 30_000, () =>
      firing("GenesisHealthCheckFailing"),
    );
    deepStrictEqual([alert.labels.job, alert.labels.severity], ["genesis-app", "critical"]);
  });
});
