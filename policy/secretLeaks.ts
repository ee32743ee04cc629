/**
 * The capture-level half of "no secret config read as plain text": given the secret values
 * the program was run with, every place one of them reaches a resource input must be
 * marked secret. The policy pack cannot see this (the analyzer receives secrets unwrapped);
 * `genesis security-check` and the tests can, because they run the program themselves.
 */
import { RuleResult, Violation } from "./evaluate";

/** The name `genesis security-check` shows this check under. */
export const SECRET_LEAK_CHECK = "secret-config-stays-secret";

/** A resource as captured: its inputs with every secret replaced by a marker. */
export interface MaskedResource {
  /** Type token. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN. */
  readonly urn: string;
  /** Inputs as they travel to the engine, each secret replaced. */
  readonly maskedInputs: Readonly<Record<string, unknown>>;
}

/** Every input path of `value` whose text contains `needle`. */
function pathsContaining(value: unknown, needle: string, at: string): string[] {
  if (typeof value === "string") return value.includes(needle) ? [at] : [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => pathsContaining(v, needle, `${at}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) =>
      pathsContaining(v, needle, at === "" ? k : `${at}.${k}`),
    );
  }
  return [];
}

/**
 * Finds each secret config value (`secrets`, by key) that appears in plain text in a
 * resource's masked inputs, which means the program read it without its secret marking.
 */
export function findPlaintextSecrets(
  resources: readonly MaskedResource[],
  secrets: Readonly<Record<string, string>>,
): Violation[] {
  const out: Violation[] = [];
  for (const r of resources) {
    for (const [key, value] of Object.entries(secrets)) {
      if (value.length < 4) continue;
      for (const at of pathsContaining(r.maskedInputs, value, "")) {
        out.push({
          message: `${r.name} (${r.type}): ${at} carries genesis:${key} in plain text; read it with requireSecret and keep it a secret Output`,
          urn: r.urn,
        });
      }
    }
  }
  return out;
}

/** The check's result over `judged` resources, in the shape of a policy's. */
export function secretLeakResult(violations: readonly Violation[], judged: number): RuleResult {
  return {
    name: SECRET_LEAK_CHECK,
    scope: "stack",
    control: "genesis baseline",
    level: "mandatory",
    violations,
    notApplicable: [],
    judged,
  };
}
