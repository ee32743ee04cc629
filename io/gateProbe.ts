/**
 * The gate's I/O: HTTP probes and Prometheus queries, run concurrently, in bounded time and
 * memory: every request has one deadline covering connect, headers and the whole body, every
 * decision one deadline covering all its requests and retries, and every answer a size cap.
 * No reason leaving this module shows a password (core/redact.ts). Everything else is pure
 * code from core/gate. The functions here are serialized into the dynamic provider, so they
 * `require` axios inside and keep only plain data at module level.
 */
import { evaluateGate, HealthProbes, HttpProbe, MetricOutcomes } from "../core/gate/checks";
import {
  ActiveAlertsOutcome,
  ALERTMANAGER_ALERTS_PARAMS,
  ALERTMANAGER_ALERTS_PATH,
  parseAlertmanagerAlerts,
} from "../core/gate/gateAlerts";
import { healthProbeUrls } from "../core/gate/healthProbes";
import {
  GATE_MEASURE_GROUPS,
  groupedQueries,
  MeasureGroup,
  splitGroupedOutcomes,
} from "../core/gate/measureGroups";
import { parsePrometheusResponse, QueryOutcome } from "../core/gate/prometheusResponse";
import { buildGateQueries } from "../core/gate/promql";
import { MatrixOutcome, parsePrometheusMatrix } from "../core/report/prometheusMatrix";
import { readPeakSamples } from "../core/replay/instantTable";
import { CheckResult, GateEndpoints, GateSettings } from "../core/gate/types";
import { redactUrl } from "../core/redact";

/** How long to wait between attempts, in milliseconds (times the attempt number). */
const RETRY_BACKOFF_MS = 200;

/**
 * The largest answer to a Prometheus instant query the gate reads, in bytes (4 MiB). The
 * gate's queries aggregate inside Prometheus and answer a few hundred bytes; anything larger
 * is a fault, and reading it whole would grow memory without bound.
 */
export const PROMETHEUS_ANSWER_CAP_BYTES = 4 * 1024 * 1024;

/**
 * The largest answer to a Prometheus range query read, in bytes (32 MiB), apart from the
 * instant queries' cap. `genesis replay` asks for each group of the gate's measures over the
 * whole span in one query where Prometheus allows: the latency group (26 series after
 * aggregation) over a week at one-minute steps answers about 7 MB, which the 4 MiB cap cut
 * into four queries. Read and parsed, an answer takes about six times its size, so the
 * replay's four queries in flight stay under a GiB even if every answer reached the cap;
 * larger is a fault.
 */
export const PROMETHEUS_RANGE_ANSWER_CAP_BYTES = 32 * 1024 * 1024;

/**
 * The largest answer to a health probe the gate reads, in bytes (256 KiB). The probes answer
 * a line or a few kilobytes (Node Exporter's one collector); anything larger is a fault.
 */
export const HEALTH_ANSWER_CAP_BYTES = 256 * 1024;

/**
 * The largest answer to Alertmanager's alert list the gate reads, in bytes (1 MiB). An alert
 * is about 1 KiB, so this is a thousand active alerts; more is a fault (or an Alertmanager
 * shared far beyond this stack) and blocks rather than growing memory.
 */
export const ALERTMANAGER_ANSWER_CAP_BYTES = 1024 * 1024;

/** The longest delay Node's timers keep (2^31 - 1 ms); a longer deadline counts as none. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A decision's deadline, shared by every request of one decision (retries included): when
 * it passes, every request still running is aborted and no retry starts.
 */
export interface DecisionDeadline {
  /** Aborts when the decision's time is up. */
  readonly signal: AbortSignal;
  /** When the time is up, on the `performance.now()` clock (Infinity for no deadline). */
  readonly endsAtMs: number;
  /** The decision's whole deadline in milliseconds, as reasons name it. */
  readonly timeoutMs: number;
}

/**
 * Starts a decision's deadline of `timeoutMs` from now. A deadline that is not a finite
 * number (or longer than Node's timers allow) means no decision deadline: each request still
 * has its own.
 */
export function startDecision(timeoutMs: number): DecisionDeadline {
  const finite = Number.isFinite(timeoutMs) && timeoutMs >= 0 && timeoutMs <= MAX_TIMER_MS;
  return {
    signal: finite ? AbortSignal.timeout(Math.ceil(timeoutMs)) : new AbortController().signal,
    endsAtMs: finite ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY,
    timeoutMs,
  };
}

/** `decision` itself, or a deadline started now from a number of milliseconds (none: no deadline). */
function asDecision(decision: DecisionDeadline | number | undefined): DecisionDeadline {
  return typeof decision === "object"
    ? decision
    : startDecision(decision ?? Number.POSITIVE_INFINITY);
}

/** `bytes` as a person reads a cap: `4 MiB`, `256 KiB`, `100 bytes`. */
function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

interface RawAnswer {
  readonly status: number;
  readonly data: unknown;
}

/** How one GET is bounded: its own deadline, its size cap and the decision's deadline. */
interface Bounds {
  /** One attempt's deadline in milliseconds: connect, headers and the whole body. */
  readonly requestTimeoutMs: number;
  /** Retries after a transport error or a 5xx. */
  readonly retries: number;
  /** The largest answer read, in bytes. */
  readonly capBytes: number;
  /** The decision this request belongs to. */
  readonly decision: DecisionDeadline;
}

/**
 * One GET of `url` (plus `params`), retried on transport errors and 5xx up to
 * `bounds.retries` times while the decision's deadline allows. Every attempt has one
 * deadline, min(request deadline, time left in the decision), covering connect, headers and
 * the whole body, and reads at most `bounds.capBytes`. A failure names `url` and which
 * deadline or cap ended it, with the attempts made; it is not yet redacted.
 */
async function getWithRetries(
  url: string,
  params: Record<string, string> | undefined,
  bounds: Bounds,
  parseJson: boolean,
): Promise<RawAnswer | { readonly failure: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const axios = require("axios") as typeof import("axios").default;
  const { requestTimeoutMs, retries, capBytes, decision } = bounds;
  // The query string is built once here rather than by axios on every attempt.
  const target = params === undefined ? url : `${url}?${new URLSearchParams(params).toString()}`;
  const decisionRanOut = `the decision deadline of ${decision.timeoutMs} ms ran out`;
  const attempts = retries + 1;
  let made = 0;
  let cut = false;
  let lastByDecision = false;
  let final = false;
  let last: RawAnswer | { readonly failure: string } | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const pauseMs = attempt > 0 ? RETRY_BACKOFF_MS * attempt : 0;
    // A retry that could not even start before the decision's deadline is not made.
    if (decision.signal.aborted || performance.now() + pauseMs >= decision.endsAtMs) {
      cut = true;
      break;
    }
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    const leftMs = decision.endsAtMs - performance.now();
    if (decision.signal.aborted || leftMs <= 0) {
      cut = true;
      break;
    }
    const attemptMs = Math.min(requestTimeoutMs, leftMs);
    const byDecision = attemptMs < requestTimeoutMs;
    const own =
      Number.isFinite(attemptMs) && attemptMs <= MAX_TIMER_MS
        ? AbortSignal.timeout(Math.max(1, Math.ceil(attemptMs)))
        : undefined;
    const signal = own === undefined ? decision.signal : AbortSignal.any([own, decision.signal]);
    made++;
    try {
      const res = await axios.get(target, {
        signal,
        maxContentLength: capBytes,
        maxBodyLength: capBytes,
        validateStatus: () => true,
        responseType: "text",
        transformResponse: [(d: unknown) => d],
        maxRedirects: 0,
        // Every answer the gate reads is small (a handful of samples, one collector):
        // compressing and inflating it cost more than it saved (3.4 ms against 4.7-5.6 ms
        // for a whole decision at 100 series in bench:gate).
        headers: { "Accept-Encoding": "identity" },
      });
      let data: unknown = res.data;
      if (parseJson) {
        try {
          data = JSON.parse(String(res.data));
        } catch {
          data = res.data;
        }
      }
      last = { status: res.status, data };
      lastByDecision = false;
      if (res.status < 500) return last;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      let failure: string;
      lastByDecision = signal.aborted && (decision.signal.aborted || byDecision);
      if (signal.aborted) {
        failure =
          decision.signal.aborted || byDecision
            ? `no complete answer from ${url} before ${decisionRanOut}`
            : `no complete answer from ${url} within the request deadline of ${requestTimeoutMs} ms`;
      } else if (/maxContentLength/.test(err.message ?? "")) {
        failure = `answer larger than ${formatBytes(capBytes)} cap from ${url}`;
        // Not a passing fault: the same answer again would only cost the same again.
        final = true;
      } else {
        failure = err.message ?? err.code ?? String(e);
      }
      last = { failure };
      if (final) break;
    }
  }
  if (last === undefined) {
    return {
      failure: `no request to ${url} could start before ${decisionRanOut} (after 0 attempts)`,
    };
  }
  if (!("failure" in last)) return last;
  // Which attempts were made; the decision's deadline is named once, when it cut them short.
  const tried =
    made === attempts || final
      ? `${made} ${made === 1 ? "attempt" : "attempts"}`
      : `${made} of ${attempts} attempts`;
  return {
    failure:
      cut && !lastByDecision
        ? `${last.failure} (after ${tried}: ${decisionRanOut})`
        : `${last.failure} (after ${tried})`,
  };
}

/**
 * GETs `url` and reports the status and body, or why there was no answer. The request's
 * deadline is `timeoutMs` (connect, headers and body), bounded by `decision`'s; the answer
 * is read up to {@link HEALTH_ANSWER_CAP_BYTES}. A failure's reason never shows a password.
 */
export async function probeHttp(
  url: string,
  timeoutMs: number,
  retries: number,
  decision?: DecisionDeadline | number,
): Promise<HttpProbe> {
  const answer = await getWithRetries(
    url,
    undefined,
    {
      requestTimeoutMs: timeoutMs,
      retries,
      capBytes: HEALTH_ANSWER_CAP_BYTES,
      decision: asDecision(decision),
    },
    false,
  );
  if ("failure" in answer) return { kind: "failure", reason: redactUrl(answer.failure) };
  return { kind: "response", status: answer.status, body: String(answer.data ?? "") };
}

/**
 * GETs one Prometheus API endpoint (`path` under `baseUrl`) with `params` and Prometheus's
 * own evaluation timeout, reading at most `capBytes`, and parses the answer with `parse`; no
 * answer at all becomes an error outcome naming the address. Every error's reason is
 * redacted.
 */
async function callPrometheusApi<T>(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  timeoutMs: number,
  retries: number,
  decision: DecisionDeadline | number | undefined,
  capBytes: number,
  parse: (status: number, body: unknown) => T,
): Promise<T | { readonly kind: "error"; readonly reason: string }> {
  const base = baseUrl.replace(/\/+$/, "");
  const answer = await getWithRetries(
    `${base}${path}`,
    { ...params, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` },
    {
      requestTimeoutMs: timeoutMs,
      retries,
      capBytes,
      decision: asDecision(decision),
    },
    true,
  );
  if ("failure" in answer) {
    return {
      kind: "error",
      reason: redactUrl(`Prometheus unreachable at ${baseUrl}: ${answer.failure}`),
    };
  }
  const outcome = parse(answer.status, answer.data);
  const error = outcome as { readonly kind?: unknown; readonly reason?: unknown };
  return error.kind === "error" && typeof error.reason === "string"
    ? { ...outcome, reason: redactUrl(error.reason) }
    : outcome;
}

/**
 * Runs one instant query against Prometheus at `baseUrl`: one request's deadline is
 * `timeoutMs`, and `decision` (a shared deadline, or milliseconds from now) bounds the
 * attempts and retries together; none means each request's deadline only. The answer is
 * read up to {@link PROMETHEUS_ANSWER_CAP_BYTES}.
 */
export function queryPrometheus(
  baseUrl: string,
  query: string,
  timeoutMs: number,
  retries: number,
  decision?: DecisionDeadline | number,
): Promise<QueryOutcome> {
  return callPrometheusApi(
    baseUrl,
    "/api/v1/query",
    { query },
    timeoutMs,
    retries,
    decision,
    PROMETHEUS_ANSWER_CAP_BYTES,
    parsePrometheusResponse,
  );
}

/**
 * The five health probes, concurrently, each with the request deadline `timeoutMs`, all
 * within `decision` (a shared deadline, or a decision deadline in milliseconds from now, such
 * as `settings.decisionTimeoutMs`); none means each request's deadline only.
 */
export async function collectHealth(
  endpoints: GateEndpoints,
  timeoutMs: number,
  retries: number,
  decision?: DecisionDeadline | number,
): Promise<HealthProbes> {
  const urls = healthProbeUrls(endpoints);
  const shared = asDecision(decision);
  const [prometheus, grafana, alertmanager, nodeExporter, app] = await Promise.all([
    probeHttp(urls.prometheus, timeoutMs, retries, shared),
    probeHttp(urls.grafana, timeoutMs, retries, shared),
    probeHttp(urls.alertmanager, timeoutMs, retries, shared),
    probeHttp(urls.nodeExporter, timeoutMs, retries, shared),
    probeHttp(urls.app, timeoutMs, retries, shared),
  ]);
  return { prometheus, grafana, alertmanager, nodeExporter, app };
}

/**
 * Runs one instant query evaluated at `atSeconds` (seconds since the epoch) rather than now,
 * bounded like {@link queryPrometheus}: the figures of a past period, such as the sign-off's
 * baseline before the rollout started.
 */
export function queryPrometheusAt(
  baseUrl: string,
  query: string,
  atSeconds: number,
  timeoutMs: number,
  retries: number,
  decision?: DecisionDeadline | number,
): Promise<QueryOutcome> {
  return callPrometheusApi(
    baseUrl,
    "/api/v1/query",
    { query, time: String(atSeconds) },
    timeoutMs,
    retries,
    decision,
    PROMETHEUS_ANSWER_CAP_BYTES,
    parsePrometheusResponse,
  );
}

/**
 * Alertmanager's active alerts (not silenced, not inhibited) from `GET /api/v2/alerts`, with
 * the request deadline `timeoutMs` within `decision`, reading at most
 * {@link ALERTMANAGER_ANSWER_CAP_BYTES}. No answer, or one that is not the API's list, is an
 * error outcome whose reason names the address (redacted).
 */
export async function fetchActiveAlerts(
  alertmanagerUrl: string,
  timeoutMs: number,
  retries: number,
  decision?: DecisionDeadline | number,
): Promise<ActiveAlertsOutcome> {
  const base = alertmanagerUrl.replace(/\/+$/, "");
  const answer = await getWithRetries(
    `${base}${ALERTMANAGER_ALERTS_PATH}`,
    { ...ALERTMANAGER_ALERTS_PARAMS },
    {
      requestTimeoutMs: timeoutMs,
      retries,
      capBytes: ALERTMANAGER_ANSWER_CAP_BYTES,
      decision: asDecision(decision),
    },
    true,
  );
  if ("failure" in answer) {
    return {
      kind: "error",
      reason: redactUrl(`Alertmanager unreachable at ${alertmanagerUrl}: ${answer.failure}`),
    };
  }
  const outcome = parseAlertmanagerAlerts(answer.status, answer.data);
  return outcome.kind === "error" ? { ...outcome, reason: redactUrl(outcome.reason) } : outcome;
}

/**
 * The gate's Prometheus measures: one query per measure group (core/gate/measureGroups.ts),
 * the groups concurrently, each answer split back into its measures. All of them within
 * `decision`, by default a deadline of `settings.decisionTimeoutMs` started now.
 */
export async function collectMetrics(
  settings: GateSettings,
  groups: readonly MeasureGroup[] = GATE_MEASURE_GROUPS,
  decision: DecisionDeadline = startDecision(settings.decisionTimeoutMs),
): Promise<MetricOutcomes> {
  const queries = groupedQueries(
    buildGateQueries(settings, settings.validationWindowSeconds),
    groups,
  );
  const answers = await Promise.all(
    queries.map((query) =>
      queryPrometheus(
        settings.endpoints.prometheusUrl,
        query,
        settings.requestTimeoutMs,
        settings.retries,
        decision,
      ),
    ),
  );
  return splitGroupedOutcomes(answers, groups);
}

/**
 * Fetches everything a promotion needs (health, metrics and Alertmanager's active alerts,
 * all concurrently) and evaluates
 * it with the pure checks. `nowMs` is the caller's clock. The whole decision has one
 * deadline, `settings.decisionTimeoutMs` from the call: a request still running then is
 * aborted and the checks it fed are errors naming the endpoint and the deadline, so a gate
 * that cannot decide in time blocks.
 */
export async function evaluateGateNow(
  settings: GateSettings,
  fromPercentage: number,
  liveSinceMs: number,
  nowMs: number,
  groups: readonly MeasureGroup[] = GATE_MEASURE_GROUPS,
): Promise<CheckResult[]> {
  const decision = startDecision(settings.decisionTimeoutMs);
  // The Prometheus queries go out first: they are the slowest answers, so starting them
  // before the quick health probes shortens the decision's critical path.
  const [metrics, health, activeAlerts] = await Promise.all([
    collectMetrics(settings, groups, decision),
    collectHealth(settings.endpoints, settings.requestTimeoutMs, settings.retries, decision),
    fetchActiveAlerts(
      settings.endpoints.alertmanagerUrl,
      settings.requestTimeoutMs,
      settings.retries,
      decision,
    ),
  ]);
  return evaluateGate({
    settings,
    fromPercentage,
    liveSinceMs,
    nowMs,
    health,
    metrics,
    activeAlerts,
  });
}

/** A range query's answer and, when asked for, how many samples Prometheus held for it. */
export type RangeOutcome = MatrixOutcome & {
  /** Prometheus's `peakSamples` for the query (asked with `stats`); undefined: not reported. */
  readonly peakSamples?: number;
};

/** How a range query is asked. */
export interface RangeQueryOptions {
  /**
   * Ask Prometheus for the query's stats (`stats=1`) and report its peak samples, which
   * size the replay's chunks under Prometheus's `--query.max-samples`.
   * @default false
   */
  readonly stats?: boolean;
}

/**
 * Runs one range query (`/api/v1/query_range`) from `startSeconds` to `endSeconds`, bounded
 * like {@link queryPrometheus} but read up to {@link PROMETHEUS_RANGE_ANSWER_CAP_BYTES}.
 */
export function queryPrometheusRange(
  baseUrl: string,
  query: string,
  startSeconds: number,
  endSeconds: number,
  stepSeconds: number,
  timeoutMs: number,
  retries: number,
  decision?: DecisionDeadline | number,
  options: RangeQueryOptions = {},
): Promise<RangeOutcome> {
  const stats = options.stats === true;
  return callPrometheusApi(
    baseUrl,
    "/api/v1/query_range",
    {
      query,
      start: String(startSeconds),
      end: String(endSeconds),
      step: `${stepSeconds}s`,
      ...(stats ? { stats: "1" } : {}),
    },
    timeoutMs,
    retries,
    decision,
    PROMETHEUS_RANGE_ANSWER_CAP_BYTES,
    (status, body): RangeOutcome => {
      const outcome = parsePrometheusMatrix(status, body);
      const peakSamples = stats && outcome.kind === "series" ? readPeakSamples(body) : undefined;
      return peakSamples === undefined ? outcome : { ...outcome, peakSamples };
    },
  );
}
