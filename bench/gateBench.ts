/**
 * `npm run bench:gate`: one gate decision against a real Prometheus holding 100, 1,000 and
 * 10,000 series for the application. For each size prints the decision time divided by the
 * slowest single query the gate issues, timed alone (target <= 2x, flat as series grow: the
 * checks run concurrently and every query aggregates inside Prometheus), and the same
 * decision divided by the slowest of all its requests (health probes included).
 *
 * Side by side in the same run, the decision's time with the measures sent as five separate
 * queries and as one query, against the gate's two grouped queries (core/gate/
 * measureGroups.ts). Every server runs in its own process (the synthetic exporters and the
 * Grafana stand-in too), and each variant warms up before it is measured; medians are shown.
 *
 * Then the worst case: the same decision with one endpoint misbehaving (a trickling
 * Prometheus, a silent Prometheus, a silent Node Exporter; test/support/misbehavingServers.ts)
 * side by side with the healthy one, under short deadlines (request 1,000 ms, decision
 * 2,000 ms, 2 retries, so that retries run into the decision's deadline). Prints the worst
 * and median decision time and worst / decisionTimeoutMs (target <= 1.1: a gate that cannot
 * decide blocks on time).
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import { evaluateGateNow, probeHttp, queryPrometheus } from "../io/gateProbe";
import { summarizeVerdict } from "../core/gate/checks";
import { healthProbeUrls } from "../core/gate/healthProbes";
import { GATE_MEASURE_GROUPS, groupedQueries, MeasureGroup } from "../core/gate/measureGroups";
import { buildGateQueries } from "../core/gate/promql";
import { GateSettings } from "../core/gate/types";
import {
  Service,
  startAlertmanager,
  startNodeExporter,
  startPrometheus,
} from "../test/support/processes";
import {
  MisbehavingServer,
  startSilentServer,
  startTrickleServer,
} from "../test/support/misbehavingServers";
import { SERIES_PER_PATH } from "./syntheticExporter";

const SIZES = [100, 1_000, 10_000];
const WINDOW_SECONDS = 8;
/** Unmeasured rounds first, so both the decision and the lone requests run warm. */
const WARMUP_RUNS = 30;
const RUNS = 31;
/** For comparison, side by side: each measure its own query, and all of them in one query. */
const SEPARATE: readonly MeasureGroup[] = GATE_MEASURE_GROUPS.flat().map((m) => [m]);
const SINGLE: readonly MeasureGroup[] = [GATE_MEASURE_GROUPS.flat()];

/**
 * Starts a synthetic exporter with `what` paths' worth of the application's metrics, or
 * (`grafana`) a Grafana health stand-in, each in its own process.
 */
async function startSynthetic(
  what: number | "grafana",
): Promise<{ instance: string; stop(): Promise<void> }> {
  const child = fork(path.join(__dirname, "syntheticExporter.ts"), [String(what)], {
    execArgv: ["-r", "ts-node/register/transpile-only"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve(Number(m)));
    child.once("exit", (code) => reject(new Error(`synthetic exporter exited with ${code}`)));
  });
  return {
    instance: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The worst case's deadlines: short, so that the section takes seconds, not minutes. */
const WORST_CASE = { requestTimeoutMs: 1_000, decisionTimeoutMs: 2_000, retries: 2, runs: 5 };

/** One row per variant: the decision with one endpoint replaced by a misbehaving server. */
async function worstCase(healthy: GateSettings): Promise<void> {
  const trickle = await startTrickleServer();
  const silent = await startSilentServer();
  const servers: MisbehavingServer[] = [trickle, silent];
  try {
    const base: GateSettings = {
      ...healthy,
      requestTimeoutMs: WORST_CASE.requestTimeoutMs,
      decisionTimeoutMs: WORST_CASE.decisionTimeoutMs,
      retries: WORST_CASE.retries,
    };
    const variants: readonly [string, GateSettings][] = [
      ["healthy", base],
      [
        "trickling Prometheus",
        { ...base, endpoints: { ...base.endpoints, prometheusUrl: trickle.url } },
      ],
      [
        "silent Prometheus",
        { ...base, endpoints: { ...base.endpoints, prometheusUrl: silent.url } },
      ],
      [
        "silent Node Exporter",
        { ...base, endpoints: { ...base.endpoints, nodeExporterUrl: silent.url } },
      ],
    ];
    console.log(
      `\nworst case (requestTimeoutMs ${base.requestTimeoutMs}, decisionTimeoutMs ${base.decisionTimeoutMs}, retries ${base.retries}, ${WORST_CASE.runs} runs each)`,
    );
    console.log(
      "endpoint               worst_ms  median_ms  worst/decisionTimeoutMs  verdict (not pass: blocks)",
    );
    for (const [name, settings] of variants) {
      const times: number[] = [];
      let verdict = "";
      for (let r = 0; r < WORST_CASE.runs; r++) {
        const t0 = performance.now();
        const checks = await evaluateGateNow(settings, 50, Date.now() - 3600_000, Date.now());
        times.push(performance.now() - t0);
        verdict = summarizeVerdict(checks);
      }
      const worst = Math.max(...times);
      console.log(
        [
          name.padEnd(21),
          worst.toFixed(0).padStart(9),
          median(times).toFixed(0).padStart(10),
          `${(worst / settings.decisionTimeoutMs).toFixed(3)}`.padStart(23),
          ` ${verdict}`,
        ].join("  "),
      );
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

async function run(): Promise<void> {
  const apps = await Promise.all(
    SIZES.map((n) => startSynthetic(Math.max(1, Math.round(n / SERIES_PER_PATH)))),
  );
  const grafana = await startSynthetic("grafana");
  apps.push(grafana);
  const started: Service[] = [];
  try {
    const [prometheus, alertmanager, nodeExporter] = await Promise.all([
      startPrometheus(
        apps.slice(0, SIZES.length).map((a) => a.instance),
        1,
      ),
      startAlertmanager(),
      startNodeExporter(),
    ]);
    started.push(prometheus, alertmanager, nodeExporter);
    process.stderr.write(`waiting ${WINDOW_SECONDS + 3} s for a full window of scrapes...\n`);
    await new Promise((r) => setTimeout(r, (WINDOW_SECONDS + 3) * 1000));
    console.log(
      "series  decision_ms  slowest_query_ms  decision/query  slowest_request_ms  decision/request  separate_5_ms  single_1_ms  verdicts (grouped/separate/single)",
    );
    let healthyAtSmallest: GateSettings | undefined;
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
        appJob: "genesis-app",
        statusLabel: "code",
        endpoints: {
          prometheusUrl: prometheus.url,
          grafanaUrl: `http://${grafana.instance}`,
          alertmanagerUrl: alertmanager.url,
          nodeExporterUrl: nodeExporter.url,
          appHealthUrl: `http://${instance}/health`,
        },
        requestTimeoutMs: 10_000,
        decisionTimeoutMs: 30_000,
        retries: 0,
      };
      const count = await queryPrometheus(
        prometheus.url,
        `count({instance="${instance}",__name__=~"http_.*"})`,
        10_000,
        0,
      );
      const series = count.kind === "samples" ? count.samples[0].value : NaN;
      // The queries the gate issues, each timed alone: the ratio's denominator.
      const queries = groupedQueries(buildGateQueries(settings, WINDOW_SECONDS));
      const probeUrls = Object.values(healthProbeUrls(settings.endpoints));
      const decide = async (groups: readonly MeasureGroup[]) => {
        const t0 = performance.now();
        const checks = await evaluateGateNow(
          settings,
          50,
          Date.now() - 3600_000,
          Date.now(),
          groups,
        );
        return { ms: performance.now() - t0, checks };
      };
      const samples = {
        decision: [] as number[],
        slowestQuery: [] as number[],
        slowestRequest: [] as number[],
        separate: [] as number[],
        single: [] as number[],
      };
      let verdicts = "";
      for (let r = 0; r < WARMUP_RUNS + RUNS; r++) {
        const measured = r >= WARMUP_RUNS;
        const { ms, checks } = await decide(GATE_MEASURE_GROUPS);
        const separate = await decide(SEPARATE);
        const single = await decide(SINGLE);
        verdicts = [checks, separate.checks, single.checks]
          .map((cs) =>
            cs.every((c) => c.verdict === "pass")
              ? "pass"
              : cs
                  .filter((c) => c.verdict !== "pass")
                  .map((c) => `${c.name}:${c.verdict}`)
                  .join(","),
          )
          .join("/");
        let worst = 0;
        for (const q of queries) {
          const q0 = performance.now();
          await queryPrometheus(prometheus.url, q, 10_000, 0);
          worst = Math.max(worst, performance.now() - q0);
        }
        const worstQuery = worst;
        for (const u of probeUrls) {
          const p0 = performance.now();
          await probeHttp(u, 10_000, 0);
          worst = Math.max(worst, performance.now() - p0);
        }
        if (measured) {
          samples.decision.push(ms);
          samples.slowestQuery.push(worstQuery);
          samples.slowestRequest.push(worst);
          samples.separate.push(separate.ms);
          samples.single.push(single.ms);
        }
      }
      const d = median(samples.decision);
      const s = median(samples.slowestQuery);
      const sr = median(samples.slowestRequest);
      console.log(
        [
          String(series).padEnd(6),
          d.toFixed(1).padStart(11),
          s.toFixed(1).padStart(16),
          `${(d / s).toFixed(2)}x`.padStart(14),
          sr.toFixed(1).padStart(18),
          `${(d / sr).toFixed(2)}x`.padStart(16),
          median(samples.separate).toFixed(1).padStart(14),
          median(samples.single).toFixed(1).padStart(12),
          `${verdicts} (target ${size})`,
        ].join("  "),
      );
      if (i === 0) healthyAtSmallest = settings;
    }
    if (healthyAtSmallest !== undefined) await worstCase(healthyAtSmallest);
  } finally {
    await Promise.all(started.map((s) => s.stop()));
    await Promise.all(apps.map((a) => a.stop()));
  }
}

run().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
