/**
 * Pure evaluation of a gate's checks: HTTP probe results and Prometheus answers in, one
 * {@link CheckResult} per check out, each four-valued with a reason that carries the
 * numbers. No I/O, no clock: the caller passes what it fetched and the time.
 */
import { NODE_EXPORTER_PROBE_COLLECTOR, NODE_EXPORTER_PROBE_PATH } from "./healthProbes";
import { QueryOutcome, Sample } from "./prometheusResponse";
import { CheckResult, CheckVerdict, GateSettings, GateVerdict } from "./types";

/** What one HTTP probe saw: a response, or no response and why. */
export type HttpProbe =
  | { readonly kind: "response"; readonly status: number; readonly body: string }
  | { readonly kind: "failure"; readonly reason: string };

/** The five health probes, one per component. */
export interface HealthProbes {
  /** GET Prometheus /-/healthy. */
  readonly prometheus: HttpProbe;
  /** GET Grafana /api/health. */
  readonly grafana: HttpProbe;
  /** GET Alertmanager /-/ready. */
  readonly alertmanager: HttpProbe;
  /** GET Node Exporter /metrics, one collector (see healthProbes.ts). */
  readonly nodeExporter: HttpProbe;
  /** GET the application's health URL. */
  readonly app: HttpProbe;
}

/** The answers to the queries of {@link buildGateQueries}, by the same names. */
export interface MetricOutcomes {
  /** Requests in the window, by variant. */
  readonly requests: QueryOutcome;
  /** 5xx / all, by variant. */
  readonly errorRatio: QueryOutcome;
  /** P95 latency in seconds, by variant. */
  readonly latencyP95Seconds: QueryOutcome;
  /** Requests at or below each latency bucket edge in the window, by variant and `le`. */
  readonly latencyBuckets: QueryOutcome;
  /** How many request series carry the status-code label, by variant. */
  readonly statusLabelSeries: QueryOutcome;
  /** min(up) of the application's target. */
  readonly up: QueryOutcome;
  /** Seconds since the application's last scrape. */
  readonly scrapeAgeSeconds: QueryOutcome;
}

/** Everything one evaluation judges. */
export interface GateEvaluationInput {
  /** The gate's settings. */
  readonly settings: GateSettings;
  /** The percentage live now. */
  readonly fromPercentage: number;
  /** When it went live, ms since the epoch. */
  readonly liveSinceMs: number;
  /** Now, ms since the epoch. */
  readonly nowMs: number;
  /** The health probes. */
  readonly health: HealthProbes;
  /** The Prometheus answers. */
  readonly metrics: MetricOutcomes;
}

const check = (
  name: string,
  value: string,
  threshold: string,
  verdict: CheckVerdict,
  reason: string,
): CheckResult => ({ name, value, threshold, verdict, reason });

/** Formats a number with `digits` decimals, keeping NaN and infinities readable. */
function fixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "+Inf";
  if (x === Number.NEGATIVE_INFINITY) return "-Inf";
  return x.toFixed(digits);
}

/** Formats milliseconds with at most one decimal. */
function ms(x: number): string {
  if (!Number.isFinite(x)) return fixed(x, 0);
  return String(Number(x.toFixed(1)));
}

/** The health check of one component, with how it must answer to pass. */
function evaluateHealthProbe(
  name: string,
  what: string,
  probe: HttpProbe,
  judge: (status: number, body: string) => string | undefined,
  threshold: string,
): CheckResult {
  if (probe.kind === "failure") {
    return check(name, "unreachable", threshold, "error", `${what} unreachable: ${probe.reason}`);
  }
  const problem = judge(probe.status, probe.body);
  if (problem !== undefined) {
    return check(name, `HTTP ${probe.status}`, threshold, "fail", `${what} ${problem}`);
  }
  return check(name, `HTTP ${probe.status}`, threshold, "pass", `${what} answered HTTP 200`);
}

const status200 = (status: number): string | undefined =>
  status === 200 ? undefined : `answered HTTP ${status}; expected 200`;

function grafanaProblem(status: number, body: string): string | undefined {
  let database: unknown;
  try {
    database = (JSON.parse(body) as { database?: unknown }).database;
  } catch {
    return `answered HTTP ${status} with a body that is not JSON; expected {"database":"ok"}`;
  }
  if (status !== 200) return `answered HTTP ${status} (database ${JSON.stringify(database)})`;
  if (database !== "ok") return `reports database ${JSON.stringify(database)}; expected "ok"`;
  return undefined;
}

function nodeExporterProblem(status: number, body: string): string | undefined {
  if (status === 400) {
    const said = body.split("\n")[0].trim().slice(0, 200);
    return `answered HTTP 400 (${JSON.stringify(said)}): the probe asks for the ${NODE_EXPORTER_PROBE_COLLECTOR} collector, which must be enabled`;
  }
  if (status !== 200) return status200(status);
  if (!/^node_exporter_build_info\{/m.test(body)) {
    return "answered HTTP 200 without node_exporter_build_info in its metrics";
  }
  return undefined;
}

/** The five health checks, in the order Prometheus, Grafana, Alertmanager, Node Exporter, app. */
export function evaluateHealth(probes: HealthProbes): CheckResult[] {
  return [
    evaluateHealthProbe(
      "prometheus health",
      "Prometheus /-/healthy",
      probes.prometheus,
      status200,
      "HTTP 200",
    ),
    evaluateHealthProbe(
      "grafana health",
      "Grafana /api/health",
      probes.grafana,
      grafanaProblem,
      'HTTP 200, database "ok"',
    ),
    evaluateHealthProbe(
      "alertmanager health",
      "Alertmanager /-/ready",
      probes.alertmanager,
      status200,
      "HTTP 200",
    ),
    evaluateHealthProbe(
      "node-exporter health",
      `Node Exporter ${NODE_EXPORTER_PROBE_PATH}`,
      probes.nodeExporter,
      nodeExporterProblem,
      "HTTP 200 with node_exporter_build_info",
    ),
    evaluateHealthProbe("app health", "application health URL", probes.app, status200, "HTTP 200"),
  ];
}

/** Whether the stage has been live for the whole validation window. */
export function evaluateStageLive(
  percentage: number,
  liveSinceMs: number,
  nowMs: number,
  windowSeconds: number,
): CheckResult {
  const liveSeconds = Math.max(0, Math.floor((nowMs - liveSinceMs) / 1000));
  const value = `${liveSeconds} s`;
  const threshold = `>= ${windowSeconds} s`;
  if (liveSeconds < windowSeconds) {
    return check(
      "stage live",
      value,
      threshold,
      "inconclusive",
      `stage ${percentage}% live for ${liveSeconds} s < validation window ${windowSeconds} s; ${windowSeconds - liveSeconds} s left`,
    );
  }
  return check(
    "stage live",
    value,
    threshold,
    "pass",
    `stage ${percentage}% live for ${liveSeconds} s >= validation window ${windowSeconds} s`,
  );
}

/** Which traffic the SLO checks judge. */
export type TrafficScope = "canary" | "all";

/** A value picked from a query's answer for one scope. */
type Picked =
  | { readonly kind: "value"; readonly value: number }
  | { readonly kind: "none" }
  | { readonly kind: "error"; readonly reason: string };

function pick(outcome: QueryOutcome, variant: "canary" | "stable" | "all"): Picked {
  if (outcome.kind === "error") return outcome;
  if (outcome.kind === "empty") return { kind: "none" };
  if (variant === "all") {
    if (outcome.samples.length !== 1) {
      return {
        kind: "error",
        reason: `expected one series for all traffic; got ${outcome.samples.length} (variants ${outcome.samples.map((s) => JSON.stringify(s.labels.variant ?? "")).join(", ")})`,
      };
    }
    return { kind: "value", value: outcome.samples[0].value };
  }
  const found: Sample | undefined = outcome.samples.find((s) => s.labels.variant === variant);
  return found === undefined ? { kind: "none" } : { kind: "value", value: found.value };
}

/**
 * Decides which traffic to judge from the request query's answer: the canary's own when the
 * metrics carry a canary `variant`, all traffic when they carry no variant (or when nothing
 * is on the canary yet, at 0 %). Returns a reason instead when the choice cannot be made.
 */
export function chooseScope(
  requests: QueryOutcome,
  fromPercentage: number,
): TrafficScope | { readonly reason: string } {
  if (requests.kind !== "samples") return "all";
  const variants = requests.samples.map((s) => s.labels.variant ?? "");
  if (variants.includes("canary")) return "canary";
  if (fromPercentage > 0 && variants.some((v) => v !== "")) {
    return {
      reason: `metrics carry a variant label but no canary series while ${fromPercentage}% is on the canary`,
    };
  }
  return "all";
}

function prefix(scope: TrafficScope): string {
  return scope === "canary" ? "canary " : "";
}

/** Enough traffic in the window to judge: at least `minRequestCount` requests. */
export function evaluateRequestCount(
  requests: QueryOutcome,
  scope: TrafficScope,
  minRequestCount: number,
  windowSeconds: number,
): CheckResult {
  const name = "request count";
  const threshold = `>= ${minRequestCount}`;
  const picked = pick(requests, scope);
  if (picked.kind === "error") {
    return check(name, "error", threshold, "error", `request count query failed: ${picked.reason}`);
  }
  if (picked.kind === "none") {
    return check(
      name,
      "no data",
      threshold,
      "inconclusive",
      `no ${prefix(scope)}request data in the last ${windowSeconds} s: the query returned no series`,
    );
  }
  const count = picked.value;
  if (!Number.isFinite(count)) {
    return check(
      name,
      fixed(count, 0),
      threshold,
      "inconclusive",
      `${prefix(scope)}request count is ${fixed(count, 0)}`,
    );
  }
  const shown = fixed(count, 0);
  if (count < minRequestCount) {
    return check(
      name,
      shown,
      threshold,
      "inconclusive",
      `${prefix(scope)}requests ${shown} < minimum ${minRequestCount} in the last ${windowSeconds} s: too little traffic to judge`,
    );
  }
  return check(
    name,
    shown,
    threshold,
    "pass",
    `${prefix(scope)}requests ${shown} >= minimum ${minRequestCount} in the last ${windowSeconds} s`,
  );
}

/** How one "below a threshold" measure is named, scaled and shown. */
interface BelowThreshold {
  /** The check's name. */
  readonly name: string;
  /** The measure in sentences ("error rate", "P95 latency"). */
  readonly measure: string;
  /** What an empty answer lacks ("error rate", "latency histogram"). */
  readonly missing: string;
  /** The threshold in the measure's shown unit. */
  readonly limit: number;
  /** The threshold as shown ("1.00%", "500 ms"). */
  readonly limitShown: string;
  /** The query's value to the shown unit. */
  readonly scale: (value: number) => number;
  /** A value in the shown unit, as shown. */
  readonly show: (value: number) => string;
  /** How far below the limit still counts as at it (float noise). */
  readonly epsilon: number;
}

/** A measure that must stay below its threshold: error, no data, NaN, fail or pass. */
function evaluateBelow(
  m: BelowThreshold,
  outcome: QueryOutcome,
  scope: TrafficScope,
  windowSeconds: number,
): CheckResult {
  const threshold = `< ${m.limitShown}`;
  const picked = pick(outcome, scope);
  if (picked.kind === "error") {
    return check(
      m.name,
      "error",
      threshold,
      "error",
      `${m.measure} query failed: ${picked.reason}`,
    );
  }
  if (picked.kind === "none") {
    return check(
      m.name,
      "no data",
      threshold,
      "inconclusive",
      `no ${prefix(scope)}${m.missing} in the last ${windowSeconds} s: the query returned no series`,
    );
  }
  const value = m.scale(picked.value);
  if (Number.isNaN(value)) {
    return check(
      m.name,
      "NaN",
      threshold,
      "inconclusive",
      `${prefix(scope)}${m.measure} is NaN: no requests in the last ${windowSeconds} s`,
    );
  }
  const shown = m.show(value);
  const breached = value >= m.limit - m.epsilon;
  return check(
    m.name,
    shown,
    threshold,
    breached ? "fail" : "pass",
    `${prefix(scope)}${m.measure} ${shown} ${breached ? ">=" : "<"} threshold ${m.limitShown}`,
  );
}

/** Error rate (5xx / all, in percent) below the threshold. */
export function evaluateErrorRate(
  errorRatio: QueryOutcome,
  scope: TrafficScope,
  thresholdPercent: number,
  windowSeconds: number,
): CheckResult {
  return evaluateBelow(
    {
      name: "error rate",
      measure: "error rate",
      missing: "error rate",
      limit: thresholdPercent,
      limitShown: `${fixed(thresholdPercent, 2)}%`,
      scale: (ratio) => ratio * 100,
      show: (percent) => `${fixed(percent, 2)}%`,
      epsilon: 1e-9,
    },
    errorRatio,
    scope,
    windowSeconds,
  );
}

/** P95 latency below the threshold. */
export function evaluateLatencyP95(
  latencyP95Seconds: QueryOutcome,
  scope: TrafficScope,
  thresholdMs: number,
  windowSeconds: number,
): CheckResult {
  return evaluateBelow(
    {
      name: "p95 latency",
      measure: "P95 latency",
      missing: "latency histogram",
      limit: thresholdMs,
      limitShown: `${thresholdMs} ms`,
      scale: (seconds) => seconds * 1000,
      show: (latencyMs) => `${ms(latencyMs)} ms`,
      epsilon: 0,
    },
    latencyP95Seconds,
    scope,
    windowSeconds,
  );
}

/** The application's target is up and was scraped within the last two scrape intervals. */
export function evaluateFreshness(
  up: QueryOutcome,
  scrapeAgeSeconds: QueryOutcome,
  instance: string,
  scrapeIntervalSeconds: number,
): CheckResult {
  const name = "data freshness";
  const maxAge = 2 * scrapeIntervalSeconds;
  const threshold = `up=1, last scrape <= ${maxAge} s ago`;
  const target = `instance=${JSON.stringify(instance)}`;
  for (const [what, outcome] of [
    ["up", up],
    ["scrape age", scrapeAgeSeconds],
  ] as const) {
    if (outcome.kind === "error") {
      return check(name, "error", threshold, "error", `${what} query failed: ${outcome.reason}`);
    }
    if (outcome.kind === "empty") {
      return check(
        name,
        "no data",
        threshold,
        "inconclusive",
        `Prometheus has no scrape target ${target} (up has no series)`,
      );
    }
  }
  const upValue = (up as { samples: readonly Sample[] }).samples[0].value;
  const age = (scrapeAgeSeconds as { samples: readonly Sample[] }).samples[0].value;
  if (upValue !== 1) {
    return check(
      name,
      `up=${fixed(upValue, 0)}`,
      threshold,
      "fail",
      `scrape target ${target} is down (up=${fixed(upValue, 0)})`,
    );
  }
  if (!Number.isFinite(age) || age > maxAge) {
    return check(
      name,
      `${fixed(age, 1)} s ago`,
      threshold,
      "inconclusive",
      `last scrape of ${target} ${fixed(age, 1)} s ago > 2 scrape intervals (${maxAge} s): data is stale`,
    );
  }
  return check(
    name,
    `up=1, ${fixed(age, 1)} s ago`,
    threshold,
    "pass",
    `target ${target} up, last scrape ${fixed(age, 1)} s ago <= 2 scrape intervals (${maxAge} s)`,
  );
}

/** The canary's error rate exceeds the stable one's by no more than the margin. */
export function evaluateCanaryMargin(errorRatio: QueryOutcome, marginPercent: number): CheckResult {
  const name = "canary vs stable";
  const threshold = `<= +${fixed(marginPercent, 2)} points`;
  const canary = pick(errorRatio, "canary");
  const stable = pick(errorRatio, "stable");
  for (const p of [canary, stable]) {
    if (p.kind === "error") {
      return check(name, "error", threshold, "error", `error rate query failed: ${p.reason}`);
    }
  }
  if (canary.kind !== "value" || Number.isNaN(canary.value)) {
    return check(name, "no data", threshold, "inconclusive", "no canary error rate to compare");
  }
  if (stable.kind !== "value" || Number.isNaN(stable.value)) {
    return check(
      name,
      "no data",
      threshold,
      "inconclusive",
      "no stable error rate to compare the canary with",
    );
  }
  const canaryPercent = canary.value * 100;
  const stablePercent = stable.value * 100;
  const excess = canaryPercent - stablePercent;
  const shown = `${excess >= 0 ? "+" : ""}${fixed(excess, 2)} points`;
  const text = `canary error rate ${fixed(canaryPercent, 2)}% vs stable ${fixed(stablePercent, 2)}%: ${shown}`;
  if (excess > marginPercent + 1e-9) {
    return check(name, shown, threshold, "fail", `${text} > margin ${fixed(marginPercent, 2)}`);
  }
  return check(name, shown, threshold, "pass", `${text} <= margin ${fixed(marginPercent, 2)}`);
}

/**
 * Every check of a promotion, in a fixed order: five health checks, stage live, data
 * freshness, request count, error rate, P95 latency, and, when the metrics carry a canary
 * variant, canary vs stable.
 */
export function evaluateGate(input: GateEvaluationInput): CheckResult[] {
  const { settings: s, metrics: m } = input;
  const windowSeconds = s.validationWindowSeconds;
  const results: CheckResult[] = [
    ...evaluateHealth(input.health),
    evaluateStageLive(input.fromPercentage, input.liveSinceMs, input.nowMs, windowSeconds),
    evaluateFreshness(m.up, m.scrapeAgeSeconds, s.appInstance, s.scrapeIntervalSeconds),
  ];
  const scope = chooseScope(m.requests, input.fromPercentage);
  if (typeof scope !== "string") {
    for (const name of ["request count", "error rate", "p95 latency"]) {
      results.push(check(name, "no data", "canary traffic", "inconclusive", scope.reason));
    }
    return results;
  }
  results.push(
    evaluateRequestCount(m.requests, scope, s.minRequestCount, windowSeconds),
    evaluateErrorRate(m.errorRatio, scope, s.errorRateThresholdPercent, windowSeconds),
    evaluateLatencyP95(m.latencyP95Seconds, scope, s.latencyP95ThresholdMs, windowSeconds),
  );
  if (scope === "canary") {
    results.push(evaluateCanaryMargin(m.errorRatio, s.canaryErrorMarginPercent));
  }
  return results;
}

/** The overall verdict: any fail fails; otherwise any error or inconclusive is inconclusive. */
export function summarizeVerdict(checks: readonly CheckResult[]): GateVerdict {
  if (checks.some((c) => c.verdict === "fail")) return "fail";
  if (checks.some((c) => c.verdict === "error" || c.verdict === "inconclusive")) {
    return "inconclusive";
  }
  return checks.length === 0 ? "inconclusive" : "pass";
}
