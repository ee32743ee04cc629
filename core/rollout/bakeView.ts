/**
 * What the live display shows during a bake: the stage, the time left in the window, the
 * error rate and P95 against their thresholds, health N/5, and the whole-window checks
 * (failed scrapes, the stack's alerts). Pure: the display in cli/
 * only draws these fields.
 */
import { CHECKS } from "../gate/checkCatalogue";
import { BakeMeasurement, BakeState, secondsLeft } from "./bakeLoop";
import { BakeRules } from "./bakeRules";

/** One frame of the live display. */
export interface BakeView {
  /** `25%`. */
  readonly stage: string;
  /** Seconds left in the validation window. */
  readonly secondsLeft: number;
  /** Seconds the window lasts. */
  readonly windowSeconds: number;
  /** `0.12% (< 1.00%)`, or `n/a (< 1.00%)` without data. */
  readonly errorRate: string;
  /** `120 ms (< 500 ms)`, or `n/a (< 500 ms)`. */
  readonly latencyP95: string;
  /** `5/5`. */
  readonly health: string;
  /**
   * The whole-window checks: failed scrapes and the stack's alerts, `0 of 20 failed; alerts
   * none`, or `n/a` for a check not measured yet.
   */
  readonly window: string;
}

/** The frame for `state` after measurement `m` at `nowMs`. */
export function bakeView(
  state: BakeState,
  m: BakeMeasurement | undefined,
  rules: BakeRules,
  nowMs: number,
): BakeView {
  const er = m?.errorRatePercent;
  const p95 = m?.latencyP95Ms;
  const healthy = m === undefined ? 0 : m.health.filter((c) => c.verdict === "pass").length;
  const valueOf = (name: string) => m?.window.find((c) => c.name === name)?.value ?? "n/a";
  return {
    stage: `${state.percentage}%`,
    secondsLeft: secondsLeft(state, nowMs),
    windowSeconds: rules.windowSeconds,
    errorRate: `${er !== undefined && Number.isFinite(er) ? `${er.toFixed(2)}%` : "n/a"} (< ${rules.errorRateThresholdPercent.toFixed(2)}%)`,
    latencyP95: `${p95 !== undefined && Number.isFinite(p95) ? `${Math.round(p95)} ms` : "n/a"} (< ${rules.latencyP95ThresholdMs} ms)`,
    health: m === undefined ? "?/5" : `${healthy}/${m.health.length}`,
    window: `scrapes ${valueOf(CHECKS.scrapesInWindow.name)}; alerts ${valueOf(CHECKS.alerts.name)}`,
  };
}

/** The frame as one line of text (for logs and terminals without cursor control). */
export function renderBakeLine(v: BakeView): string {
  return `stage ${v.stage} | ${v.secondsLeft} s left of ${v.windowSeconds} s | error rate ${v.errorRate} | P95 ${v.latencyP95} | health ${v.health} | ${v.window}`;
}
