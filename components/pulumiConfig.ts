/**
 * Reads this stack's configuration from the Pulumi runtime into the raw shape core/ parses,
 * and the secret values as Pulumi secret Outputs (they never enter the parsed config).
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, SECRET_KEY_NAMES } from "../core/config/configKeys";
import { RawStackConfig, SecretPresence } from "../core/config/stackConfig";

// The SDK's own check of whether a config value was stored encrypted; exported by the
// runtime module but not part of its typed surface.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
  isConfigSecret(key: string): boolean;
};

/** The stack's raw configuration and its secrets. */
export interface PulumiStackConfig {
  /** What core/'s parseStackConfig takes. */
  readonly raw: RawStackConfig;
  /** Each secret that is set, as a secret Output. */
  readonly secrets: Readonly<Record<string, pulumi.Output<string>>>;
}

/** Reads every `genesis:` key of the running stack. */
export function readPulumiStackConfig(): PulumiStackConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const values: Record<string, unknown> = {};
  const presence: Record<string, SecretPresence> = {};
  const secrets: Record<string, pulumi.Output<string>> = {};
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) continue;
    const name = fullKey.slice(prefix.length);
    if (!SECRET_KEY_NAMES.includes(name)) {
      values[name] = value;
    } else if (value === "") {
      presence[name] = "absent";
    } else if (runtimeConfig.isConfigSecret(fullKey)) {
      presence[name] = "encrypted";
      secrets[name] = config.requireSecret(name);
    } else {
      presence[name] = "plaintext";
    }
  }
  return { raw: { values, secrets: presence }, secrets };
}
