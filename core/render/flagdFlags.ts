/**
 * Renders the OpenFeature flagd flag definition that delivers the rollout percentage. Pure.
 */

/** The flag key the reference service evaluates. */
export const ROLLOUT_FLAG_KEY = "genesis-rollout";

/**
 * The flagd flag file (JSON text) for `percentage` percent on the canary.
 *
 * Fractional targeting hashes `$flagd.flagKey + targetingKey` into 100 buckets and gives the
 * canary the first `percentage` of them, so a user on the canary stays on it as the
 * percentage grows (and a user on stable stays there as it shrinks). Requests without a
 * targeting key get the default variant, stable.
 */
export function renderFlagdFlags(percentage: number, flagKey: string = ROLLOUT_FLAG_KEY): string {
  if (!Number.isInteger(percentage) || percentage < 0 || percentage > 100) {
    throw new Error(`percentage must be a whole number from 0 to 100; got ${percentage}`);
  }
  const doc = {
    $schema: "https://flagd.dev/schema/v0/flags.json",
    flags: {
      [flagKey]: {
        state: "ENABLED",
        variants: { stable: "stable", canary: "canary" },
        defaultVariant: "stable",
        targeting: {
          fractional: [
            { cat: [{ var: "$flagd.flagKey" }, { var: "targetingKey" }] },
            ["canary", percentage],
            ["stable", 100 - percentage],
          ],
        },
      },
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
