/**
 * Fault injection of the reference service: deterministic error and latency switches per
 * variant, so tests and demos get exact error rates (2 % means exactly 2 of every 100).
 */

/** The faults one variant serves with. */
export interface Faults {
  /** Percent of requests answered 500. */
  readonly errorPercent: number;
  /** Percent of requests answered 404 (client errors, which are not errors for the gate). */
  readonly clientErrorPercent: number;
  /** Extra latency of every request, in milliseconds. */
  readonly latencyMs: number;
}

/** No faults. */
export const NO_FAULTS: Faults = Object.freeze({
  errorPercent: 0,
  clientErrorPercent: 0,
  latencyMs: 0,
});

/** Reads faults from environment variables with `prefix` (such as `CANARY_`). */
export function faultsFromEnv(env: NodeJS.ProcessEnv, prefix: string): Faults {
  const num = (name: string): number => {
    const raw = env[`${prefix}${name}`];
    if (raw === undefined || raw === "") return 0;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      throw new Error(`${prefix}${name} must be a number, 0 or more; got ${JSON.stringify(raw)}`);
    }
    return n;
  };
  return {
    errorPercent: Math.min(100, num("ERROR_PERCENT")),
    clientErrorPercent: Math.min(100, num("CLIENT_ERROR_PERCENT")),
    latencyMs: num("LATENCY_MS"),
  };
}

/** Hands out status codes so that exactly `percent` of every 100 requests get a fault. */
export class FaultSchedule {
  private errorDebt = 0;
  private clientDebt = 0;

  /** The status the next request answers with, under `faults`. */
  next(faults: Faults): 200 | 404 | 500 {
    this.errorDebt += faults.errorPercent;
    if (this.errorDebt >= 100) {
      this.errorDebt -= 100;
      return 500;
    }
    this.clientDebt += faults.clientErrorPercent;
    if (this.clientDebt >= 100) {
      this.clientDebt -= 100;
      return 404;
    }
    return 200;
  }
}
