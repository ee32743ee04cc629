/**
 * `npm run bench:gate`: one gate decision against a real Prometheus holding 100, 1,000 and
 * 10,000 series for the application. For each size prints the decision time divided by the
 * slowest single query the gate issues (target <= 2x, flat as series grow: the checks run
 * concurrently and every query aggregates inside Prometheus).
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { evaluateGateNow, probeHttp, queryPrometheus } from "../components/gates/gateProbe";
import { buildGateQueries } from "../core/gate/promql";
import { GateSettings } from "../core/gate/types";
import {
  Service,
  startAlertmanager,
  startGrafanaStandIn,
  startNodeExporter,
  startPrometheus,
} from "../test/support/processes";

const SIZES = [100, 1_000, 10_000];
const WINDOW_SECONDS = 8;
const RUNS = 7;
const LE = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
/** Series per path: 2 codes x 2 variants counters, and per variant 12 buckets + sum + count. */
const SERIES_PER_PATH = 4 + 2 * (LE.length + 2);

/** A synthetic exporter with `paths` paths' worth of the application's metrics, growing. */
async function startSyntheticApp(
  paths: number,
): Promise<{ instance: string; stop(): Promise<void> }> {
  const started = Date.now();
  const server = http.createServer((req, res) => {
    if (req.url === "/health") {
      res.end('{"status":"ok"}');
      return;
    }
    const t = (Date.now() - started) / 1000;
    const lines: string[] = [];
    for (let p = 0; p < paths; p++) {
      for (const variant of ["stable", "canary"]) {
        const total = Math.floor(t * 10);
        lines.push(`http_requests_total{code="200",path="/p${p}",variant="${variant}"} ${total}`);
        lines.push(`http_requests_total{code="500",path="/p${p}",variant="${variant}"} 0`);
        LE.forEach((le, i) => {
          const share = Math.min(1, (i + 1) / 6);
          const n = le === "+Inf" ? total : Math.floor(total * share);
          lines.push(
            `http_request_duration_seconds_bucket{le="${le}",path="/p${p}",variant="${variant}"} ${n}`,
          );
        });
        lines.push(
          `http_request_duration_seconds_sum{path="/p${p}",variant="${variant}"} ${total * 0.05}`,
        );
        lines.push(
          `http_request_duration_seconds_count{path="/p${p}",variant="${variant}"} ${total}`,
        );
      }
    }
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(`${lines.join("\n")}\n`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    instance: `127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(): Promise<void> {
  const apps = await Promise.all(
    SIZES.map((n) => startSyntheticApp(Math.max(1, Math.round(n / SERIES_PER_PATH)))),
  );
  const started: Service[] = [];
  try {
    const [prometheus, alertmanager, nodeExporter, grafana] = await Promise.all([
      startPrometheus(
        apps.map((a) => a.instance),
        1,
      ),
      startAlertmanager(),
      startNodeExporter(),
      startGrafanaStandIn(),
    ]);
    started.push(prometheus, alertmanager, nodeExporter, grafana);
    process.stderr.write(`waiting ${WINDOW_SECONDS + 3} s for a full window of scrapes...\n`);
    await new Promise((r) => setTimeout(r, (WINDOW_SECONDS + 3) * 1000));
    console.log(
      "series  decision_ms  slowest_query_ms  decision/query  slowest_request_ms  decision/request  verdict",
    );
    for (const [i, size] of SIZES.entries()) {
      const instance = apps[i].instance;
      const settings: GateSettings = {
        steps: [0, 5, 10, 25, 50, 75, 100],
        allowStepSkip: false,
        cooldownSeconds: 60,
        overrideReason: "",
        errorRateThresholdPercent: 1,
        latencyP95ThresholdMs: 500,
        validationWindowSeconds: WINDOW_SECONDS,
        minRequestCount: 1,
        canaryErrorMarginPercent: 0.5,
        scrapeIntervalSeconds: 1,
        appInstance: instance,
        endpoints: {
          prometheusUrl: prometheus.url,
          grafanaUrl: grafana.url,
          alertmanagerUrl: alertmanager.url,
          nodeExporterUrl: nodeExporter.url,
          appHealthUrl: `http://${instance}/health`,
        },
        requestTimeoutMs: 10_000,
        retries: 0,
      };
      const count = await queryPrometheus(
        prometheus.url,
        `count({instance="${instance}",__name__=~"http_.*"})`,
        10_000,
        0,
      );
      const series = count.kind === "samples" ? count.samples[0].value : NaN;
      const queries = Object.values(buildGateQueries(instance, WINDOW_SECONDS));
      const decisions: number[] = [];
      const slowest: number[] = [];
      const slowestRequest: number[] = [];
      const probeUrls = [
        `${prometheus.url}/-/healthy`,
        `${grafana.url}/api/health`,
        `${alertmanager.url}/-/ready`,
        `${nodeExporter.url}/metrics`,
        `http://${instance}/health`,
      ];
      let verdicts = "";
      for (let r = 0; r < RUNS; r++) {
        const t0 = performance.now();
        const checks = await evaluateGateNow(settings, 50, Date.now() - 3600_000, Date.now());
        decisions.push(performance.now() - t0);
        verdicts = checks.every((c) => c.verdict === "pass")
          ? "pass"
          : checks
              .filter((c) => c.verdict !== "pass")
              .map((c) => `${c.name}:${c.verdict}`)
              .join(",");
        let worst = 0;
        for (const q of queries) {
          const q0 = performance.now();
          await queryPrometheus(prometheus.url, q, 10_000, 0);
          worst = Math.max(worst, performance.now() - q0);
        }
        slowest.push(worst);
        for (const u of probeUrls) {
          const p0 = performance.now();
          await probeHttp(u, 10_000, 0);
          worst = Math.max(worst, performance.now() - p0);
        }
        slowestRequest.push(worst);
      }
      const d = median(decisions);
      const s = median(slowest);
      const sr = median(slowestRequest);
      console.log(
        [
          String(series).padEnd(6),
          d.toFixed(1).padStart(11),
          s.toFixed(1).padStart(16),
          `${(d / s).toFixed(2)}x`.padStart(14),
          sr.toFixed(1).padStart(18),
          `${(d / sr).toFixed(2)}x`.padStart(16),
          `${verdicts} (target ${size})`,
        ].join("  "),
      );
    }
  } finally {
    await Promise.all(started.map((s) => s.stop()));
    await Promise.all(apps.map((a) => a.stop()));
  }
}

run().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
