/**
 * The gate's I/O: HTTP probes and Prometheus instant queries with timeouts and bounded
 * retries, run concurrently. Everything else is pure code from core/gate. The functions
 * here are serialized into the dynamic provider, so they `require` axios inside.
 */
import { evaluateGate, HealthProbes, HttpProbe, MetricOutcomes } from "../../core/gate/checks";
import { healthProbeUrls } from "../../core/gate/healthProbes";
import {
  GATE_MEASURE_GROUPS,
  groupedQueries,
  MeasureGroup,
  splitGroupedOutcomes,
} from "../../core/gate/measureGroups";
import { parsePrometheusResponse, QueryOutcome } from "../../core/gate/prometheusResponse";
import { buildGateQueries } from "../../core/gate/promql";
import { MatrixOutcome, parsePrometheusMatrix } from "../../core/report/prometheusMatrix";
import { CheckResult, GateEndpoints, GateSettings } from "../../core/gate/types";

/** How long to wait between attempts, in milliseconds (times the attempt number). */
const RETRY_BACKOFF_MS = 200;

interface RawAnswer {
  readonly status: number;
  readonly data: unknown;
}

/** One GET with a timeout, retried on transport errors and 5xx up to `retries` times. */
async function getWithRetries(
  url: string,
  params: Record<string, string> | undefined,
  timeoutMs: number,
  retries: number,
  parseJson: boolean,
): Promise<RawAnswer | { readonly failure: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const axios = require("axios") as typeof import("axios").default;
  // The query string is built once here rather than by axios on every attempt.
  const target = params === undefined ? url : `${url}?${new URLSearchParams(params).toString()}`;
  let last: RawAnswer | { readonly failure: string } = { failure: "not attempted" };
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS * attempt));
    try {
      const res = await axios.get(target, {
        timeout: timeoutMs,
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
      if (res.status < 500) return last;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      last = {
        failure:
          err.code === "ECONNABORTED" || err.code === "ETIMEDOUT"
            ? `no answer within ${timeoutMs} ms (${err.message ?? err.code})`
            : (err.message ?? String(e)),
      };
    }
  }
  return last;
}

/** GETs `url` and reports the status and body, or why there was no answer. */
export async function probeHttp(
  url: string,
  timeoutMs: number,
  retries: number,
): Promise<HttpProbe> {
  const answer = await getWithRetries(url, undefined, timeoutMs, retries, false);
  if ("failure" in answer) {
    return { kind: "failure", reason: `${answer.failure} (after ${retries + 1} attempts)` };
  }
  return { kind: "response", status: answer.status, body: String(answer.data ?? "") };
}

/**
 * GETs one Prometheus API endpoint (`path` under `baseUrl`) with `params` and Prometheus's
 * own evaluation timeout, and parses the answer with `parse`; no answer at all becomes an
 * error outcome naming the address.
 */
async function callPrometheusApi<T>(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  timeoutMs: number,
  retries: number,
  parse: (status: number, body: unknown) => T,
): Promise<T | { readonly kind: "error"; readonly reason: string }> {
  const answer = await getWithRetries(
    `${baseUrl.replace(/\/+$/, "")}${path}`,
    { ...params, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` },
    timeoutMs,
    retries,
    true,
  );
  if ("failure" in answer) {
    return {
      kind: "error",
      reason: `Prometheus unreachable at ${baseUrl}: ${answer.failure} (after ${retries + 1} attempts)`,
    };
  }
  return parse(answer.status, answer.data);
}

/** Runs one instant query against Prometheus at `baseUrl`. */
export function queryPrometheus(
  baseUrl: string,
  query: string,
  timeoutMs: number,
  retries: number,
): Promise<QueryOutcome> {
  return callPrometheusApi(
    baseUrl,
    "/api/v1/query",
    { query },
    timeoutMs,
    retries,
    parsePrometheusResponse,
  );
}

/** The five health probes, concurrently. */
export async function collectHealth(
  endpoints: GateEndpoints,
  timeoutMs: number,
  retries: number,
): Promise<HealthProbes> {
  const urls = healthProbeUrls(endpoints);
  const [prometheus, grafana, alertmanager, nodeExporter, app] = await Promise.all([
    probeHttp(urls.prometheus, timeoutMs, retries),
    probeHttp(urls.grafana, timeoutMs, retries),
    probeHttp(urls.alertmanager, timeoutMs, retries),
    probeHttp(urls.nodeExporter, timeoutMs, retries),
    probeHttp(urls.app, timeoutMs, retries),
  ]);
  return { prometheus, grafana, alertmanager, nodeExporter, app };
}

/**
 * The gate's Prometheus measures: one query per measure group (core/gate/measureGroups.ts),
 * the groups concurrently, each answer split back into its measures.
 */
export async function collectMetrics(
  settings: GateSettings,
  groups: readonly MeasureGroup[] = GATE_MEASURE_GROUPS,
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
      ),
    ),
  );
  return splitGroupedOutcomes(answers, groups);
}

/**
 * Fetches everything a promotion needs (health and metrics, all concurrently) and evaluates
 * it with the pure checks. `nowMs` is the caller's clock.
 */
export async function evaluateGateNow(
  settings: GateSettings,
  fromPercentage: number,
  liveSinceMs: number,
  nowMs: number,
  groups: readonly MeasureGroup[] = GATE_MEASURE_GROUPS,
): Promise<CheckResult[]> {
  // The Prometheus queries go out first: they are the slowest answers, so starting them
  // before the quick health probes shortens the decision's critical path.
  const [metrics, health] = await Promise.all([
    collectMetrics(settings, groups),
    collectHealth(settings.endpoints, settings.requestTimeoutMs, settings.retries),
  ]);
  return evaluateGate({ settings, fromPercentage, liveSinceMs, nowMs, health, metrics });
}

/** Runs one range query (`/api/v1/query_range`) from `startSeconds` to `endSeconds`. */
export function queryPrometheusRange(
  baseUrl: string,
  query: string,
  startSeconds: number,
  endSeconds: number,
  stepSeconds: number,
  timeoutMs: number,
  retries: number,
): Promise<MatrixOutcome> {
  return callPrometheusApi(
    baseUrl,
    "/api/v1/query_range",
    { query, start: String(startSeconds), end: String(endSeconds), step: `${stepSeconds}s` },
    timeoutMs,
    retries,
    parsePrometheusMatrix,
  );
}
