/**
 * The rollout driver with its adapter replaced: an in-process stack stands in for the
 * Pulumi CLI (its `up` runs the gate's real decision), a simulated clock for time, and a
 * scripted world for the measurements. What is proven here is the driver's sequencing;
 * the Automation API adapter itself needs the Pulumi CLI (see docs/rollout.md).
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { CheckResult, GateSettings } from "../../../core/gate/types";
import { BakeMeasurement } from "../../../core/rollout/bakeLoop";
import { BakeView } from "../../../core/rollout/bakeView";
import { Clock, RolloutDeps, RolloutRequest, runRollout } from "../../../cli/rollout/driver";
import { inProcessStack, InProcessStack } from "../../support/inProcessStack";
import { measurement, RULES, windowChecks } from "../../core/rollout/fixtures";

const T0 = Date.parse("2026-01-01T12:00:00Z");
const STEPS = [0, 5, 10, 25, 50, 75, 100];
const at = (s: number) => T0 + s * 1000;
const PASSING: CheckResult[] = [
  { name: "error rate", value: "0.10%", threshold: "< 1.00%", verdict: "pass", reason: "ok" },
];
const FAILING: CheckResult[] = [
  {
    name: "error rate",
    value: "2.00%",
    threshold: "< 1.00%",
    verdict: "fail",
    reason: "error rate 2.00% >= threshold 1.00%",
  },
];

const SETTINGS: GateSettings = {
  steps: STEPS,
  allowStepSkip: false,
  cooldownSeconds: 60,
  overrideReason: "",
  errorRateThresholdPercent: 1,
  latencyP95ThresholdMs: 500,
  validationWindowSeconds: 60,
  minRequestCount: 1,
  canaryErrorMarginPercent: 0.5,
  scrapeIntervalSeconds: 15,
  appInstance: "app:8080",
  appJob: "genesis-app",
  statusLabel: "code",
  endpoints: {
    prometheusUrl: "http://127.0.0.1:1",
    grafanaUrl: "http://127.0.0.1:1",
    alertmanagerUrl: "http://127.0.0.1:1",
    nodeExporterUrl: "http://127.0.0.1:1",
    appHealthUrl: "http://127.0.0.1:1/health",
  },
  requestTimeoutMs: 100,
  decisionTimeoutMs: 30_000,
  retries: 0,
};

interface Harness {
  stack: InProcessStack;
  deps: RolloutDeps;
  req: RolloutRequest;
  files: Map<string, string>;
  frames: BakeView[];
  lines: string[];
  clock: Clock & { now: number };
  controller: AbortController;
}

function harness(
  o: {
    percentage?: number;
    liveSinceMs?: number;
    world?: (percentage: number, nowMs: number) => BakeMeasurement;
    gateChecks?: CheckResult[];
    autoRollback?: boolean;
    dryRun?: boolean;
  } = {},
): Harness {
  const clock = {
    now: T0,
    nowMs() {
      return clock.now;
    },
    async sleepUntil(ms: number, signal: AbortSignal) {
      if (!signal.aborted) clock.now = Math.max(clock.now, ms);
    },
  };
  const stack = inProcessStack({
    name: "staging",
    percentage: o.percentage ?? 0,
    liveSinceMs: o.liveSinceMs ?? T0 - 3600_000,
    settings: SETTINGS,
    nowMs: () => clock.now,
    evaluate: async () => o.gateChecks ?? PASSING,
  });
  const files = new Map<string, string>();
  const frames: BakeView[] = [];
  const lines: string[] = [];
  const controller = new AbortController();
  const world = o.world ?? ((_p: number, now: number) => measurement(now));
  return {
    stack,
    files,
    frames,
    lines,
    clock,
    controller,
    req: {
      stack: "staging",
      environment: "staging",
      plannedSteps: STEPS,
      stackSteps: STEPS,
      rules: RULES,
      autoRollback: o.autoRollback ?? true,
      dryRun: o.dryRun ?? false,
      reportDir: "/reports",
      roles: { deploymentLead: "lead@example.org", onCall: "", securityLead: "sec@example.org" },
    },
    deps: {
      stack,
      measure: async (p, now) => world(p, now),
      clock,
      display: {
        bake: (v) => frames.push(v),
        endBake: () => undefined,
        log: (l) => lines.push(l),
      },
      signal: controller.signal,
      writeFile: async (f, t) => {
        files.set(f, t);
      },
    },
  };
}

describe("rollout driver with an in-process stack in place of the Pulumi CLI", () => {
  it("walks 0 -> 100: config set and up per step, a full window per stage, exit 0", async () => {
    const h = harness();
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 0);
    strictEqual(r.message, "rollout complete: staging is at 100% and held its SLOs for the window");
    deepStrictEqual(h.stack.log, [
      "config set rolloutPercentage 5",
      "up promotion 5",
      "config set rolloutPercentage 10",
      "up promotion 10",
      "config set rolloutPercentage 25",
      "up promotion 25",
      "config set rolloutPercentage 50",
      "up promotion 50",
      "config set rolloutPercentage 75",
      "up promotion 75",
      "config set rolloutPercentage 100",
      "up promotion 100",
    ]);
    // 0 % was live for an hour already: judged at once. Each later stage bakes 60 s.
    strictEqual(h.clock.now, at(6 * 60));
    deepStrictEqual(
      r.stages.map((s) => [s.percentage, (s.endedMs - s.liveSinceMs) / 1000, s.outcome]),
      [
        [0, 3600, "promote"],
        [5, 60, "promote"],
        [10, 60, "promote"],
        [25, 60, "promote"],
        [50, 60, "promote"],
        [75, 60, "promote"],
        [100, 60, "promote"],
      ],
    );
    strictEqual(h.stack.gate().percentage, 100);
    strictEqual(h.stack.configured(), 100);
    deepStrictEqual(h.frames[2], {
      stage: "5%",
      secondsLeft: 45,
      windowSeconds: 60,
      errorRate: "0.10% (< 1.00%)",
      latencyP95: "120 ms (< 500 ms)",
      health: "5/5",
      window: "scrapes n/a; alerts n/a",
    });
  });

  it("a severe breach at 25 % with auto-rollback: back to 10 % (never gated), incident report, exit 1", async () => {
    const onset = at(130); // 25 % goes live at 120 s
    const h = harness({
      world: (p, now) =>
        measurement(
          now,
          p === 25 && now >= onset ? { shortErrorRatio: 0.4, errorRatePercent: 20 } : {},
        ),
      gateChecks: PASSING,
    });
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 1);
    strictEqual(r.breach?.check, "severe error rate");
    // Seen at the 135 s tick, held for the severe rule's 30 s: decided at 165 s.
    strictEqual(r.breach?.detectedMs, at(165));
    strictEqual(r.rollbackCompletedMs, at(165));
    deepStrictEqual(h.stack.log.slice(-3), [
      "up promotion 25",
      "config set rolloutPercentage 10",
      "up rollback 10",
    ]);
    strictEqual(h.stack.configured(), 10);
    strictEqual(h.stack.gate().percentage, 10);
    strictEqual(r.incidentPath, "/reports/incident-staging-2026-01-01T12-02-45-000Z.md");
    const report = h.files.get(r.incidentPath as string) ?? "";
    match(report, /^# Incident: rollback of staging from 25% to 10%$/m);
    match(
      report,
      /^- Breached check: severe error rate: value 40\.00%, threshold >= 10\.00% for 30 s breaches$/m,
    );
    match(report, /^- Rollback completed: 2026-01-01T12:02:45\.000Z \(0 s after detection\)$/m);
    match(r.message, /^rolled back staging from 25% to 10% after severe error rate breached/);
  });

  it("a breach with auto-rollback off: stops at the stage, says what to run, changes nothing", async () => {
    const h = harness({
      percentage: 25,
      autoRollback: false,
      world: (_p, now) => measurement(now, { window: windowChecks({ "p95 latency": "fail" }) }),
    });
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 1);
    match(r.message, /genesis rollback --stack staging \(to 10%\)$/);
    deepStrictEqual(h.stack.log, []);
    strictEqual(h.files.size, 0);
  });

  it("a promotion the gate blocks: config put back, state unchanged, exit 1 with the gate's table", async () => {
    const h = harness({ percentage: 5, gateChecks: FAILING });
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 1);
    deepStrictEqual(h.stack.log, [
      "config set rolloutPercentage 10",
      "up blocked 10",
      "config set rolloutPercentage 5",
      "up no-change 5",
    ]);
    strictEqual(h.stack.configured(), 5);
    strictEqual(h.stack.gate().percentage, 5);
    match(
      r.message,
      /^promotion 5% -> 10% did not go through; the stack stays at 5%:\npulumi up failed: rollout gate: promotion from 5% to 10% blocked \(fail\)/,
    );
  });

  it("an up that fails for another reason is converged back to the step it came from", async () => {
    const h = harness({ percentage: 5 });
    h.stack.failNextUps(1, "docker: connection refused");
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 1);
    deepStrictEqual(h.stack.log, [
      "config set rolloutPercentage 10",
      "up failed 10",
      "config set rolloutPercentage 5",
      "up no-change 5",
    ]);
    strictEqual(h.stack.configured(), h.stack.gate().percentage);
  });

  it("an interrupt during a bake stops at once on a real step; a rerun resumes with the time already baked", async () => {
    const h = harness({ percentage: 10 });
    h.deps = {
      ...h.deps,
      measure: async (p, now) => {
        if (p === 25 && now >= at(30)) h.controller.abort();
        return measurement(now);
      },
    };
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 130);
    strictEqual(
      r.message,
      "interrupted: staging is at 25% (config and state agree); resume with: genesis rollout --stack staging",
    );
    strictEqual(h.stack.configured(), 25);
    strictEqual(h.stack.gate().percentage, 25);
    // Rerun, with a new signal: 25 % went live at 0 s, so 30 s are left of its window.
    const again = new AbortController();
    const r2 = await runRollout(h.req, {
      ...h.deps,
      signal: again.signal,
      measure: async (_p, now) => measurement(now),
    });
    strictEqual(r2.exitCode, 0);
    deepStrictEqual(r2.stages[0], {
      percentage: 25,
      liveSinceMs: at(0),
      endedMs: at(60),
      outcome: "promote",
    });
  });

  it("an interrupt during an up lets it finish, then stops on the new step with config and state agreeing", async () => {
    const h = harness({ percentage: 5 });
    h.stack.onUp = (target) => {
      if (target === 10) h.controller.abort();
    };
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 130);
    strictEqual(h.stack.configured(), 10);
    strictEqual(h.stack.gate().percentage, 10);
  });

  it("a rollback's up is retried until it goes through; if it never does, exit 70 with the command to run", async () => {
    const breachAt25 = (p: number, now: number) =>
      measurement(now, p === 25 ? { shortErrorRatio: 0.5 } : {});
    const h = harness({ percentage: 10, world: breachAt25 });
    let failedOnce = false;
    h.stack.onUp = (target) => {
      if (target === 10 && !failedOnce) {
        failedOnce = true;
        h.stack.failNextUps(2, "transient");
      }
    };
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 1);
    deepStrictEqual(h.stack.log.slice(-6), [
      "config set rolloutPercentage 10",
      "up failed 10",
      "config set rolloutPercentage 10",
      "up failed 10",
      "config set rolloutPercentage 10",
      "up rollback 10",
    ]);
    strictEqual(h.stack.gate().percentage, 10);

    const never = harness({ percentage: 10, world: breachAt25 });
    never.stack.onUp = (target) => {
      if (target === 10) never.stack.failNextUps(1, "engine gone");
    };
    const r2 = await runRollout(never.req, never.deps);
    strictEqual(r2.exitCode, 70);
    match(
      r2.message,
      /^ROLLBACK FAILED after 3 attempts: pulumi up failed: engine gone; the stack config asks for 10%: run pulumi up --stack staging/,
    );
    strictEqual(never.stack.configured(), 10);
    const report = never.files.get(r2.incidentPath as string) ?? "";
    match(report, /^- Rollback completed: NO: pulumi up failed: engine gone;/m);
  });

  it("refuses to start (exit 2) when the config and the live percentage disagree", async () => {
    const h = harness({ percentage: 10 });
    await h.stack.setConfig("genesis:rolloutPercentage", "25");
    h.stack.log.length = 0;
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 2);
    strictEqual(
      r.message,
      "genesis:rolloutPercentage is 25 but 10% is live (an earlier update did not complete): converge first with pulumi up --stack staging (a rollback is never gated), or set the config back to 10",
    );
    deepStrictEqual(h.stack.log, []);
  });

  it("--dry-run previews the next stage and puts the config back", async () => {
    const h = harness({ percentage: 25, dryRun: true });
    const r = await runRollout(h.req, h.deps);
    strictEqual(r.exitCode, 0);
    deepStrictEqual(h.stack.log, [
      "config set rolloutPercentage 50",
      "preview 50",
      "config set rolloutPercentage 25",
    ]);
    strictEqual(
      r.message,
      "dry run: 25% -> 50% previews as: same 0, update 1\nthen, one stage at a time after each bake: 75% -> 100% (each previewed when it is next)\nnothing was applied",
    );
    ok(h.frames.length === 0);
  });
});
