/**
 * What a replay's timeline says: the runs of one verdict (with the checks that blocked), for
 * each promotion found the verdict just before it and the earliest instant it would have
 * passed, and with what-if thresholds the promotions they would have blocked or let through
 * that the stack's own thresholds did not. Pure.
 */
import { CheckResult, GateVerdict } from "../gate/types";
import { InstantDecision, ReplayPoint } from "./replayTimeline";
import { StageChange, StageTimeline } from "./stageTimeline";

/** The checks of a decision that did not pass, by name (fail first, then the others). */
export function blockingChecks(decision: InstantDecision): CheckResult[] {
  const failed = decision.checks.filter((c) => c.verdict === "fail");
  const other = decision.checks.filter(
    (c) => c.verdict === "error" || c.verdict === "inconclusive",
  );
  return [...failed, ...other];
}

/** A run of consecutive instants with one verdict and the same blocking checks. */
export interface VerdictRun {
  /** The first instant, ms since the epoch. */
  readonly fromMs: number;
  /** The last instant. */
  readonly toMs: number;
  /** How many instants. */
  readonly count: number;
  /** The verdict throughout. */
  readonly verdict: GateVerdict;
  /** The checks that did not pass throughout, by name (empty for a pass). */
  readonly blockedBy: readonly string[];
  /** Their reasons at the first instant of the run. */
  readonly firstReasons: readonly string[];
}

/** The runs of `points` under the decision `which` picks, oldest first. */
export function verdictRuns(
  points: readonly ReplayPoint[],
  which: (p: ReplayPoint) => InstantDecision | undefined = (p) => p.decision,
): VerdictRun[] {
  const runs: VerdictRun[] = [];
  let key = "";
  for (const p of points) {
    const d = which(p);
    if (d === undefined) continue;
    const blocking = blockingChecks(d);
    const blockedBy = blocking.map((c) => c.name);
    const next = `${d.verdict}|${blockedBy.join("|")}`;
    const last = runs[runs.length - 1];
    if (last !== undefined && next === key) {
      runs[runs.length - 1] = { ...last, toMs: p.atMs, count: last.count + 1 };
      continue;
    }
    key = next;
    runs.push({
      fromMs: p.atMs,
      toMs: p.atMs,
      count: 1,
      verdict: d.verdict,
      blockedBy,
      firstReasons: blocking.map((c) => c.reason),
    });
  }
  return runs;
}

/** What the replay says about one promotion found in the span. */
export interface PromotionFinding {
  /** The promotion. */
  readonly change: StageChange;
  /** The instant judged: the last one before the change; undefined when there is none. */
  readonly judgedAtMs?: number;
  /** The verdict then, with the stack's thresholds. */
  readonly verdict?: GateVerdict;
  /** The checks that blocked then. */
  readonly blockedBy: readonly string[];
  /** The verdict then with the what-if thresholds. */
  readonly whatIfVerdict?: GateVerdict;
  /** The checks that blocked then with the what-if thresholds. */
  readonly whatIfBlockedBy?: readonly string[];
  /** The first instant of the stage's time in the span, ms since the epoch. */
  readonly stageStartMs: number;
  /** The earliest instant of the stage at which the promotion would have passed. */
  readonly earliestPassMs?: number;
  /** The same with the what-if thresholds. */
  readonly whatIfEarliestPassMs?: number;
}

/** The earliest index in [from, to] whose decision passes, or undefined. */
function earliestPass(
  points: readonly ReplayPoint[],
  from: number,
  to: number,
  which: (p: ReplayPoint) => InstantDecision | undefined,
): number | undefined {
  for (let i = from; i <= to; i++) {
    if (which(points[i])?.verdict === "pass") return points[i].atMs;
  }
  return undefined;
}

/** The findings for each promotion of `stages`, oldest first. */
export function promotionFindings(
  points: readonly ReplayPoint[],
  stages: StageTimeline,
): PromotionFinding[] {
  const findings: PromotionFinding[] = [];
  let segmentStart = 0;
  for (const change of stages.changes) {
    const judged = change.index - 1;
    if (change.kind === "promotion" && points.length > 0) {
      const last = Math.min(judged, points.length - 1);
      const at = judged >= 0 ? points[last] : undefined;
      const real = at?.decision;
      const whatIf = at?.whatIf;
      const whatIfEarliest =
        whatIf === undefined || last < segmentStart
          ? undefined
          : earliestPass(points, segmentStart, last, (p) => p.whatIf);
      const earliest =
        last < segmentStart
          ? undefined
          : earliestPass(points, segmentStart, last, (p) => p.decision);
      findings.push({
        change,
        ...(at !== undefined ? { judgedAtMs: at.atMs } : {}),
        ...(real !== undefined ? { verdict: real.verdict } : {}),
        blockedBy: real === undefined ? [] : blockingChecks(real).map((c) => c.name),
        ...(whatIf !== undefined
          ? {
              whatIfVerdict: whatIf.verdict,
              whatIfBlockedBy: blockingChecks(whatIf).map((c) => c.name),
            }
          : {}),
        stageStartMs: points[Math.min(segmentStart, points.length - 1)].atMs,
        ...(earliest !== undefined ? { earliestPassMs: earliest } : {}),
        ...(whatIfEarliest !== undefined ? { whatIfEarliestPassMs: whatIfEarliest } : {}),
      });
    }
    segmentStart = Math.max(segmentStart, change.index);
  }
  return findings;
}

/** How the what-if thresholds differ from the stack's over the timeline. */
export interface WhatIfDifference {
  /** Promotions the stack's thresholds let through and the what-if ones would have blocked. */
  readonly blocked: readonly PromotionFinding[];
  /** Promotions the stack's thresholds blocked and the what-if ones would have let through. */
  readonly letThrough: readonly PromotionFinding[];
  /** Instants that pass with the stack's thresholds and not with the what-if ones. */
  readonly passToBlocked: number;
  /** Instants blocked with the stack's thresholds that pass with the what-if ones. */
  readonly blockedToPass: number;
}

/** The difference the what-if thresholds make, or undefined when none were given. */
export function whatIfDifference(
  points: readonly ReplayPoint[],
  findings: readonly PromotionFinding[],
): WhatIfDifference | undefined {
  if (!points.some((p) => p.whatIf !== undefined)) return undefined;
  let passToBlocked = 0;
  let blockedToPass = 0;
  for (const p of points) {
    if (p.whatIf === undefined) continue;
    if (p.decision.verdict === "pass" && p.whatIf.verdict !== "pass") passToBlocked++;
    if (p.decision.verdict !== "pass" && p.whatIf.verdict === "pass") blockedToPass++;
  }
  return {
    blocked: findings.filter((f) => f.verdict === "pass" && f.whatIfVerdict !== "pass"),
    letThrough: findings.filter((f) => f.verdict !== "pass" && f.whatIfVerdict === "pass"),
    passToBlocked,
    blockedToPass,
  };
}
