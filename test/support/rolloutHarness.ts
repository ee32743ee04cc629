/**
 * A whole rollout against real tools, for the rollout benchmark and integration test:
 * Prometheus (Debian's, scraping every second), Alertmanager, Node Exporter and a Grafana
 * stand-in on random loopback ports; the reference service under steady load; and the
 * rollout driver with the real bake probes, whose stack is an in-process one (its `up` runs
 * the gate's real probes and decision, then rewrites the flag file the service reads) in
 * place of the Pulumi CLI. Everything started is stopped by {@link RolloutWorld.stop}.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startApp, RunningApp } from "../../app/server";
import { evaluateGateNow, queryPrometheus } from "../../io/gateProbe";
import { parseStackConfig, StackConfig } from "../../core/config/stackConfig";
import { gateSettingsFromConfig } from "../../core/gate/gateSettings";
import { renderFlagdFlags } from "../../core/render/flagdFlags";
import { GateSettings } from "../../core/gate/types";
import { bakeRulesFromConfig } from "../../core/rollout/bakeRules";
import { measureBake } from "../../cli/rollout/bakeProbe";
import { RolloutResult, runRollout, SYSTEM_CLOCK } from "../../cli/rollout/driver";
import { inProcessStack, InProcessStack } from "./inProcessStack";
import {
  Service,
  startAlertmanager,
  startGrafanaStandIn,
  startLoad,
  startNodeExporter,
  startPrometheus,
} from "./processes";

/** The running tools. */
export interface RolloutWorld {
  /** The reference service. */
  readonly app: RunningApp;
  /** Prometheus. */
  readonly prometheus: Service;
  /** The flag file the service reads. */
  readonly flagFile: string;
  /** The URLs the gate and the bake reach. */
  readonly endpoints: GateSettings["endpoints"];
  /** Stops everything. */
  stop(): Promise<void>;
}

/**
 * Starts the tools and `requestsPerSecond` of steady load on the reference service, whose
 * flag starts at `percentage` (the service notices a rewritten flag file within about 5 s:
 * flagd's offline file source polls it).
 */
export async function startRolloutWorld(
  requestsPerSecond: number,
  percentage = 0,
): Promise<RolloutWorld> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-rollout-world-"));
  const flagFile = path.join(dir, "flags.json");
  writeFileSync(flagFile, renderFlagdFlags(percentage));
  const app = await startApp({ flagFile, port: 0, name: "rollout" });
  const started: Service[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((s) => s.stop()));
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [prometheus, alertmanager, nodeExporter, grafana] = await Promise.all([
      startPrometheus([app.instance], 1),
      startAlertmanager(),
      startNodeExporter(),
      startGrafanaStandIn(),
    ]);
    started.push(prometheus, alertmanager, nodeExporter, grafana);
    const load = startLoad(`http://${app.instance}`, requestsPerSecond);
    return {
      app,
      prometheus,
      flagFile,
      endpoints: {
        prometheusUrl: prometheus.url,
        grafanaUrl: grafana.url,
        alertmanagerUrl: alertmanager.url,
        nodeExporterUrl: nodeExporter.url,
        appHealthUrl: `http://${app.instance}/health`,
      },
      async stop() {
        await load.stop();
        await stopAll();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * Waits until Prometheus has scraped the service for `seconds` (its first scrape may come up
 * to one interval after start), so that a window's queries have data.
 */
export async function waitForScrapes(world: RolloutWorld, seconds: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  const query = `count_over_time(up{instance="${world.app.instance}"}[${seconds + 1}s])`;
  while (Date.now() < deadline) {
    const o = await queryPrometheus(world.endpoints.prometheusUrl, query, 2000, 0);
    if (o.kind === "samples" && o.samples[0].value >= seconds) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Prometheus did not scrape ${world.app.instance} for ${seconds} s within 30 s`);
}

/** A stack config for the world: 1 s scrapes, `windowSeconds` windows, auto-rollback on. */
export function worldConfig(
  world: RolloutWorld,
  windowSeconds: number,
  minRequestCount: number,
): StackConfig {
  return parseStackConfig({
    values: {
      environment: "staging",
      validationWindowSeconds: windowSeconds,
      scrapeIntervalSeconds: 1,
      minRequestCount,
      autoRollback: true,
      cooldownSeconds: 60,
      appMetricsTarget: world.app.instance,
      prometheusUrl: world.endpoints.prometheusUrl,
      grafanaUrl: world.endpoints.grafanaUrl,
      alertmanagerUrl: world.endpoints.alertmanagerUrl,
      nodeExporterUrl: world.endpoints.nodeExporterUrl,
      appHealthUrl: world.endpoints.appHealthUrl,
    },
    secrets: { grafanaAdminPassword: "encrypted" },
  });
}

/** One driver run on the world from `percentage` (live since `liveSinceMs`). */
export async function runWorldRollout(
  world: RolloutWorld,
  cfg: StackConfig,
  percentage: number,
  liveSinceMs: number,
  log: (line: string) => void = () => undefined,
): Promise<{ result: RolloutResult; stack: InProcessStack; startedMs: number; endedMs: number }> {
  const settings: GateSettings = {
    ...gateSettingsFromConfig(cfg),
    requestTimeoutMs: 2000,
    retries: 0,
  };
  const rules = bakeRulesFromConfig(cfg);
  const stack = inProcessStack({
    name: "bench",
    percentage,
    liveSinceMs,
    settings,
    nowMs: () => Date.now(),
    evaluate: evaluateGateNow,
    flagFile: world.flagFile,
  });
  const files = new Map<string, string>();
  const startedMs = Date.now();
  const result = await runRollout(
    {
      stack: "bench",
      environment: cfg.environment,
      plannedSteps: cfg.rollout.steps,
      stackSteps: cfg.rollout.steps,
      rules,
      autoRollback: cfg.rollout.autoRollback,
      dryRun: false,
      reportDir: "/reports",
      roles: { ...cfg.roles },
    },
    {
      stack,
      measure: (p, now) => measureBake(settings, rules, p, now),
      clock: SYSTEM_CLOCK,
      display: { bake: () => undefined, endBake: () => undefined, log },
      signal: new AbortController().signal,
      writeFile: async (f, t) => {
        files.set(f, t);
      },
    },
  );
  return { result, stack, startedMs, endedMs: Date.now() };
}
