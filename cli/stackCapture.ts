/**
 * The configuration a stack's files give the in-process capture of the program
 * (program/captureProgram.ts), read the way the Pulumi CLI reads them.
 */
import { SECRET_KEY_NAMES } from "../core/config/configKeys";
import { CaptureConfig } from "../program/captureProgram";
import { PROJECT_DIR } from "../program/projectDir";
import { readStackRaw } from "./loadStack";

/**
 * The configuration a stack's files give the program, read the way the Pulumi CLI reads
 * them (Pulumi.yaml defaults, then Pulumi.<stack>.yaml). Secrets that the stack file holds
 * encrypted are filled with `secretValue(name)`: their ciphertext is never read.
 */
export function stackCaptureConfig(
  stack: string,
  secretValue: (name: string) => string,
  projectDir: string = PROJECT_DIR,
): CaptureConfig {
  const raw = readStackRaw(stack, projectDir);
  const secrets: Record<string, string> = {};
  const plaintextSecrets: Record<string, string> = {};
  for (const name of SECRET_KEY_NAMES) {
    if (raw.secrets[name] === "encrypted") secrets[name] = secretValue(name);
    if (raw.secrets[name] === "plaintext") plaintextSecrets[name] = secretValue(name);
  }
  return { stack, values: raw.values, secrets, plaintextSecrets };
}
