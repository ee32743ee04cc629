/**
 * Parses a Prometheus range-query answer (`resultType: "matrix"`) into series of points, or
 * says what was wrong with it. Pure: the caller did the HTTP request.
 */
import { formatValue } from "../format";

/** One point of a series. */
export interface Point {
  /** Seconds since the epoch. */
  readonly timeSeconds: number;
  /** The value (NaN kept as NaN). */
  readonly value: number;
}

/** One series of a matrix. */
export interface Series {
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Its points, oldest first. */
  readonly points: readonly Point[];
}

/** A matrix answer, or why there is none. */
export type MatrixOutcome =
  | { readonly kind: "series"; readonly series: readonly Series[] }
  | { readonly kind: "error"; readonly reason: string };

const SPECIAL: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  "+Inf": Number.POSITIVE_INFINITY,
  "-Inf": Number.NEGATIVE_INFINITY,
};

/** Reads a range-query answer with HTTP status `httpStatus` and parsed JSON `body`. */
export function parsePrometheusMatrix(httpStatus: number, body: unknown): MatrixOutcome {
  const env = body as Record<string, unknown> | null;
  if (env === null || typeof env !== "object" || Array.isArray(env)) {
    return { kind: "error", reason: `malformed answer (HTTP ${httpStatus}): not a JSON object` };
  }
  if (env.status === "error") {
    return {
      kind: "error",
      reason: `Prometheus error (HTTP ${httpStatus}) ${String(env.errorType ?? "unknown")}: ${String(env.error ?? "")}`,
    };
  }
  if (httpStatus < 200 || httpStatus > 299 || env.status !== "success") {
    return {
      kind: "error",
      reason: `HTTP ${httpStatus} from Prometheus (status ${formatValue(env.status)})`,
    };
  }
  const data = env.data as { resultType?: unknown; result?: unknown } | undefined;
  if (data?.resultType !== "matrix" || !Array.isArray(data.result)) {
    return {
      kind: "error",
      reason: `malformed answer: resultType must be "matrix" with a result list; got ${formatValue(data?.resultType)}`,
    };
  }
  const series: Series[] = [];
  for (const [i, item] of (data.result as unknown[]).entries()) {
    const entry = item as { metric?: unknown; values?: unknown } | null;
    if (entry === null || typeof entry !== "object" || !Array.isArray(entry.values)) {
      return { kind: "error", reason: `malformed answer: result[${i}].values is not a list` };
    }
    const points: Point[] = [];
    for (const pair of entry.values as unknown[]) {
      if (
        !Array.isArray(pair) ||
        pair.length !== 2 ||
        typeof pair[0] !== "number" ||
        typeof pair[1] !== "string"
      ) {
        return {
          kind: "error",
          reason: `malformed answer: result[${i}] has a point that is not [time, "value"]`,
        };
      }
      const text = pair[1];
      const value = text in SPECIAL ? SPECIAL[text] : Number(text);
      if (Number.isNaN(value) && text !== "NaN") {
        return {
          kind: "error",
          reason: `malformed answer: result[${i}] value must be a number as text; got ${formatValue(text)}`,
        };
      }
      points.push({ timeSeconds: pair[0], value });
    }
    series.push({ labels: (entry.metric ?? {}) as Record<string, string>, points });
  }
  return { kind: "series", series };
}
