/**
 * Parses the Prometheus HTTP API envelope of an instant query into one of three outcomes:
 * samples, empty, or error. Pure: the caller did the HTTP request.
 */
import { formatValue } from "../format";

/** One sample of an instant vector. */
export interface Sample {
  /** The series labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The value; NaN and infinities are kept as numbers for the evaluators to judge. */
  readonly value: number;
  /** The evaluation timestamp in seconds. */
  readonly timestampSeconds: number;
}

/** What a query answered: samples, nothing, or an error that makes the check undecidable. */
export type QueryOutcome =
  | { readonly kind: "samples"; readonly samples: readonly Sample[] }
  | { readonly kind: "empty" }
  | { readonly kind: "error"; readonly reason: string };

const SAMPLE_VALUES: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  "+Inf": Number.POSITIVE_INFINITY,
  "-Inf": Number.NEGATIVE_INFINITY,
};

function parseSampleValue(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  if (text in SAMPLE_VALUES) return SAMPLE_VALUES[text];
  if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** The first non-blank line of a body that is not an error envelope, for an HTTP error. */
function firstLine(body: unknown): string {
  const text = typeof body === "string" ? body : body === undefined ? "" : formatValue(body);
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "");
  return line === undefined ? "an empty body" : truncate(line.trim());
}

/**
 * Reads an instant-query answer. `httpStatus` is the response status and `body` the parsed
 * JSON (or raw text when it was not JSON). Error envelopes, non-2xx statuses, a
 * non-vector result and any malformed sample become `{kind: "error"}` naming what was wrong.
 * A non-2xx answer without an error envelope (a proxy's 502 page) is named as the HTTP error
 * it is, with the first line of its body, not as a malformed answer.
 */
export function parsePrometheusResponse(httpStatus: number, body: unknown): QueryOutcome {
  const envelope = body as Record<string, unknown> | null;
  const isObject = envelope !== null && typeof envelope === "object" && !Array.isArray(envelope);
  if (isObject && envelope.status === "error") {
    return {
      kind: "error",
      reason: `Prometheus error (HTTP ${httpStatus}) ${String(envelope.errorType ?? "unknown")}: ${String(envelope.error ?? "")}`,
    };
  }
  if (httpStatus < 200 || httpStatus > 299) {
    return { kind: "error", reason: `HTTP ${httpStatus} from Prometheus: ${firstLine(body)}` };
  }
  if (!isObject) {
    return {
      kind: "error",
      reason: `malformed answer (HTTP ${httpStatus}): not a JSON object; got ${truncate(formatValue(body))}`,
    };
  }
  if (envelope.status !== "success") {
    return {
      kind: "error",
      reason: `malformed answer: status must be "success" or "error"; got ${formatValue(envelope.status)}`,
    };
  }
  const data = envelope.data as Record<string, unknown> | undefined;
  if (data === undefined || data === null || typeof data !== "object") {
    return { kind: "error", reason: "malformed answer: data is missing" };
  }
  if (data.resultType !== "vector") {
    return {
      kind: "error",
      reason: `malformed answer: resultType must be "vector"; got ${formatValue(data.resultType)}`,
    };
  }
  if (!Array.isArray(data.result)) {
    return { kind: "error", reason: "malformed answer: data.result is not a list" };
  }
  const samples: Sample[] = [];
  for (const [i, item] of (data.result as unknown[]).entries()) {
    const entry = item as { metric?: unknown; value?: unknown } | null;
    const pair = entry?.value;
    const metric = entry?.metric ?? {};
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "number") {
      return {
        kind: "error",
        reason: `malformed answer: result[${i}].value must be [time, "value"]; got ${truncate(formatValue(pair))}`,
      };
    }
    const value = parseSampleValue(pair[1]);
    if (value === undefined) {
      return {
        kind: "error",
        reason: `malformed answer: result[${i}] value must be a number as text; got ${formatValue(pair[1])}`,
      };
    }
    if (typeof metric !== "object" || metric === null) {
      return { kind: "error", reason: `malformed answer: result[${i}].metric is not an object` };
    }
    samples.push({
      labels: metric as Record<string, string>,
      value,
      timestampSeconds: pair[0] as number,
    });
  }
  return samples.length === 0 ? { kind: "empty" } : { kind: "samples", samples };
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
