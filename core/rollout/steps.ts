/**
 * The rollout's steps and every rule about them: which percentages are steps, the step after
 * and before one, which moves are promotions, rollbacks or no change, and when a promotion
 * skips a step. Everything that checks a percentage against the steps asks here. Pure.
 */

/** The direction of a percentage change. */
export type TransitionKind = "promotion" | "rollback" | "no-change";

/** Whether `n` is one of `steps`. */
export function isStep(steps: readonly number[], n: number): boolean {
  return Number.isInteger(n) && steps.includes(n);
}

/** The step after `current`, or undefined at (or above) the last one. */
export function nextStep(steps: readonly number[], current: number): number | undefined {
  return steps.find((s) => s > current);
}

/** The step before `current` (0 when none is lower). */
export function previousStep(steps: readonly number[], current: number): number {
  const lower = stepsBelow(steps, current);
  return lower.length === 0 ? 0 : lower[lower.length - 1];
}

/** The steps below `current`, ascending: where a rollback from `current` may go. */
export function stepsBelow(steps: readonly number[], current: number): number[] {
  return steps.filter((s) => s < current);
}

/** Promotion when `to` is above `from`, rollback when below, otherwise no change. */
export function classifyTransition(from: number, to: number): TransitionKind {
  return to > from ? "promotion" : to < from ? "rollback" : "no-change";
}

/** `promotion 5% -> 10%`, `rollback 25% -> 10%` or `no change at 5%`: what a diff shows. */
export function describeTransition(from: number | undefined, to: number): string {
  if (from === undefined) return `initial ${to}%`;
  const kind = classifyTransition(from, to);
  return kind === "no-change" ? `no change at ${to}%` : `${kind} ${from}% -> ${to}%`;
}

/**
 * The problems of moving from `from` to `to` (empty when allowed): `to` must be a step, and
 * a promotion may only go to the next step above `from` unless `allowStepSkip`. A rollback
 * may go to any lower step. Each message names both values.
 */
export function transitionProblems(
  steps: readonly number[],
  allowStepSkip: boolean,
  from: number,
  to: number,
): string[] {
  if (!isStep(steps, to)) {
    return [
      `cannot move from ${from}% to ${to}%: ${to} is not a rollout step; allowed steps are ${steps.join(",")}`,
    ];
  }
  if (to > from && !allowStepSkip) {
    const next = nextStep(steps, from);
    if (next !== undefined && to !== next) {
      const skipped = steps.filter((s) => s > from && s < to);
      return [
        `cannot promote from ${from}% to ${to}%: it skips ${skipped.map((s) => `${s}%`).join(", ")}; the next step is ${next}% (set genesis:allowStepSkip to true to skip steps)`,
      ];
    }
  }
  return [];
}
