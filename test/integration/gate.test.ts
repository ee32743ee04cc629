/**
 * The gate against real tools: Prometheus 2.42, Alertmanager and Node Exporter from
 * Debian's packages on random loopback ports, scraping five instances of the reference
 * service every second (healthy, 2 % canary 5xx, slow canary, no traffic, canary 4xx only),
 * plus a stand-in for Grafana's /api/health. Then Pulumi's own dynamic-provider host runs the
 * serialized gate, and finally Prometheus is stopped.
 */
import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ServiceError } from "@grpc/grpc-js";
import { startApp, RunningApp } from "../../app/server";
import { evaluateGateNow } from "../../io/gateProbe";
import { summarizeVerdict } from "../../core/gate/checks";
import { renderFlagdFlags } from "../../core/render/flagdFlags";
import { CheckResult, GateSettings, GateState } from "../../core/gate/types";
import { runGenesis as genesis } from "../support/genesisCli";
import { captureProgram } from "../../program/captureProgram";
import { stackCaptureConfig } from "../../cli/stackCapture";
import { initFailureProperties, ProviderHost } from "../support/providerHost";
import {
  Service,
  startAlertmanager,
  startGrafanaStandIn,
  startLoad,
  startNodeExporter,
  startPrometheus,
} from "../support/processes";

const WINDOW_SECONDS = 8;
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

type Scenario = "healthy" | "errors" | "slow" | "idle" | "clientErrors";

describe("rollout gate against a real Prometheus (integration)", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-gate-it-"));
  const flagFile = path.join(dir, "flags.json");
  const apps = {} as Record<Scenario, RunningApp>;
  const loads: { stop(): Promise<void> }[] = [];
  let prometheus: Service;
  let alertmanager: Service;
  let nodeExporter: Service;
  let grafana: Service & { setDatabaseOk(ok: boolean): void };
  let host: ProviderHost | undefined;

  const settingsFor = (scenario: Scenario): GateSettings => ({
    steps: [0, 5, 10, 25, 50, 75, 100],
    allowStepSkip: false,
    cooldownSeconds: 60,
    overrideReason: "",
    errorRateThresholdPercent: 1,
    latencyP95ThresholdMs: 500,
    validationWindowSeconds: WINDOW_SECONDS,
    minRequestCount: 40,
    canaryErrorMarginPercent: 0.5,
    scrapeIntervalSeconds: 1,
    appInstance: apps[scenario].instance,
    appJob: "genesis-app",
    statusLabel: "code",
    endpoints: {
      prometheusUrl: prometheus.url,
      grafanaUrl: grafana.url,
      alertmanagerUrl: alertmanager.url,
      nodeExporterUrl: nodeExporter.url,
      appHealthUrl: `http://${apps[scenario].instance}/health`,
    },
    requestTimeoutMs: 2000,
    decisionTimeoutMs: 30_000,
    retries: 1,
  });
  const liveLongEnough = () => Date.now() - (WINDOW_SECONDS + 5) * 1000;
  const judge = async (scenario: Scenario): Promise<CheckResult[]> =>
    evaluateGateNow(settingsFor(scenario), 50, liveLongEnough(), Date.now());
  const byName = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.name, c]));
  const cliFlags = (scenario: Scenario) => [
    "--project-dir",
    dir,
    "--stack",
    "itest",
    "--prometheus-url",
    prometheus.url,
    "--grafana-url",
    grafana.url,
    "--alertmanager-url",
    alertmanager.url,
    "--node-exporter-url",
    nodeExporter.url,
    "--app-url",
    `http://${apps[scenario].instance}/health`,
  ];

  before(async function () {
    writeFileSync(flagFile, renderFlagdFlags(50));
    copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    writeFileSync(
      path.join(dir, "Pulumi.itest.yaml"),
      [
        "config:",
        "  genesis:environment: staging",
        "  genesis:rolloutPercentage: 50",
        `  genesis:validationWindowSeconds: ${WINDOW_SECONDS}`,
        "  genesis:scrapeIntervalSeconds: 1",
        "  genesis:minRequestCount: 40",
        "  genesis:grafanaAdminPassword:",
        "    secure: AAABAMtest",
        "",
      ].join("\n"),
    );
    const faults = {
      healthy: {},
      errors: { canary: { errorPercent: 2, clientErrorPercent: 0, latencyMs: 0 } },
      slow: { canary: { errorPercent: 0, clientErrorPercent: 0, latencyMs: 700 } },
      idle: {},
      clientErrors: { canary: { errorPercent: 0, clientErrorPercent: 20, latencyMs: 0 } },
    };
    for (const [name, f] of Object.entries(faults)) {
      apps[name as Scenario] = await startApp({ flagFile, port: 0, faults: f, name });
    }
    [prometheus, alertmanager, nodeExporter, grafana] = await Promise.all([
      startPrometheus(
        Object.values(apps).map((a) => a.instance),
        1,
      ),
      startAlertmanager(),
      startNodeExporter(),
      startGrafanaStandIn(),
    ]);
    for (const s of ["healthy", "errors", "slow", "clientErrors"] as const) {
      loads.push(startLoad(`http://${apps[s].instance}`, 40));
    }
    // A full validation window of scrapes, plus two scrapes of margin.
    await new Promise((r) => setTimeout(r, (WINDOW_SECONDS + 2) * 1000));
  });

  after(async () => {
    await Promise.all(loads.map((l) => l.stop()));
    await host?.stop();
    await Promise.all(
      [prometheus, alertmanager, nodeExporter, grafana]
        .filter((s) => s !== undefined)
        .map((s) => s.stop()),
    );
    await Promise.all(Object.values(apps).map((a) => a.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("genesis health: 5/5 with real Prometheus, Alertmanager, Node Exporter and a Grafana stand-in", async () => {
    const { code, stdout } = await genesis(["health", ...cliFlags("healthy"), "--json"]);
    const out = JSON.parse(stdout) as { healthy: number; total: number; checks: CheckResult[] };
    deepStrictEqual([code, out.healthy, out.total], [0, 5, 5]);
  });

  it("genesis health: 4/5 and exit 1 when the Grafana stand-in reports a failing database", async () => {
    grafana.setDatabaseOk(false);
    try {
      const { code, stdout } = await genesis(["health", ...cliFlags("healthy")]);
      strictEqual(code, 1);
      match(stdout, /^health 4\/5\n/);
      match(
        stdout,
        /grafana health .*FAIL .*Grafana \/api\/health answered HTTP 503 \(database "failing"\)/,
      );
    } finally {
      grafana.setDatabaseOk(true);
    }
  });

  it("healthy canary passes every check, including canary vs stable", async () => {
    const checks = await judge("healthy");
    deepStrictEqual(
      checks.map((c) => [c.name, c.verdict]),
      [
        ["prometheus health", "pass"],
        ["grafana health", "pass"],
        ["alertmanager health", "pass"],
        ["node-exporter health", "pass"],
        ["app health", "pass"],
        ["stage live", "pass"],
        ["data freshness", "pass"],
        ["scrapes in window", "pass"],
        ["alerts", "pass"],
        ["request count", "pass"],
        ["error rate", "pass"],
        ["p95 latency", "pass"],
        ["canary vs stable", "pass"],
      ],
    );
    strictEqual(byName(checks)["error rate"].reason, "canary error rate 0.00% < threshold 1.00%");
  });

  it("genesis gate --json: pass and exit 0 on the healthy instance", async () => {
    const since = new Date(liveLongEnough()).toISOString();
    const { code, stdout } = await genesis([
      "gate",
      ...cliFlags("healthy"),
      "--app-instance",
      apps.healthy.instance,
      "--from",
      "50",
      "--to",
      "75",
      "--window",
      `${WINDOW_SECONDS}s`,
      "--live-since",
      since,
      "--json",
    ]);
    const out = JSON.parse(stdout) as {
      verdict: string;
      from: number;
      fromSource: string;
      to: number;
      message: string;
      checks: CheckResult[];
    };
    deepStrictEqual([code, out.verdict, out.checks.length], [0, "pass", 13]);
    deepStrictEqual(
      [out.from, out.fromSource, out.to, out.message],
      [50, "--from", 75, "promotion from 50% (live, from --from) to 75%: pass"],
    );
  });

  it("genesis gate: without --live-since, --window stands for the stage's live time; without both it cannot decide", async () => {
    const base = [
      "gate",
      ...cliFlags("healthy"),
      "--app-instance",
      apps.healthy.instance,
      "--from",
      "50",
    ];
    const assumed = await genesis([
      ...base,
      "--to",
      "75",
      "--window",
      `${WINDOW_SECONDS}s`,
      "--json",
    ]);
    const out = JSON.parse(assumed.stdout) as { verdict: string; checks: CheckResult[] };
    deepStrictEqual([assumed.code, out.verdict], [0, "pass"]);
    deepStrictEqual(
      out.checks.find((c) => c.name === "stage live")?.reason,
      `assumed live for the --window ${WINDOW_SECONDS}s (no --live-since given)`,
    );
    const unknown = await genesis([...base, "--to", "75", "--json"]);
    const stage = (JSON.parse(unknown.stdout) as { checks: CheckResult[] }).checks.find(
      (c) => c.name === "stage live",
    );
    deepStrictEqual([unknown.code, stage?.verdict], [2, "inconclusive"]);
  });

  it("genesis gate: usage errors exit 64 naming the value", async () => {
    const skip = await genesis(["gate", ...cliFlags("healthy"), "--from", "50", "--to", "100"]);
    const window = await genesis([
      "gate",
      ...cliFlags("healthy"),
      "--from",
      "50",
      "--window",
      "soon",
    ]);
    deepStrictEqual([skip.code, window.code], [64, 64]);
    strictEqual(
      skip.stderr + window.stderr,
      "--to: cannot promote from 50% to 100%: it skips 75%; the next step is 75% (set genesis:allowStepSkip to true to skip steps)\n" +
        '--window must be a positive duration such as 300, 90s, 5m or 1h30m; got "soon"\n',
    );
  });

  it("2 % canary 5xx fails on the error rate and on the margin over stable", async () => {
    const checks = await judge("errors");
    strictEqual(summarizeVerdict(checks), "fail");
    const c = byName(checks);
    strictEqual(c["error rate"].verdict, "fail");
    match(c["error rate"].reason, /^canary error rate [12]\.\d\d% >= threshold 1\.00%$/);
    strictEqual(c["canary vs stable"].verdict, "fail");
  });

  it("a slow canary fails on P95 latency", async () => {
    const checks = await judge("slow");
    const c = byName(checks);
    strictEqual(c["p95 latency"].verdict, "fail");
    match(
      c["p95 latency"].reason,
      /^canary P95 latency \d+(\.\d+)? ms >= threshold 500 ms; \d+\.\d{2,4}% of canary requests slower than 500 ms \(bucket le=0\.5\) > 5%$/,
    );
    strictEqual(c["error rate"].verdict, "pass");
  });

  it("zero traffic is inconclusive, never a pass", async () => {
    const checks = await judge("idle");
    strictEqual(summarizeVerdict(checks), "inconclusive");
    const c = byName(checks);
    strictEqual(c["data freshness"].verdict, "pass");
    deepStrictEqual(
      [c["request count"].verdict, c["request count"].reason],
      [
        "inconclusive",
        `no request data in the last ${WINDOW_SECONDS} s: the query returned no series`,
      ],
    );
  });

  it("4xx-only errors pass: client errors are not errors", async () => {
    const checks = await judge("clientErrors");
    strictEqual(summarizeVerdict(checks), "pass");
    strictEqual(byName(checks)["error rate"].value, "0.00%");
  });

  describe("through Pulumi's dynamic-provider host", () => {
    let provider: string;
    let verdictProvider: string;
    let inputs: Record<string, unknown>;
    /**
     * One `pulumi up` as the engine runs it here: the gate's Update, then the verdict's
     * Update with the gate's decision. Resolves to the gate's saved outputs and the
     * verdict's error, if it failed the update.
     */
    const up = async (olds: Record<string, unknown>, settings: GateSettings, to: number) => {
      const outs = await host!.update("rollout-gate", olds, {
        __provider: provider,
        targetPercentage: to,
        settings,
      });
      const verdict = { __provider: verdictProvider, targetPercentage: to };
      const failure = await host!
        .update("rollout-verdict", verdict, {
          ...verdict,
          lastDecision: outs.lastDecision,
        })
        .then(
          () => undefined,
          (e: ServiceError) => e,
        );
      return { outs, failure };
    };
    const stateAt = (percentage: number): GateState => ({
      percentage,
      liveSinceMs: liveLongEnough(),
      lastVerdicts: [],
      records: [],
    });
    const oldsAt = (percentage: number, settings: GateSettings) => ({
      __provider: provider,
      targetPercentage: percentage,
      settings,
      percentage,
      state: stateAt(percentage),
    });

    before(async () => {
      // The gate exactly as the program declares it, configured through stack config.
      const settings = settingsFor("healthy");
      const base = stackCaptureConfig("staging", () => "unused");
      const program = await captureProgram({
        ...base,
        values: {
          ...base.values,
          rolloutPercentage: 50,
          cooldownSeconds: settings.cooldownSeconds,
          validationWindowSeconds: settings.validationWindowSeconds,
          scrapeIntervalSeconds: settings.scrapeIntervalSeconds,
          minRequestCount: settings.minRequestCount,
          canaryErrorMarginPercent: settings.canaryErrorMarginPercent,
          appMetricsTarget: settings.appInstance,
          ...settings.endpoints,
        },
        secrets: { grafanaAdminPassword: "unused-in-this-test" },
      });
      const gates = program.resources.filter((r) => r.type.endsWith("dynamic/gates:RolloutGate"));
      strictEqual(gates.length, 1);
      const captured = gates[0];
      strictEqual(captured.type, "pulumi-nodejs:dynamic/gates:RolloutGate");
      strictEqual(captured.inputs.targetPercentage, 50);
      // Stack config sets everything but the HTTP timeouts, which this test shortens.
      deepStrictEqual(
        { ...(captured.inputs.settings as GateSettings), requestTimeoutMs: 2000, retries: 1 },
        settings,
      );
      provider = captured.inputs.__provider as string;
      inputs = { ...captured.inputs, settings };
      const verdicts = program.resources.filter((r) =>
        r.type.endsWith("dynamic/gates:RolloutVerdict"),
      );
      strictEqual(verdicts.length, 1);
      verdictProvider = verdicts[0].inputs.__provider as string;
      host = await ProviderHost.start();
      // Capturing the program and starting the host load both cores: a scrape of an app can
      // then miss its 1 s timeout, and "scrapes in window" rightly blocks on it. A full window
      // of calm scrapes first, so each case judges the data it is about.
      await new Promise((r) => setTimeout(r, (WINDOW_SECONDS + 2) * 1000));
    });

    it("Create records the first stage", async () => {
      const { id, outs } = await host!.create(inputs);
      strictEqual(id, "rollout-gate");
      strictEqual(outs.percentage, 50);
      strictEqual((outs.lastDecision as { decision: string }).decision, "initial");
    });

    it("Check refuses a skipped step and a percentage that is not a step, naming both values", async () => {
      const skip = await host!.check(inputs, { ...inputs, targetPercentage: 100 });
      deepStrictEqual(skip.failures, [
        {
          property: "targetPercentage",
          reason:
            "cannot promote from 50% to 100%: it skips 75%; the next step is 75% (set genesis:allowStepSkip to true to skip steps)",
        },
      ]);
      const notStep = await host!.check(inputs, { ...inputs, targetPercentage: 60 });
      deepStrictEqual(notStep.failures, [
        {
          property: "targetPercentage",
          reason:
            "cannot move from 50% to 60%: 60 is not a rollout step; allowed steps are 0,5,10,25,50,75,100",
        },
      ]);
      const okay = await host!.check(inputs, { ...inputs, targetPercentage: 75 });
      deepStrictEqual([okay.failures, okay.inputs.transition], [[], "promotion 50% -> 75%"]);
    });

    it("Diff reports a change when the target differs from the live percentage", async () => {
      const settings = settingsFor("healthy");
      strictEqual(
        await host!.diff("rollout-gate", oldsAt(50, settings), { ...inputs, targetPercentage: 75 }),
        "some",
      );
      strictEqual(
        await host!.diff("rollout-gate", oldsAt(50, settings), { ...inputs, targetPercentage: 50 }),
        "none",
      );
    });

    it("Diff refuses a step skipped from the live percentage (after a blocked promotion)", async () => {
      const settings = settingsFor("healthy");
      await rejects(
        host!.diff("rollout-gate", oldsAt(25, settings), { ...inputs, targetPercentage: 75 }),
        (e: ServiceError) =>
          e.details ===
          "rollout gate: cannot promote from 25% to 75%: it skips 50%; the next step is 50% (set genesis:allowStepSkip to true to skip steps)",
      );
    });

    it("Update promotes on healthy data", async () => {
      const settings = settingsFor("healthy");
      const outs = await host!.update("rollout-gate", oldsAt(50, settings), {
        __provider: provider,
        targetPercentage: 75,
        settings,
      });
      strictEqual(outs.percentage, 75);
      const record = outs.lastDecision as { decision: string; reason: string; checks: unknown[] };
      deepStrictEqual(
        [record.decision, record.reason],
        ["promotion", "promoted from 50% to 75%: all 13 checks passed"],
      );
      strictEqual((outs.records as unknown[]).length, 1);
    });

    it("a promotion on breached data keeps the old stage in a cool-down, and the verdict fails the update with the check table", async () => {
      const settings = settingsFor("errors");
      const { outs, failure } = await up(oldsAt(50, settings), settings, 75);
      // The gate's update completes: its state is saved through the ordinary answer.
      strictEqual(outs.percentage, 50);
      const state = outs.state as GateState;
      deepStrictEqual([state.cooldown?.percentage, state.cooldown?.cause], [75, "blocked"]);
      strictEqual((outs.lastDecision as { decision: string }).decision, "blocked");
      strictEqual(outs.__provider, provider);
      ok(failure !== undefined, "the promotion must fail the update");
      match(
        failure.details,
        /^rollout gate: promotion from 50% to 75% blocked \(fail\): failed: error rate, canary vs stable\n/,
      );
      match(failure.details, /\ncheck +\| value +\| threshold +\| verdict \| reason\n/);
      match(
        failure.details,
        /\nerror rate +\| [12]\.\d\d% +\| < 1\.00% +\| FAIL +\| canary error rate [12]\.\d\d% >= threshold 1\.00%\n/,
      );
      strictEqual(
        initFailureProperties(failure),
        undefined,
        "a plain error: no state in a trailer",
      );
    });

    it("a block with a full history (20 records, each with its check table) is saved whole", async () => {
      // The state once travelled back as partial-failure details in a gRPC trailer, which
      // holds at most 64 KiB; a long history made the host's answer fail. Now it cannot.
      const settings = settingsFor("errors");
      const first = await up(oldsAt(50, settings), settings, 75);
      const record = first.outs.lastDecision as { checks: unknown[] };
      strictEqual(record.checks.length, 13);
      const full = { ...stateAt(50), records: Array.from({ length: 20 }, () => record) };
      const olds = { ...oldsAt(50, settings), state: full };
      ok(JSON.stringify(olds).length > 64 * 1024, "the saved state is larger than a trailer");
      const { outs, failure } = await up(olds, settings, 75);
      const state = outs.state as GateState;
      deepStrictEqual([outs.percentage, state.records.length], [50, 20]);
      match(failure?.details ?? "", /^rollout gate: promotion from 50% to 75% blocked \(fail\)/);
    });

    it("after a block, the same step waits for the cool-down even on healthy data, unless an override reason is set (and recorded)", async () => {
      const breached = settingsFor("errors");
      const blocked = await up(oldsAt(50, breached), breached, 75);
      ok(blocked.failure !== undefined, "the block fails the update");
      // The faults are fixed; the next `pulumi up` starts from the saved state.
      const healthy = settingsFor("healthy");
      const kept = { ...blocked.outs, settings: healthy };
      const retry = await up(kept, healthy, 75);
      strictEqual(retry.outs.percentage, 50);
      ok(retry.failure !== undefined, "the retry inside the cool-down must fail");
      match(retry.failure.details, /^rollout gate: .*cool-down/);
      // Asking for the live percentage again is no longer judged against that block.
      const back = await up(retry.outs, healthy, 50);
      deepStrictEqual([back.outs.percentage, back.failure], [50, undefined]);
      const reason = "fault fixed in build 1234; approved by on-call";
      const overridden = { ...healthy, overrideReason: reason };
      const promoted = await up(kept, overridden, 75);
      strictEqual(promoted.failure, undefined);
      strictEqual(promoted.outs.percentage, 75);
      const last = promoted.outs.lastDecision as { decision: string; overrideReason?: string };
      deepStrictEqual([last.decision, last.overrideReason], ["promotion", reason]);
    });

    it("stopping Prometheus: the gate blocks (exit 2, inconclusive) and a rollback still goes through", async () => {
      await prometheus.stop();
      const settings = settingsFor("healthy");
      const checks = await judge("healthy");
      strictEqual(summarizeVerdict(checks), "inconclusive");
      const c = byName(checks);
      strictEqual(c["prometheus health"].verdict, "error");
      match(
        c["error rate"].reason,
        /^error rate query failed: Prometheus unreachable at http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
      );

      const gate = await genesis([
        "gate",
        ...cliFlags("healthy"),
        "--app-instance",
        apps.healthy.instance,
        "--from",
        "50",
        "--live-since",
        new Date(liveLongEnough()).toISOString(),
      ]);
      deepStrictEqual(
        [gate.code, gate.stdout.split("\n")[0]],
        [2, "promotion from 50% (live, from --from) to 75%: inconclusive"],
      );

      const blocked = await up(oldsAt(50, settings), settings, 75);
      strictEqual(blocked.outs.percentage, 50);
      match(blocked.failure?.details ?? "", /blocked \(inconclusive\)/);
      const { outs, failure } = await up(oldsAt(50, settings), settings, 25);
      strictEqual(failure, undefined, "a rollback always goes through");
      strictEqual(outs.percentage, 25);
      const state = outs.state as GateState;
      deepStrictEqual(
        [state.rolledBackFrom, state.cooldown?.percentage, state.cooldown?.cause],
        [50, 50, "rollback"],
      );
      strictEqual((outs.lastDecision as { decision: string }).decision, "rollback");
    });
  });
});
