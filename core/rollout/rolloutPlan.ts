/**
 * The rollout plan: which steps a `genesis rollout` walks and where a rollback lands. Pure.
 */
import { isStep, previousStep, stepsBelow } from "./steps";

/** Raised for a step list or a target that cannot be used; the message names flag and value. */
export class RolloutPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RolloutPlanError";
  }
}

/**
 * The steps a rollout walks: the stack's `rolloutSteps`, or `--steps LIST` when given.
 * A list must be strictly ascending, end at 100 and use only the stack's steps; it may
 * leave steps out only when the stack allows skipping (the gate would refuse otherwise).
 */
export function planSteps(
  stackSteps: readonly number[],
  allowStepSkip: boolean,
  list: string | undefined,
): readonly number[] {
  if (list === undefined) return [...stackSteps];
  const parts = list.split(",").map((s) => s.trim());
  const numbers = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  const problems: string[] = [];
  if (numbers.some((n) => Number.isNaN(n))) {
    problems.push("whole numbers separated by commas");
  } else {
    const unknown = numbers.filter((n) => !isStep(stackSteps, n));
    if (unknown.length > 0) {
      problems.push(`only the stack's steps ${stackSteps.join(",")} (not ${unknown.join(",")})`);
    }
    if (!numbers.every((n, i) => i === 0 || n > numbers[i - 1]))
      problems.push("strictly ascending");
    if (numbers[numbers.length - 1] !== 100) problems.push("ending at 100");
    if (unknown.length === 0 && !allowStepSkip) {
      const first = stackSteps.indexOf(numbers[0]);
      const expected = stackSteps.slice(first);
      if (expected.join(",") !== numbers.join(",")) {
        problems.push(
          `every step from ${numbers[0]} on (${expected.join(",")}) unless genesis:allowStepSkip is true`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new RolloutPlanError(`--steps must be ${problems.join(", ")}; got "${list}"`);
  }
  return numbers;
}

/**
 * Where `genesis rollback` goes: `to` when given (a step below `current`), else the step
 * before `current`. Throws naming `--to`, the value and what is allowed.
 */
export function rollbackTarget(
  steps: readonly number[],
  current: number,
  to: string | undefined,
): number {
  if (current === 0 || current === steps[0]) {
    throw new RolloutPlanError(
      `the stack is at ${current}%, the first step; there is nothing to roll back`,
    );
  }
  if (to === undefined) return previousStep(steps, current);
  const lower = stepsBelow(steps, current);
  const n = /^\d+$/.test(to.trim()) ? Number(to.trim()) : Number.NaN;
  if (!lower.includes(n)) {
    throw new RolloutPlanError(
      `--to must be a rollout step below the current ${current}%: one of ${lower.join(",")}; got "${to}"`,
    );
  }
  return n;
}
