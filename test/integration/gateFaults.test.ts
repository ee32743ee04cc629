/**
 * What the gate refuses to trust: the network. Each fault (a trickling Prometheus, an
 * endless body, a silent Node Exporter, a trickling application health URL, a redirect loop,
 * an HTML error page, credentials in a URL) is put behind one endpoint of otherwise healthy
 * stand-ins, and a promotion is judged twice: through evaluateGateNow directly, and through
 * Pulumi's own dynamic-provider host running the serialized RolloutGate, as `pulumi up`
 * would. Every one must block (never pass) within decisionTimeoutMs plus a small slack, with
 * a reason that names the endpoint and the deadline or cap, and no password anywhere.
 */
import { deepStrictEqual, notStrictEqual, ok, strictEqual } from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { evaluateGateNow } from "../../io/gateProbe";
import { summarizeVerdict } from "../../core/gate/checks";
import { renderDecisionTable } from "../../core/gate/decisionTable";
import { CheckResult, DecisionRecord, GateEndpoints, GateSettings } from "../../core/gate/types";
import { captureRolloutGate } from "../support/captureGate";
import { runGenesis as genesis } from "../support/genesisCli";
import {
  MisbehavingServer,
  startCredentialsServer,
  startEndlessBodyServer,
  startErrorPageServer,
  startRedirectLoopServer,
  startSilentServer,
  startTrickleServer,
} from "../support/misbehavingServers";
import { ProviderHost } from "../support/providerHost";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const REQUEST_TIMEOUT_MS = 1000;
const DECISION_TIMEOUT_MS = 2000;
/**
 * What a decision may take beyond its deadline: evaluation, the host's own work, timers, and
 * a shared machine's noise. A bound, not a speed target (bench:gate measures the ratio, about
 * 1.01): a trickling or silent endpoint without a deadline would hold the decision forever.
 */
const SLACK_MS = 1500;
/** The password of the credentials case: distinctive, so that a search cannot match a word. */
const PASSWORD = "Zq7-s3cr3t/pass@word";
const USER = "gate";

/** Healthy stand-ins for all five components (Prometheus answers with no series). */
async function startHealthyStandIns(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    const answers: Record<string, string> = {
      "/-/healthy": "Prometheus Server is Healthy.\n",
      "/-/ready": "OK",
      "/api/health": '{"database":"ok","version":"10.4.0"}',
      "/metrics": 'node_exporter_build_info{version="1.5.0"} 1\n',
      "/health": "ok",
      "/api/v1/query": '{"status":"success","data":{"resultType":"vector","result":[]}}',
    };
    const body = answers[path];
    res.writeHead(body === undefined ? 404 : 200);
    res.end(body ?? "not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The gate's settings with every endpoint at `healthyUrl`, then `endpoints` over them. */
function settingsWith(healthyUrl: string, endpoints: Partial<GateEndpoints>): GateSettings {
  return {
    steps: [0, 5, 10, 25, 50, 75, 100],
    allowStepSkip: false,
    cooldownSeconds: 60,
    overrideReason: "",
    errorRateThresholdPercent: 1,
    latencyP95ThresholdMs: 500,
    validationWindowSeconds: 60,
    minRequestCount: 1,
    canaryErrorMarginPercent: 0.5,
    scrapeIntervalSeconds: 1,
    appInstance: "127.0.0.1:1",
    appJob: "genesis-app",
    statusLabel: "code",
    endpoints: {
      prometheusUrl: healthyUrl,
      grafanaUrl: healthyUrl,
      alertmanagerUrl: healthyUrl,
      nodeExporterUrl: healthyUrl,
      appHealthUrl: `${healthyUrl}/health`,
      ...endpoints,
    },
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    decisionTimeoutMs: DECISION_TIMEOUT_MS,
    retries: 2,
  };
}

/** `url` with the test's user and (URL-encoded) password in it. */
const withCredentials = (url: string): string =>
  url.replace("http://", `http://${USER}:${encodeURIComponent(PASSWORD)}@`);

/** One fault: where it goes, and what the checks it feeds must say. */
interface Fault {
  readonly name: string;
  readonly start: () => Promise<MisbehavingServer>;
  readonly endpoints: (url: string) => Partial<GateEndpoints>;
  /**
   * The expected [check name, verdict, reason fragment] of every check the fault feeds: the
   * reason must hold the fragment, which is the client's own text (how core/gate words the
   * rest of a reason is core/gate's tests' business).
   */
  readonly expect: (url: string) => readonly (readonly [string, string, string])[];
}

const decisionRanOut = `the decision deadline of ${DECISION_TIMEOUT_MS} ms ran out`;
/** How a query cut by the decision deadline reads. */
const queryCut = (url: string): string =>
  ` query failed: Prometheus unreachable at ${url}: no complete answer from ${url}/api/v1/query before ${decisionRanOut} (after 2 of 3 attempts)`;
const SLO_MEASURES = ["request count", "error rate", "p95 latency"] as const;

const FAULTS: readonly Fault[] = [
  {
    name: "trickling Prometheus (headers, then a byte every 2 s)",
    start: () => startTrickleServer(),
    endpoints: (url) => ({ prometheusUrl: url }),
    expect: (url) => [
      [
        "prometheus health",
        "error",
        `Prometheus /-/healthy unreachable: no complete answer from ${url}/-/healthy before ${decisionRanOut} (after 2 of 3 attempts)`,
      ],
      ...SLO_MEASURES.map((m) => [m, "error", queryCut(url)] as const),
    ],
  },
  {
    name: "endless-body Prometheus",
    start: () => startEndlessBodyServer(),
    endpoints: (url) => ({ prometheusUrl: url }),
    expect: (url) => [
      [
        "prometheus health",
        "error",
        `Prometheus /-/healthy unreachable: answer larger than 256 KiB cap from ${url}/-/healthy (after 1 attempt)`,
      ],
      ...SLO_MEASURES.map(
        (m) =>
          [
            m,
            "error",
            ` query failed: Prometheus unreachable at ${url}: answer larger than 4 MiB cap from ${url}/api/v1/query (after 1 attempt)`,
          ] as const,
      ),
    ],
  },
  {
    name: "silent Node Exporter (accepts, never answers)",
    start: () => startSilentServer(),
    endpoints: (url) => ({ nodeExporterUrl: url }),
    expect: (url) => [
      [
        "node-exporter health",
        "error",
        `Node Exporter /metrics?collect[]=time unreachable: no complete answer from ${url}/metrics?collect[]=time before ${decisionRanOut} (after 2 of 3 attempts)`,
      ],
    ],
  },
  {
    name: "trickling application health URL",
    start: () => startTrickleServer(),
    endpoints: (url) => ({ appHealthUrl: `${url}/health` }),
    expect: (url) => [
      [
        "app health",
        "error",
        `application health URL unreachable: no complete answer from ${url}/health before ${decisionRanOut} (after 2 of 3 attempts)`,
      ],
    ],
  },
  {
    name: "redirect loop (302 to itself) at Prometheus and the application",
    start: () => startRedirectLoopServer(),
    endpoints: (url) => ({ prometheusUrl: url, appHealthUrl: `${url}/health` }),
    // A 302 is an answer, not a failure to reach the endpoint: its reasons need no URL.
    expect: () => [
      ["prometheus health", "fail", "Prometheus /-/healthy answered HTTP 302; expected 200"],
      ["app health", "fail", "application health URL answered HTTP 302"],
      ...SLO_MEASURES.map((m) => [m, "error", "HTTP 302"] as const),
    ],
  },
  {
    name: "HTML error page with HTTP 200 at Prometheus",
    start: () => startErrorPageServer(),
    endpoints: (url) => ({ prometheusUrl: url }),
    expect: () => SLO_MEASURES.map((m) => [m, "error", "HTTP 200"] as const),
  },
];

/**
 * The checks named in `expected`, as [name, verdict, reason], where a reason holding its
 * expected fragment is shown as the fragment (so that a mismatch shows the whole reason).
 */
function picked(
  checks: readonly CheckResult[],
  expected: readonly (readonly [string, string, string])[],
): (readonly [string, string, string])[] {
  return expected.map(([name, , fragment]) => {
    const c = checks.find((x) => x.name === name);
    if (c === undefined) return [name, "missing", ""];
    return [c.name, c.verdict, c.reason.includes(fragment) ? fragment : c.reason];
  });
}

describe("the gate against a misbehaving network (integration)", function () {
  this.timeout(60_000);
  let healthy: { url: string; stop(): Promise<void> };
  let host: ProviderHost | undefined;
  let provider: string;
  const servers: MisbehavingServer[] = [];
  const liveSinceMs = () => Date.now() - 3600_000;

  before(async () => {
    healthy = await startHealthyStandIns();
    const captured = await captureRolloutGate(50, settingsWith(healthy.url, {}));
    provider = captured.inputs.__provider as string;
    host = await ProviderHost.start();
  });

  after(async () => {
    await host?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await healthy?.stop();
  });

  /** A promotion from 50 % to 75 % through the host: the gate's outputs and how long it took. */
  const promoteThroughHost = async (
    settings: GateSettings,
  ): Promise<{ outs: Record<string, unknown>; ms: number }> => {
    const olds = {
      __provider: provider,
      targetPercentage: 50,
      settings,
      percentage: 50,
      state: { percentage: 50, liveSinceMs: liveSinceMs(), lastVerdicts: [], records: [] },
    };
    const t0 = performance.now();
    const outs = await host!.update("rollout-gate", olds, {
      __provider: provider,
      targetPercentage: 75,
      settings,
    });
    return { outs, ms: performance.now() - t0 };
  };

  for (const fault of FAULTS) {
    describe(fault.name, () => {
      let server: MisbehavingServer;
      before(async () => {
        server = await fault.start();
        servers.push(server);
      });

      it("evaluateGateNow: the checks it feeds are errors or failures naming it; the gate does not pass, within the deadline", async () => {
        const settings = settingsWith(healthy.url, fault.endpoints(server.url));
        const t0 = performance.now();
        const checks = await evaluateGateNow(settings, 50, liveSinceMs(), Date.now());
        const ms = performance.now() - t0;
        deepStrictEqual(picked(checks, fault.expect(server.url)), fault.expect(server.url));
        notStrictEqual(summarizeVerdict(checks), "pass");
        ok(ms <= DECISION_TIMEOUT_MS + SLACK_MS, `the decision took ${ms.toFixed(0)} ms`);
      });

      it("through the dynamic-provider host: the promotion is blocked, with the same reasons, within the deadline", async () => {
        const settings = settingsWith(healthy.url, fault.endpoints(server.url));
        const { outs, ms } = await promoteThroughHost(settings);
        const record = outs.lastDecision as DecisionRecord;
        deepStrictEqual([outs.percentage, record.decision], [50, "blocked"]);
        const verdicts = outs.lastVerdicts as CheckResult[];
        deepStrictEqual(picked(verdicts, fault.expect(server.url)), fault.expect(server.url));
        ok(ms <= DECISION_TIMEOUT_MS + SLACK_MS, `the update took ${ms.toFixed(0)} ms`);
      });
    });
  }

  describe("credentials in the URLs", () => {
    let auth: MisbehavingServer & { readonly authorizations: string[] };
    let silent: MisbehavingServer;
    const secretForms = [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      Buffer.from(`${USER}:${PASSWORD}`).toString("base64"),
    ];
    const leaks = (text: string): string[] => secretForms.filter((f) => text.includes(f));
    /** Prometheus at a silent server (its reasons name the URL); the app needs basic auth. */
    const settings = (): GateSettings =>
      settingsWith(healthy.url, {
        prometheusUrl: withCredentials(silent.url),
        appHealthUrl: withCredentials(`${auth.url}/health`),
      });
    const redacted = (url: string) => url.replace("http://", `http://${USER}:***@`);

    before(async () => {
      auth = await startCredentialsServer(USER, PASSWORD, () => "ok");
      silent = await startSilentServer();
      servers.push(auth, silent);
    });

    it("evaluateGateNow: basic auth reaches the server; no reason, table or JSON shows the password", async () => {
      const checks = await evaluateGateNow(settings(), 50, liveSinceMs(), Date.now());
      const c = Object.fromEntries(checks.map((x) => [x.name, x]));
      deepStrictEqual(
        [c["app health"].verdict, c["prometheus health"].reason],
        [
          "pass",
          `Prometheus /-/healthy unreachable: no complete answer from ${redacted(silent.url)}/-/healthy before ${decisionRanOut} (after 2 of 3 attempts)`,
        ],
      );
      ok(auth.authorizations.includes(`${USER}:${PASSWORD}`), "the credentials were sent");
      notStrictEqual(summarizeVerdict(checks), "pass");
      deepStrictEqual(leaks(JSON.stringify(checks) + renderDecisionTable(checks)), []);
    });

    it("through the dynamic-provider host: the state, the decision records and the host's log hold no password", async () => {
      const { outs } = await promoteThroughHost(settings());
      strictEqual((outs.lastDecision as DecisionRecord).decision, "blocked");
      const state = { ...outs, settings: undefined, __provider: undefined };
      const given = outs.settings;
      deepStrictEqual(leaks(JSON.stringify(state)), []);
      deepStrictEqual(leaks(host!.output.text), []);
      ok(
        JSON.stringify(state).includes(`${redacted(silent.url)}/-/healthy`),
        "the reasons name the endpoint, redacted",
      );
      // The settings output echoes the inputs as given; the engine keeps it a secret
      // (additionalSecretOutputs, see test/components/gates/rolloutGate.test.ts).
      deepStrictEqual(given, settings());
    });
  });

  describe("through the CLI (genesis gate and genesis health, deadlines from stack config)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-gate-faults-cli-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    /** A stack whose endpoints are the healthy stand-ins, but `endpoints` over them. */
    const stack = (name: string, endpoints: Partial<GateEndpoints>): string => {
      const s = settingsWith(healthy.url, endpoints);
      copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      writeFileSync(
        path.join(dir, `Pulumi.${name}.yaml`),
        [
          "config:",
          "  genesis:environment: staging",
          "  genesis:rolloutPercentage: 50",
          "  genesis:scrapeIntervalSeconds: 1",
          "  genesis:validationWindowSeconds: 60",
          `  genesis:gateRequestTimeoutMs: ${REQUEST_TIMEOUT_MS}`,
          `  genesis:gateDecisionTimeoutMs: ${DECISION_TIMEOUT_MS}`,
          `  genesis:prometheusUrl: "${s.endpoints.prometheusUrl}"`,
          `  genesis:grafanaUrl: "${s.endpoints.grafanaUrl}"`,
          `  genesis:alertmanagerUrl: "${s.endpoints.alertmanagerUrl}"`,
          `  genesis:nodeExporterUrl: "${s.endpoints.nodeExporterUrl}"`,
          `  genesis:appHealthUrl: "${s.endpoints.appHealthUrl}"`,
          "",
        ].join("\n"),
      );
      return name;
    };
    /** `genesis gate --json` on stack `name`: from the live 50 %, live for an hour. */
    const gateJson = (name: string) =>
      genesis([
        "gate",
        "--stack",
        name,
        "--project-dir",
        dir,
        "--from",
        "50",
        "--live-since",
        new Date(liveSinceMs()).toISOString(),
        "--json",
      ]);

    for (const fault of FAULTS) {
      it(`${fault.name}: genesis gate cannot decide (exit 2) within the deadline, naming the endpoint; genesis health fails (exit 1)`, async () => {
        const own = await fault.start();
        servers.push(own);
        const name = stack(`f${FAULTS.indexOf(fault)}`, fault.endpoints(own.url));
        const t0 = performance.now();
        const gate = await gateJson(name);
        const ms = performance.now() - t0;
        const out = JSON.parse(gate.stdout) as { verdict: string; checks: CheckResult[] };
        notStrictEqual(out.verdict, "pass");
        ok([1, 2].includes(gate.code), `exit ${gate.code}`);
        deepStrictEqual(picked(out.checks, fault.expect(own.url)), fault.expect(own.url));
        ok(ms <= DECISION_TIMEOUT_MS + SLACK_MS, `genesis gate took ${ms.toFixed(0)} ms`);
        const health = await genesis(["health", "--stack", name, "--project-dir", dir]);
        strictEqual(health.code, 1, health.stdout + health.stderr);
      });
    }

    it("credentials in a URL: genesis gate --json and genesis health never print the password", async () => {
      const silent = await startSilentServer();
      servers.push(silent);
      const name = stack("creds", { prometheusUrl: withCredentials(silent.url) });
      const gate = await gateJson(name);
      const table = await genesis(["gate", "--stack", name, "--project-dir", dir, "--from", "50"]);
      const health = await genesis(["health", "--stack", name, "--project-dir", dir, "--json"]);
      const printed = [gate, table, health].map((r) => r.stdout + r.stderr).join("\n");
      deepStrictEqual(
        [PASSWORD, encodeURIComponent(PASSWORD)].filter((f) => printed.includes(f)),
        [],
      );
      ok(printed.includes(`http://${USER}:***@127.0.0.1:`), "the endpoint is named, redacted");
    });
  });
});
