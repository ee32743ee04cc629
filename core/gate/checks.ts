/**
 * Pure evaluation of a gate's checks: HTTP probe results and Prometheus answers in, one
 * {@link CheckResult} per check out, each four-valued with a reason that carries the
 * numbers. No I/O, no clock: the caller passes what it fetched and the time.
 */
import { ActiveAlertsOutcome, GATE_ALERT_NAMES } from "./gateAlerts";
import { NODE_EXPORTER_PROBE_COLLECTOR, NODE_EXPORTER_PROBE_PATH } from "./healthProbes";
import {
  COUNT,
  decimalBeside,
  exactDecimal,
  fixed,
  MILLISECONDS,
  PERCENT,
  SECONDS,
} from "./numbers";
import { QueryOutcome, Sample } from "./prometheusResponse";
import { CHECKS } from "./checkCatalogue";
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
  /** Scrapes of the application's target in the window. */
  readonly scrapesInWindow: QueryOutcome;
  /** Failed scrapes (`up` 0) of the application's target in the window. */
  readonly failedScrapesInWindow: QueryOutcome;
  /** When the last failed scrape was, seconds since the epoch; empty when none failed. */
  readonly lastFailedScrapeSeconds: QueryOutcome;
  /** By `alertname`, the rule evaluations each of the stack's alerts fired at in the window. */
  readonly alertsFiredInWindow: QueryOutcome;
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
  /**
   * Alertmanager's active (not silenced, not inhibited) alerts now. Absent means they were
   * not fetched (a replay of history has no "now"): the alerts check is then an error, never
   * a pass.
   */
  readonly activeAlerts?: ActiveAlertsOutcome;
}

const check = (
  name: string,
  value: string,
  threshold: string,
  verdict: CheckVerdict,
  reason: string,
): CheckResult => ({ name, value, threshold, verdict, reason });

/** A number as Prometheus answered it: exact for finite values, `NaN`, `+Inf`, `-Inf`. */
function answered(x: number): string {
  return Number.isFinite(x) ? String(x) : fixed(x, 0);
}

/** `a` or `an` before a noun phrase. */
function article(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? "an" : "a"} ${phrase}`;
}

/** How many characters of an unexpected health answer a reason quotes. */
const QUOTED_BODY_CHARS = 80;

/** The start of a body, quoted, for a reason: `"<html><head>..."`. */
function quoteBody(body: string): string {
  const flat = body.trim().replace(/\s+/g, " ");
  if (flat === "") return "an empty body";
  const cut = flat.length > QUOTED_BODY_CHARS ? `${flat.slice(0, QUOTED_BODY_CHARS)}...` : flat;
  return JSON.stringify(cut);
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
  return check(
    name,
    `HTTP ${probe.status}`,
    threshold,
    "pass",
    `${what} answered HTTP ${probe.status}`,
  );
}

/** HTTP 200 with a body that says `word` (at its start when `atStart`). */
function status200Saying(word: string, atStart: boolean) {
  return (status: number, body: string): string | undefined => {
    if (status !== 200) return `answered HTTP ${status}; expected 200`;
    const says = atStart ? body.trim().startsWith(word) : body.includes(word);
    if (says) return undefined;
    return `answered HTTP 200 without ${JSON.stringify(word)} ${atStart ? "at the start of" : "in"} its body: ${quoteBody(body)}`;
  };
}

function grafanaProblem(status: number, body: string): string | undefined {
  let database: unknown;
  try {
    database = (JSON.parse(body) as { database?: unknown } | null)?.database;
  } catch {
    return `answered HTTP ${status} with a body that is not JSON; expected {"database":"ok"}`;
  }
  const said =
    database === undefined ? "no database field" : `database ${JSON.stringify(database)}`;
  if (status !== 200) return `answered HTTP ${status} (${said})`;
  if (database !== "ok") return `reports ${said}; expected "ok"`;
  return undefined;
}

function nodeExporterProblem(status: number, body: string): string | undefined {
  if (status === 400) {
    const said = body.split("\n")[0].trim().slice(0, 200);
    return `answered HTTP 400 (${JSON.stringify(said)}): the probe asks for the ${NODE_EXPORTER_PROBE_COLLECTOR} collector, which must be enabled`;
  }
  if (status !== 200) return `answered HTTP ${status}; expected 200`;
  if (!/^node_exporter_build_info\{/m.test(body)) {
    return "answered HTTP 200 without node_exporter_build_info in its metrics";
  }
  return undefined;
}

/**
 * The `status` values of an application health body that mean unhealthy, lower-cased: Spring
 * Boot actuator's DOWN and OUT_OF_SERVICE, the health+json draft's fail, and common variants.
 */
export const UNHEALTHY_APP_STATUSES: readonly string[] = Object.freeze([
  "down",
  "out_of_service",
  "unhealthy",
  "fail",
  "failing",
  "error",
]);

function appProblem(status: number, body: string): string | undefined {
  if (status < 200 || status > 299) return `answered HTTP ${status}; expected 2xx`;
  let said: unknown;
  try {
    said = (JSON.parse(body) as { status?: unknown } | null)?.status;
  } catch {
    return undefined;
  }
  if (typeof said === "string" && UNHEALTHY_APP_STATUSES.includes(said.toLowerCase())) {
    return `answered HTTP ${status} with status ${JSON.stringify(said)}: the application reports itself unhealthy`;
  }
  return undefined;
}

/**
 * The five health checks, in the order Prometheus, Grafana, Alertmanager, Node Exporter, app.
 * Each component must say it is healthy, not merely answer: see "The health contract" in
 * docs/rolloutGates.md.
 */
export function evaluateHealth(probes: HealthProbes): CheckResult[] {
  return [
    evaluateHealthProbe(
      CHECKS.prometheusHealth.name,
      "Prometheus /-/healthy",
      probes.prometheus,
      status200Saying("Healthy", false),
      'HTTP 200, body with "Healthy"',
    ),
    evaluateHealthProbe(
      CHECKS.grafanaHealth.name,
      "Grafana /api/health",
      probes.grafana,
      grafanaProblem,
      'HTTP 200, database "ok"',
    ),
    evaluateHealthProbe(
      CHECKS.alertmanagerHealth.name,
      "Alertmanager /-/ready",
      probes.alertmanager,
      status200Saying("OK", true),
      'HTTP 200, body "OK"',
    ),
    evaluateHealthProbe(
      CHECKS.nodeExporterHealth.name,
      `Node Exporter ${NODE_EXPORTER_PROBE_PATH}`,
      probes.nodeExporter,
      nodeExporterProblem,
      "HTTP 200 with node_exporter_build_info",
    ),
    evaluateHealthProbe(
      CHECKS.appHealth.name,
      "application health URL",
      probes.app,
      appProblem,
      "HTTP 2xx, no unhealthy status",
    ),
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
      CHECKS.stageLive.name,
      value,
      threshold,
      "inconclusive",
      `stage ${percentage}% live for ${liveSeconds} s < validation window ${windowSeconds} s; ${windowSeconds - liveSeconds} s left`,
    );
  }
  return check(
    CHECKS.stageLive.name,
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

/**
 * The one value of `variant` (or the one series of all traffic) in a query's answer. Two
 * series where one is expected is an error, never a silent choice.
 */
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
  const found: Sample[] = outcome.samples.filter((s) => s.labels.variant === variant);
  if (found.length > 1) {
    return {
      kind: "error",
      reason: `expected one ${variant} series; got ${found.length} (values ${found.map((s) => answered(s.value)).join(", ")})`,
    };
  }
  return found.length === 0 ? { kind: "none" } : { kind: "value", value: found[0].value };
}

/** The request count of a scope when it is a usable number above zero, else undefined. */
function countedRequests(requests: QueryOutcome, variant: "canary" | "stable" | "all") {
  const p = pick(requests, variant);
  return p.kind === "value" && Number.isFinite(p.value) && p.value > 0 ? p.value : undefined;
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

function prefix(scope: TrafficScope | "stable"): string {
  return scope === "all" ? "" : `${scope} `;
}

/** A count's domain: finite, 0 or more. */
const isCount = (x: number): boolean => Number.isFinite(x) && x >= 0;

/** A ratio's domain: 0 to 1 (NaN is judged apart: 0/0 means no traffic). */
const isRatio = (x: number): boolean => x >= 0 && x <= 1;

/** The reason for a value outside its domain: what Prometheus answered and what is allowed. */
function outOfDomain(what: string, value: number, unit: string, domain: string): string {
  return `Prometheus answered ${article(what)} of ${answered(value)}${unit}: not ${domain}`;
}

const COUNT_DOMAIN = "a count (a finite number, 0 or more)";
const RATIO_DOMAIN = "a ratio (0 to 1)";

/** Values this close to a threshold (float noise) are taken as equal to it. */
const EPSILON = 1e-9;

/** Snaps `value` onto `limit` when it is within float noise of it. */
function snap(value: number, limit: number): number {
  return Math.abs(value - limit) <= EPSILON ? limit : value;
}

/** Enough traffic in the window to judge: at least `minRequestCount` requests. */
export function evaluateRequestCount(
  requests: QueryOutcome,
  scope: TrafficScope,
  minRequestCount: number,
  windowSeconds: number,
): CheckResult {
  const name = CHECKS.requestCount.name;
  const minShown = exactDecimal(minRequestCount, COUNT);
  const threshold = `>= ${minShown}`;
  const picked = pick(requests, scope);
  if (picked.kind === "error") {
    return check(name, "error", threshold, "error", `request count query failed: ${picked.reason}`);
  }
  if (picked.kind === "none") {
    return check(
      name,
      "no data",
      threshold,
      CHECKS.requestCount.noData,
      `no ${prefix(scope)}request data in the last ${windowSeconds} s: the query returned no series`,
    );
  }
  const count = picked.value;
  if (!isCount(count)) {
    return check(
      name,
      answered(count),
      threshold,
      "error",
      outOfDomain(`${prefix(scope)}request count`, count, "", COUNT_DOMAIN),
    );
  }
  const shown = decimalBeside(count, minRequestCount, COUNT);
  if (count < minRequestCount) {
    return check(
      name,
      shown,
      threshold,
      "inconclusive",
      `${prefix(scope)}requests ${shown} < minimum ${minShown} in the last ${windowSeconds} s: too little traffic to judge`,
    );
  }
  return check(
    name,
    shown,
    threshold,
    "pass",
    `${prefix(scope)}requests ${shown} >= minimum ${minShown} in the last ${windowSeconds} s`,
  );
}

/** What the error-rate check reads besides the ratio, to tell what a ratio means. */
export interface ErrorRateEvidence {
  /** The request counts by variant: a NaN ratio over counted requests is an error. */
  readonly requests: QueryOutcome;
  /** How many request series carry the status label, by variant: none means blind. */
  readonly statusLabelSeries: QueryOutcome;
  /** The label that should carry the HTTP status code (`genesis:appStatusLabel`). */
  readonly statusLabel: string;
}

/**
 * Error rate (5xx / all, in percent) below the threshold. The ratio must be a ratio; a NaN
 * ratio is "no requests" only when no requests were counted; and when requests were counted
 * but none of their series carries the status label, the gate cannot see errors at all.
 */
export function evaluateErrorRate(
  errorRatio: QueryOutcome,
  scope: TrafficScope,
  thresholdPercent: number,
  windowSeconds: number,
  evidence: ErrorRateEvidence,
): CheckResult {
  const name = CHECKS.errorRate.name;
  const limitShown = `${exactDecimal(thresholdPercent, PERCENT)}%`;
  const threshold = `< ${limitShown}`;
  const who = prefix(scope);
  const picked = pick(errorRatio, scope);
  if (picked.kind === "error") {
    return check(name, "error", threshold, "error", `error rate query failed: ${picked.reason}`);
  }
  const labelled = pick(evidence.statusLabelSeries, scope);
  if (labelled.kind === "error") {
    return check(
      name,
      "error",
      threshold,
      "error",
      `status label query failed: ${labelled.reason}`,
    );
  }
  if (labelled.kind === "value" && !isCount(labelled.value)) {
    return check(
      name,
      "error",
      threshold,
      "error",
      outOfDomain(`${who}status-label series count`, labelled.value, "", COUNT_DOMAIN),
    );
  }
  const counted = countedRequests(evidence.requests, scope);
  if (counted !== undefined && (labelled.kind === "none" || labelled.value === 0)) {
    return check(
      name,
      "blind",
      threshold,
      "inconclusive",
      `${who}error rate cannot be judged: ${answered(counted)} ${who}requests were counted but none of their series carries the status label ${JSON.stringify(evidence.statusLabel)}, so 5xx answers are invisible; set genesis:appStatusLabel to the label that holds the HTTP status code`,
    );
  }
  if (picked.kind === "none") {
    return check(
      name,
      "no data",
      threshold,
      CHECKS.errorRate.noData,
      `no ${who}error rate in the last ${windowSeconds} s: the query returned no series`,
    );
  }
  const ratio = picked.value;
  if (Number.isNaN(ratio)) {
    if (counted !== undefined) {
      return check(
        name,
        "NaN",
        threshold,
        "error",
        `${who}error rate is NaN although ${answered(counted)} ${who}requests were counted in the last ${windowSeconds} s`,
      );
    }
    return check(
      name,
      "NaN",
      threshold,
      "inconclusive",
      `${who}error rate is NaN: no requests in the last ${windowSeconds} s`,
    );
  }
  if (!isRatio(ratio)) {
    return check(
      name,
      answered(ratio),
      threshold,
      "error",
      outOfDomain(`${who}error ratio`, ratio, "", RATIO_DOMAIN),
    );
  }
  const percent = snap(ratio * 100, thresholdPercent);
  const shown = `${decimalBeside(percent, thresholdPercent, PERCENT)}%`;
  const breached = percent >= thresholdPercent;
  return check(
    name,
    shown,
    threshold,
    breached ? "fail" : "pass",
    `${who}error rate ${shown} ${breached ? ">=" : "<"} threshold ${limitShown}`,
  );
}

/** One bucket of a latency histogram. */
interface Bucket {
  /** The `le` label as Prometheus answered it. */
  readonly le: string;
  /** The edge in seconds (+Infinity for `+Inf`). */
  readonly edge: number;
  /** Requests at or below the edge in the window. */
  readonly count: number;
}

/** A histogram read from the bucket query, or why it could not be. */
type Histogram =
  | { readonly kind: "buckets"; readonly buckets: readonly Bucket[] }
  | { readonly kind: "none" }
  | { readonly kind: "error"; readonly reason: string }
  | { readonly kind: "invalid"; readonly reason: string };

/** How far a lower bucket may exceed a higher one (relative float noise of increase()). */
const BUCKET_TOLERANCE = 1e-9;

function parseLe(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  if (le === "+Inf" || le === "Inf") return Number.POSITIVE_INFINITY;
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(le)) return undefined;
  return Number(le);
}

/**
 * The judged scope's histogram from the bucket query, sorted by edge, checked: every bucket
 * has a numeric `le` (once), a count that is a count, counts that never fall as `le` rises,
 * and a `+Inf` bucket.
 */
function readHistogram(outcome: QueryOutcome, scope: TrafficScope): Histogram {
  if (outcome.kind === "error") return outcome;
  if (outcome.kind === "empty") return { kind: "none" };
  const who = prefix(scope);
  const samples =
    scope === "canary"
      ? outcome.samples.filter((s) => s.labels.variant === "canary")
      : outcome.samples;
  if (samples.length === 0) return { kind: "none" };
  const buckets: Bucket[] = [];
  for (const s of samples) {
    const le = s.labels.le;
    const edge = parseLe(le);
    if (edge === undefined || Number.isNaN(edge)) {
      return {
        kind: "invalid",
        reason: `Prometheus answered a ${who}latency bucket with le=${JSON.stringify(le ?? null)}: not a bucket edge (a number or "+Inf")`,
      };
    }
    if (!isCount(s.value)) {
      return {
        kind: "invalid",
        reason: outOfDomain(`${who}bucket count`, s.value, ` for le="${le}"`, COUNT_DOMAIN),
      };
    }
    const twin = buckets.find((b) => b.edge === edge);
    if (twin !== undefined) {
      return {
        kind: "invalid",
        reason: `Prometheus answered two ${who}latency buckets at le="${twin.le}" and le="${le}" (${answered(twin.count)} and ${answered(s.value)} requests): one series per edge expected`,
      };
    }
    buckets.push({ le: le as string, edge, count: s.value });
  }
  buckets.sort((a, b) => a.edge - b.edge);
  for (let i = 0; i + 1 < buckets.length; i++) {
    const [lo, hi] = [buckets[i], buckets[i + 1]];
    if (lo.count > hi.count * (1 + BUCKET_TOLERANCE)) {
      return {
        kind: "invalid",
        reason: `Prometheus answered ${answered(lo.count)} ${who}requests at or below le="${lo.le}" but ${answered(hi.count)} at or below le="${hi.le}": bucket counts must not fall as le rises`,
      };
    }
  }
  if (buckets[buckets.length - 1].edge !== Number.POSITIVE_INFINITY) {
    return {
      kind: "invalid",
      reason: `the ${who}latency histogram has no le="+Inf" bucket (edges ${edgesText(buckets)}): Prometheus answered an incomplete histogram`,
    };
  }
  return { kind: "buckets", buckets };
}

/** The finite edges of buckets as a list in seconds: `0.05, 0.1, 0.25 s`. */
function edgesText(buckets: readonly Bucket[]): string {
  const finite = buckets.filter((b) => Number.isFinite(b.edge));
  return finite.length === 0 ? "none" : `${finite.map((b) => b.le).join(", ")} s`;
}

/** A P95 latency's domain: a finite number of seconds, 0 or more. */
const LATENCY_DOMAIN = "a latency (a finite number of seconds, 0 or more)";

/** The share of requests above the P95 quantile edge: more than this slower is a breach. */
const SLOW_SHARE_LIMIT_PERCENT = 5;

/**
 * P95 latency below the threshold, judged by two measures that must agree: the P95 that
 * `histogram_quantile` answers, and the share of requests slower than the threshold read
 * from the histogram's own bucket at the threshold. The histogram must be able to see a
 * breach: with no finite bucket edge at or above the threshold every slow request lands in
 * `+Inf`, where `histogram_quantile` answers the highest finite edge, so even a service
 * where every request is slow would pass; that is inconclusive, naming the edge to export.
 */
export function evaluateLatencyP95(
  latencyP95Seconds: QueryOutcome,
  latencyBuckets: QueryOutcome,
  scope: TrafficScope,
  thresholdMs: number,
  windowSeconds: number,
): CheckResult {
  const name = CHECKS.p95Latency.name;
  const limitShown = `${exactDecimal(thresholdMs, MILLISECONDS)} ms`;
  const limitSeconds = thresholdMs / 1000;
  const threshold = `< ${limitShown}; <= ${SLOW_SHARE_LIMIT_PERCENT}% slower than ${limitShown}`;
  const who = prefix(scope);
  const picked = pick(latencyP95Seconds, scope);
  if (picked.kind === "error") {
    return check(name, "error", threshold, "error", `P95 latency query failed: ${picked.reason}`);
  }
  const histogram = readHistogram(latencyBuckets, scope);
  if (histogram.kind === "error") {
    return check(
      name,
      "error",
      threshold,
      "error",
      `latency buckets query failed: ${histogram.reason}`,
    );
  }
  if (histogram.kind === "invalid") {
    return check(name, "error", threshold, "error", histogram.reason);
  }
  if (picked.kind === "none") {
    return check(
      name,
      "no data",
      threshold,
      CHECKS.p95Latency.noData,
      `no ${who}latency histogram in the last ${windowSeconds} s: the query returned no series`,
    );
  }
  if (histogram.kind === "none") {
    return check(
      name,
      "no data",
      threshold,
      CHECKS.p95Latency.noData,
      `no ${who}latency buckets in the last ${windowSeconds} s: the query returned no series`,
    );
  }
  const buckets = histogram.buckets;
  const total = buckets[buckets.length - 1].count;
  const p95 = picked.value;
  if (Number.isNaN(p95)) {
    if (total > 0) {
      return check(
        name,
        "NaN",
        threshold,
        "error",
        `${who}P95 latency is NaN although the histogram counted ${answered(total)} ${who}requests in the last ${windowSeconds} s`,
      );
    }
    return check(
      name,
      "NaN",
      threshold,
      "inconclusive",
      `${who}P95 latency is NaN: no requests in the last ${windowSeconds} s`,
    );
  }
  if (!Number.isFinite(p95) || p95 < 0) {
    return check(
      name,
      answered(p95),
      threshold,
      "error",
      outOfDomain(`${who}P95 latency`, p95, " s", LATENCY_DOMAIN),
    );
  }
  const finite = buckets.filter((b) => Number.isFinite(b.edge));
  const cannotResolve = (why: string): CheckResult =>
    check(
      name,
      "unresolvable",
      threshold,
      "inconclusive",
      `the ${who}latency histogram cannot resolve ${limitShown}: ${why}; export a bucket edge at ${answered(limitSeconds)} s`,
    );
  if (!finite.some((b) => b.edge >= limitSeconds)) {
    return cannotResolve(
      finite.length === 0
        ? "it has no finite bucket edge"
        : `its finite bucket edges are ${edgesText(buckets)}`,
    );
  }
  const at = [...finite].reverse().find((b) => b.edge <= limitSeconds);
  if (at === undefined) {
    return cannotResolve(
      `its finite bucket edges are ${edgesText(buckets)}, none at or below ${answered(limitSeconds)} s`,
    );
  }
  if (total === 0) {
    return check(
      name,
      "no data",
      threshold,
      CHECKS.p95Latency.noData,
      `the ${who}latency histogram counted no requests in the last ${windowSeconds} s although P95 is ${answered(p95)} s`,
    );
  }
  const p95Ms = snap(p95 * 1000, thresholdMs);
  const p95Shown = `${decimalBeside(p95Ms, thresholdMs, MILLISECONDS)} ms`;
  const p95Breached = p95Ms >= thresholdMs;
  const slowPercent = snap(Math.max(0, 1 - at.count / total) * 100, SLOW_SHARE_LIMIT_PERCENT);
  const slowShown = `${decimalBeside(slowPercent, SLOW_SHARE_LIMIT_PERCENT, PERCENT)}%`;
  const slowBreached = slowPercent > SLOW_SHARE_LIMIT_PERCENT;
  const atShown = `${exactDecimal(Number((at.edge * 1000).toFixed(3)), MILLISECONDS)} ms`;
  return check(
    name,
    `${p95Shown}; ${slowShown} slower`,
    threshold,
    p95Breached || slowBreached ? "fail" : "pass",
    `${who}P95 latency ${p95Shown} ${p95Breached ? ">=" : "<"} threshold ${limitShown}; ${slowShown} of ${who}requests slower than ${atShown} (bucket le=${at.le}) ${slowBreached ? ">" : "<="} ${SLOW_SHARE_LIMIT_PERCENT}%`,
  );
}

/** The single series of a label-less query (`min(up)`), or why there is not one. */
function single(outcome: QueryOutcome, what: string): Picked {
  if (outcome.kind === "error") {
    return { kind: "error", reason: `${what} query failed: ${outcome.reason}` };
  }
  if (outcome.kind === "empty") return { kind: "none" };
  if (outcome.samples.length !== 1) {
    return {
      kind: "error",
      reason: `${what} query answered ${outcome.samples.length} series; expected one`,
    };
  }
  return { kind: "value", value: outcome.samples[0].value };
}

/** The application's target is up and was scraped within the last two scrape intervals. */
export function evaluateFreshness(
  up: QueryOutcome,
  scrapeAgeSeconds: QueryOutcome,
  instance: string,
  scrapeIntervalSeconds: number,
): CheckResult {
  const name = CHECKS.dataFreshness.name;
  const maxAge = 2 * scrapeIntervalSeconds;
  const threshold = `up=1, last scrape <= ${maxAge} s ago`;
  const target = `instance=${JSON.stringify(instance)}`;
  const picked = { up: single(up, "up"), age: single(scrapeAgeSeconds, "scrape age") };
  for (const [what, p] of [
    ["up", picked.up],
    ["scrape age", picked.age],
  ] as const) {
    if (p.kind === "error") {
      return check(name, "error", threshold, "error", p.reason);
    }
    if (p.kind === "none") {
      return check(
        name,
        "no data",
        threshold,
        CHECKS.dataFreshness.noData,
        `Prometheus has no scrape target ${target} (${what} has no series)`,
      );
    }
  }
  const upValue = (picked.up as { value: number }).value;
  const age = (picked.age as { value: number }).value;
  if (upValue !== 0 && upValue !== 1) {
    return check(
      name,
      `up=${answered(upValue)}`,
      threshold,
      "error",
      `Prometheus answered up=${answered(upValue)} for ${target}: not 0 or 1`,
    );
  }
  if (upValue === 0) {
    return check(name, "up=0", threshold, "fail", `scrape target ${target} is down (up=0)`);
  }
  if (!Number.isFinite(age) || age < 0) {
    return check(
      name,
      `${answered(age)} s ago`,
      threshold,
      "error",
      outOfDomain(
        `scrape age`,
        age,
        ` s for ${target}`,
        "an age (a finite number of seconds, 0 or more)",
      ),
    );
  }
  const shown = decimalBeside(age, maxAge, SECONDS);
  if (age > maxAge) {
    return check(
      name,
      `${shown} s ago`,
      threshold,
      "inconclusive",
      `last scrape of ${target} ${shown} s ago > 2 scrape intervals (${maxAge} s): data is stale`,
    );
  }
  return check(
    name,
    `up=1, ${shown} s ago`,
    threshold,
    "pass",
    `target ${target} up, last scrape ${shown} s ago <= 2 scrape intervals (${maxAge} s)`,
  );
}

/** A count's domain for whole counts (scrapes, evaluations): a finite integer, 0 or more. */
const isWholeCount = (x: number): boolean => Number.isInteger(x) && x >= 0;

const WHOLE_COUNT_DOMAIN = "a whole count (an integer, 0 or more)";

/** How far past the decision a sample's timestamp may lie (clock skew), in seconds. */
const FUTURE_TOLERANCE_SECONDS = 60;

/**
 * The application's target answered every scrape in the window: no `up` sample of 0. The
 * reason names how many of how many scrapes failed and when the last one was (a time before
 * the window, which the subquery's look-back can reach, is not cited).
 */
export function evaluateScrapesInWindow(
  scrapes: QueryOutcome,
  failed: QueryOutcome,
  lastFailedSeconds: QueryOutcome,
  instance: string,
  windowSeconds: number,
  nowMs: number,
): CheckResult {
  const name = CHECKS.scrapesInWindow.name;
  const threshold = "0 failed";
  const target = `instance=${JSON.stringify(instance)}`;
  const picked = {
    scrapes: single(scrapes, "scrape count"),
    failed: single(failed, "failed scrape count"),
    last: single(lastFailedSeconds, "last failed scrape"),
  };
  for (const p of [picked.scrapes, picked.failed, picked.last]) {
    if (p.kind === "error") return check(name, "error", threshold, "error", p.reason);
  }
  if (picked.scrapes.kind === "none" || picked.failed.kind === "none") {
    return check(
      name,
      "no data",
      threshold,
      CHECKS.scrapesInWindow.noData,
      `Prometheus has no scrape of target ${target} in the last ${windowSeconds} s (up has no samples)`,
    );
  }
  const total = (picked.scrapes as { value: number }).value;
  const bad = (picked.failed as { value: number }).value;
  for (const [what, x] of [
    ["scrape count", total],
    ["failed scrape count", bad],
  ] as const) {
    if (!isWholeCount(x)) {
      return check(
        name,
        answered(x),
        threshold,
        "error",
        outOfDomain(what, x, ` for ${target}`, WHOLE_COUNT_DOMAIN),
      );
    }
  }
  if (bad > total) {
    return check(
      name,
      `${bad} of ${total} failed`,
      threshold,
      "error",
      `Prometheus answered ${bad} failed scrapes of ${target} but only ${total} scrapes in the last ${windowSeconds} s: failed scrapes cannot exceed scrapes`,
    );
  }
  const value = `${bad} of ${total} failed`;
  if (bad === 0) {
    return check(
      name,
      value,
      threshold,
      "pass",
      `target ${target} answered all ${total} scrapes in the last ${windowSeconds} s`,
    );
  }
  let when = "the last at an unknown time";
  if (picked.last.kind === "value") {
    const lastSeconds = picked.last.value;
    if (
      !Number.isFinite(lastSeconds) ||
      lastSeconds * 1000 > nowMs + FUTURE_TOLERANCE_SECONDS * 1000
    ) {
      return check(
        name,
        value,
        threshold,
        "error",
        outOfDomain(
          "last failed scrape time",
          lastSeconds,
          ` s for ${target}`,
          "a time in seconds since the epoch, not after the decision",
        ),
      );
    }
    const agoSeconds = Math.max(0, Math.round(nowMs / 1000 - lastSeconds));
    if (agoSeconds <= windowSeconds) {
      when = `the last at ${new Date(Math.round(lastSeconds * 1000)).toISOString()} (${agoSeconds} s ago)`;
    }
  }
  return check(
    name,
    value,
    threshold,
    "fail",
    `target ${target} failed ${bad} of ${total} scrapes (up=0) in the last ${windowSeconds} s, ${when}`,
  );
}

/**
 * No alert of this stack's rule groups ({@link GATE_ALERT_NAMES}) is firing now (Alertmanager:
 * active, not silenced, not inhibited) and none fired in the window (Prometheus `ALERTS`,
 * which also holds alerts that fired and resolved). The reason names every such alert. An
 * answer that cannot be read is an error, never "no alerts".
 */
export function evaluateAlerts(
  activeAlerts: ActiveAlertsOutcome,
  firedInWindow: QueryOutcome,
  windowSeconds: number,
): CheckResult {
  const name = CHECKS.alerts.name;
  const threshold = "none firing now or in the window";
  if (activeAlerts.kind === "error") {
    return check(
      name,
      "error",
      threshold,
      "error",
      `Alertmanager alerts could not be read: ${activeAlerts.reason}`,
    );
  }
  if (firedInWindow.kind === "error") {
    return check(name, "error", threshold, "error", `ALERTS query failed: ${firedInWindow.reason}`);
  }
  const fired: { alert: string; evaluations: number }[] = [];
  for (const s of firedInWindow.kind === "samples" ? firedInWindow.samples : []) {
    const alert = s.labels.alertname;
    if (alert === undefined || !GATE_ALERT_NAMES.includes(alert)) {
      return check(
        name,
        "error",
        threshold,
        "error",
        `Prometheus answered an ALERTS series with alertname=${JSON.stringify(alert ?? null)}: not one of the stack's alerts (${GATE_ALERT_NAMES.join(", ")})`,
      );
    }
    if (!isWholeCount(s.value) || s.value < 1) {
      return check(
        name,
        "error",
        threshold,
        "error",
        outOfDomain(`${alert} firing evaluation count`, s.value, "", "a whole count of 1 or more"),
      );
    }
    fired.push({ alert, evaluations: s.value });
  }
  const now = new Map<string, string>();
  for (const a of activeAlerts.alerts) {
    if (!GATE_ALERT_NAMES.includes(a.name)) continue;
    const earlier = now.get(a.name);
    if (earlier === undefined || (a.startsAt !== "" && a.startsAt < earlier)) {
      now.set(a.name, a.startsAt);
    }
  }
  fired.sort((a, b) => a.alert.localeCompare(b.alert));
  const nowNames = [...now.keys()].sort();
  const names = [...new Set([...nowNames, ...fired.map((f) => f.alert)])].sort();
  if (names.length === 0) {
    return check(
      name,
      "none",
      threshold,
      "pass",
      `no Genesis alert firing in Alertmanager now and none fired in the last ${windowSeconds} s (Prometheus ALERTS)`,
    );
  }
  const parts: string[] = [];
  if (nowNames.length > 0) {
    const since = (n: string) => (now.get(n) === "" ? n : `${n} (since ${now.get(n)})`);
    parts.push(`firing now in Alertmanager: ${nowNames.map(since).join(", ")}`);
  }
  if (fired.length > 0) {
    const at = (f: { alert: string; evaluations: number }) =>
      `${f.alert} (at ${f.evaluations} rule ${f.evaluations === 1 ? "evaluation" : "evaluations"})`;
    parts.push(`fired in the last ${windowSeconds} s: ${fired.map(at).join(", ")}`);
  }
  return check(name, names.join(", "), threshold, "fail", parts.join("; "));
}

/**
 * The canary's error rate exceeds the stable one's by no more than the margin. Both ratios
 * must be ratios; a NaN ratio over counted requests is an error, as for the error rate.
 */
export function evaluateCanaryMargin(
  errorRatio: QueryOutcome,
  requests: QueryOutcome,
  marginPercent: number,
): CheckResult {
  const name = CHECKS.canaryVsStable.name;
  const marginShown = exactDecimal(marginPercent, PERCENT);
  const threshold = `<= +${marginShown} points`;
  const ratios: Record<"canary" | "stable", number> = { canary: NaN, stable: NaN };
  for (const variant of ["canary", "stable"] as const) {
    const p = pick(errorRatio, variant);
    if (p.kind === "error") {
      return check(name, "error", threshold, "error", `error rate query failed: ${p.reason}`);
    }
    if (p.kind === "value" && !Number.isNaN(p.value) && !isRatio(p.value)) {
      return check(
        name,
        "error",
        threshold,
        "error",
        outOfDomain(`${variant} error ratio`, p.value, "", RATIO_DOMAIN),
      );
    }
    const counted = countedRequests(requests, variant);
    if (p.kind === "value" && Number.isNaN(p.value) && counted !== undefined) {
      return check(
        name,
        "error",
        threshold,
        "error",
        `${variant} error rate is NaN although ${answered(counted)} ${variant} requests were counted`,
      );
    }
    if (p.kind === "value") ratios[variant] = p.value;
  }
  if (Number.isNaN(ratios.canary)) {
    return check(
      name,
      "no data",
      threshold,
      CHECKS.canaryVsStable.noData,
      "no canary error rate to compare",
    );
  }
  if (Number.isNaN(ratios.stable)) {
    return check(
      name,
      "no data",
      threshold,
      CHECKS.canaryVsStable.noData,
      "no stable error rate to compare the canary with",
    );
  }
  const canaryPercent = ratios.canary * 100;
  const stablePercent = ratios.stable * 100;
  const excess = snap(canaryPercent - stablePercent, marginPercent);
  const over = excess > marginPercent;
  const shown = `${excess >= 0 ? "+" : ""}${decimalBeside(excess, marginPercent, PERCENT)} points`;
  const text = `canary error rate ${fixed(canaryPercent, 2)}% vs stable ${fixed(stablePercent, 2)}%: ${shown}`;
  return check(
    name,
    shown,
    threshold,
    over ? "fail" : "pass",
    `${text} ${over ? ">" : "<="} margin ${marginShown}`,
  );
}

/** What the alerts check reads when the caller fetched no Alertmanager answer. */
const NOT_FETCHED_ALERTS: ActiveAlertsOutcome = {
  kind: "error",
  reason: "Alertmanager's active alerts were not fetched for this evaluation",
};

/** The names of the window checks after health, stage live and freshness, in order. */
const SCOPED_CHECKS = [CHECKS.requestCount, CHECKS.errorRate, CHECKS.p95Latency] as const;

/**
 * Every check of a promotion, in a fixed order: five health checks, stage live, data
 * freshness, scrapes in window, alerts, request count, error rate, P95 latency, and, when the metrics carry a canary
 * variant, canary vs stable.
 */
export function evaluateGate(input: GateEvaluationInput): CheckResult[] {
  const { settings: s, metrics: m } = input;
  const windowSeconds = s.validationWindowSeconds;
  const results: CheckResult[] = [
    ...evaluateHealth(input.health),
    evaluateStageLive(input.fromPercentage, input.liveSinceMs, input.nowMs, windowSeconds),
    evaluateFreshness(m.up, m.scrapeAgeSeconds, s.appInstance, s.scrapeIntervalSeconds),
    evaluateScrapesInWindow(
      m.scrapesInWindow,
      m.failedScrapesInWindow,
      m.lastFailedScrapeSeconds,
      s.appInstance,
      windowSeconds,
      input.nowMs,
    ),
    evaluateAlerts(input.activeAlerts ?? NOT_FETCHED_ALERTS, m.alertsFiredInWindow, windowSeconds),
  ];
  const scope = chooseScope(m.requests, input.fromPercentage);
  if (typeof scope !== "string") {
    for (const spec of SCOPED_CHECKS) {
      results.push(check(spec.name, "no data", "canary traffic", spec.noData, scope.reason));
    }
    return results;
  }
  results.push(
    evaluateRequestCount(m.requests, scope, s.minRequestCount, windowSeconds),
    evaluateErrorRate(m.errorRatio, scope, s.errorRateThresholdPercent, windowSeconds, {
      requests: m.requests,
      statusLabelSeries: m.statusLabelSeries,
      statusLabel: s.statusLabel,
    }),
    evaluateLatencyP95(
      m.latencyP95Seconds,
      m.latencyBuckets,
      scope,
      s.latencyP95ThresholdMs,
      windowSeconds,
    ),
  );
  if (scope === "canary") {
    results.push(evaluateCanaryMargin(m.errorRatio, m.requests, s.canaryErrorMarginPercent));
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
