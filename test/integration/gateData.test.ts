/**
 * Data the gate must not trust, in a real Prometheus (Debian's 2.42) scraping a synthetic
 * exporter every second, judged by the serialized gate in Pulumi's own dynamic-provider
 * host. One exporter serves four jobs on one target, so all four share its `instance` label:
 * - `genesis-app`: the application, 5 % canary 5xx;
 * - `busy`: another service on the same target, 2,000 healthy requests a second;
 * - `blind`: every request takes 2 s, but the histogram's highest finite edge is 0.25 s;
 * - `nostatus`: a request counter without the status-code label.
 * The other four health probes answer for real (Prometheus, Alertmanager, Node Exporter) or
 * from the Grafana stand-in, so the only failing check of each case is the one under test.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { queryPrometheus } from "../../io/gateProbe";
import { CheckResult, GateSettings } from "../../core/gate/types";
import { captureRolloutGate } from "../support/captureGate";
import { runGenesis as genesis } from "../support/genesisCli";
import { gateSettingsFor, promoteThroughHost } from "../support/gateHarness";
import { ProviderHost } from "../support/providerHost";
import {
  Service,
  startAlertmanager,
  startGrafanaStandIn,
  startNodeExporter,
  startPrometheus,
} from "../support/processes";

const WINDOW_SECONDS = 6;
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Requests a second of each variant, and how the synthetic jobs answer. */
const RATE = 20;

type Job = "genesis-app" | "busy" | "blind" | "nostatus";

/** The exposition text of `job` after `t` seconds: counters grow at a steady rate. */
function exposition(job: Job, t: number): string {
  const n = (perSecond: number) => Math.floor(perSecond * t);
  const lines: string[] = ["# TYPE http_requests_total counter"];
  const histogram = (variant: string, edges: readonly string[], fastUpTo: string | undefined) => {
    const total = n(RATE);
    for (const le of edges) {
      const fast = fastUpTo !== undefined && Number(le) >= Number(fastUpTo);
      lines.push(
        `http_request_duration_seconds_bucket{variant="${variant}",le="${le}"} ${fast ? total : 0}`,
      );
    }
    lines.push(`http_request_duration_seconds_bucket{variant="${variant}",le="+Inf"} ${total}`);
    lines.push(`http_request_duration_seconds_count{variant="${variant}"} ${total}`);
  };
  const edges = ["0.05", "0.1", "0.25", "0.5", "1"];
  switch (job) {
    case "genesis-app":
      lines.push(
        `http_requests_total{code="200",variant="canary"} ${n(RATE * 0.95)}`,
        `http_requests_total{code="500",variant="canary"} ${n(RATE * 0.05)}`,
        `http_requests_total{code="200",variant="stable"} ${n(RATE)}`,
        "# TYPE http_request_duration_seconds histogram",
      );
      histogram("canary", edges, "0.05");
      histogram("stable", edges, "0.05");
      break;
    case "busy":
      lines.push(`http_requests_total{code="200",variant="canary"} ${n(2000)}`);
      break;
    case "blind":
      lines.push(
        `http_requests_total{code="200",variant="canary"} ${n(RATE)}`,
        `http_requests_total{code="200",variant="stable"} ${n(RATE)}`,
        "# TYPE http_request_duration_seconds histogram",
      );
      // Every request takes 2 s: all of them land in +Inf.
      histogram("canary", ["0.05", "0.1", "0.25"], undefined);
      histogram("stable", ["0.05", "0.1", "0.25"], undefined);
      break;
    case "nostatus":
      lines.push(
        `http_requests_total{variant="canary"} ${n(RATE)}`,
        `http_requests_total{variant="stable"} ${n(RATE)}`,
        "# TYPE http_request_duration_seconds histogram",
      );
      histogram("canary", edges, "0.05");
      histogram("stable", edges, "0.05");
      break;
  }
  return `${lines.join("\n")}\n`;
}

describe("the gate refuses data it cannot trust (real Prometheus, dynamic-provider host, integration)", function () {
  this.timeout(60_000);
  const started = Date.now();
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

  /** Every check but `name` passed: the case fails on the fault under test alone. */
  const othersPass = (checks: readonly CheckResult[], ...names: string[]) =>
    deepStrictEqual(
      checks.filter((c) => !names.includes(c.name) && c.verdict !== "pass"),
      [],
    );

  before(async () => {
    exporter = http.createServer((req, res) => {
      const t = (Date.now() - started) / 1000;
      const url = new URL(req.url ?? "/", "http://exporter");
      if (url.pathname === "/health") {
        res.setHeader("content-type", "application/json");
        res.end('{"status":"UP"}');
        return;
      }
      // The application is genesis-app's default path; the others have their own.
      const job = (
        url.pathname === "/metrics" ? "genesis-app" : url.pathname.replace(/^\/metrics\//, "")
      ) as Job;
      if (!["genesis-app", "busy", "blind", "nostatus"].includes(job)) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader("content-type", "text/plain; version=0.0.4");
      res.end(exposition(job, t));
    });
    await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", () => r()));
    instance = `127.0.0.1:${(exporter.address() as net.AddressInfo).port}`;
    const jobs = (["busy", "blind", "nostatus"] as const).map((job) => ({
      job,
      metricsPath: `/metrics/${job}`,
      targets: [instance],
    }));
    [alertmanager, nodeExporter, grafana] = await Promise.all([
      startAlertmanager(),
      startNodeExporter(),
      startGrafanaStandIn(),
    ]);
    prometheus = await startPrometheus([instance], 1, { extraJobs: jobs });
    provider = (await captureRolloutGate(5, settingsFor("genesis-app"))).inputs
      .__provider as string;
    host = await ProviderHost.start();
    // A full validation window of scrapes, plus two of margin.
    await new Promise((r) => setTimeout(r, (WINDOW_SECONDS + 2) * 1000));
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

  it("two jobs sharing an instance label: the busy neighbour does not dilute the canary's errors", async () => {
    // What selecting by instance alone would have read: the neighbour's 2,000 healthy
    // requests a second hide the application's 5 % canary errors under the 1 % threshold.
    const byInstance = await queryPrometheus(
      prometheus.url,
      `sum(increase(http_requests_total{instance="${instance}",variant="canary",code=~"5.."}[${WINDOW_SECONDS}s])) / sum(increase(http_requests_total{instance="${instance}",variant="canary"}[${WINDOW_SECONDS}s]))`,
      2000,
      0,
    );
    ok(
      byInstance.kind === "samples" && byInstance.samples[0].value < 0.01,
      JSON.stringify(byInstance),
    );
    const { percentage, record, byName } = await promote("genesis-app");
    deepStrictEqual([percentage, record.decision], [5, "blocked"]);
    strictEqual(byName["error rate"].verdict, "fail");
    match(byName["error rate"].reason, /^canary error rate [3-7]\.\d+% >= threshold 1\.00%$/);
    othersPass(record.checks, "error rate", "canary vs stable");
  });

  it("a histogram without a bucket edge at or above the threshold is blind: inconclusive, naming its buckets", async () => {
    // histogram_quantile answers the highest finite edge (250 ms) though every request took 2 s.
    const p95 = await queryPrometheus(
      prometheus.url,
      `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="blind",instance="${instance}",variant="canary"}[${WINDOW_SECONDS}s])))`,
      2000,
      0,
    );
    ok(p95.kind === "samples" && p95.samples[0].value === 0.25, JSON.stringify(p95));
    const { percentage, record, byName } = await promote("blind");
    deepStrictEqual([percentage, record.decision], [5, "blocked"]);
    strictEqual(byName["p95 latency"].verdict, "inconclusive");
    match(byName["p95 latency"].reason, /0\.05, 0\.1, 0\.25/);
    match(byName["p95 latency"].reason, /0\.5 s/);
    othersPass(record.checks, "p95 latency");
  });

  it("a request counter without the status-code label cannot show errors: inconclusive, naming the label", async () => {
    const { percentage, record, byName } = await promote("nostatus");
    deepStrictEqual([percentage, record.decision], [5, "blocked"]);
    strictEqual(byName["error rate"].verdict, "inconclusive");
    match(byName["error rate"].reason, /\bcode\b/);
    match(byName["error rate"].reason, /genesis:appStatusLabel/);
    othersPass(record.checks, "error rate", "canary vs stable");
  });
  describe("through the CLI (genesis gate, the job from genesis:appMetricsJob)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-gate-data-cli-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const gate = async (job: Job) => {
      const s = settingsFor(job);
      copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      writeFileSync(
        path.join(dir, `Pulumi.${job}.yaml`),
        [
          "config:",
          "  genesis:environment: staging",
          "  genesis:rolloutPercentage: 5",
          "  genesis:scrapeIntervalSeconds: 1",
          `  genesis:validationWindowSeconds: ${WINDOW_SECONDS}`,
          "  genesis:minRequestCount: 20",
          `  genesis:appMetricsJob: ${job}`,
          `  genesis:appMetricsTarget: "${instance}"`,
          `  genesis:prometheusUrl: "${s.endpoints.prometheusUrl}"`,
          `  genesis:grafanaUrl: "${s.endpoints.grafanaUrl}"`,
          `  genesis:alertmanagerUrl: "${s.endpoints.alertmanagerUrl}"`,
          `  genesis:nodeExporterUrl: "${s.endpoints.nodeExporterUrl}"`,
          `  genesis:appHealthUrl: "${s.endpoints.appHealthUrl}"`,
          "",
        ].join("\n"),
      );
      const since = new Date(Date.now() - (WINDOW_SECONDS + 10) * 1000).toISOString();
      const run = await genesis([
        "gate",
        "--stack",
        job,
        "--project-dir",
        dir,
        "--from",
        "5",
        "--live-since",
        since,
        "--json",
      ]);
      const out = JSON.parse(run.stdout) as { verdict: string; checks: CheckResult[] };
      return {
        code: run.code,
        verdict: out.verdict,
        byName: Object.fromEntries(out.checks.map((c) => [c.name, c])),
      };
    };

    it("the busy neighbour: error rate fails (exit 1)", async () => {
      const r = await gate("genesis-app");
      deepStrictEqual([r.code, r.verdict, r.byName["error rate"].verdict], [1, "fail", "fail"]);
    });

    it("the blind histogram: P95 inconclusive (exit 2), naming the buckets", async () => {
      const r = await gate("blind");
      deepStrictEqual(
        [r.code, r.verdict, r.byName["p95 latency"].verdict],
        [2, "inconclusive", "inconclusive"],
      );
      match(r.byName["p95 latency"].reason, /0\.05, 0\.1, 0\.25/);
    });

    it("no status label: error rate inconclusive (exit 2), naming genesis:appStatusLabel", async () => {
      const r = await gate("nostatus");
      deepStrictEqual(
        [r.code, r.verdict, r.byName["error rate"].verdict],
        [2, "inconclusive", "inconclusive"],
      );
      match(r.byName["error rate"].reason, /genesis:appStatusLabel/);
    });
  });
});
