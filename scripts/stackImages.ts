// Prints the images stack <stack> runs, one `<configKey>=<image>` line each, for
// $GITHUB_OUTPUT (the security gate scans each for critical CVEs):
//   node -r ts-node/register/transpile-only scripts/stackImages.ts production >> "$GITHUB_OUTPUT"
// Secrets are assumed set (only the images are read). Exits 64 naming the stack on a problem.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { SECRET_KEY_NAMES } from "../core/config/configKeys";
import { parseStackConfig, SecretPresence } from "../core/config/stackConfig";
import { readStackFiles } from "../core/config/stackFile";
import { IMAGE_KEYS, stackImages } from "../core/config/stackImages";

const [stack, projectDir = path.resolve(__dirname, "..")] = process.argv.slice(2);
try {
  if (stack === undefined) throw new Error("usage: scripts/stackImages.ts <stack> [projectDir]");
  const raw = readStackFiles(
    readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"),
    readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8"),
    stack,
  );
  const secrets: Record<string, SecretPresence> = {};
  for (const name of SECRET_KEY_NAMES) {
    const given = raw.secrets[name] ?? "absent";
    secrets[name] = given === "absent" ? "encrypted" : given;
  }
  const images = stackImages(parseStackConfig({ values: raw.values, secrets }));
  process.stdout.write(IMAGE_KEYS.map((k) => `${k}=${images[k]}\n`).join(""));
} catch (e) {
  process.stderr.write(`stack images of ${stack ?? "(no stack given)"}: ${(e as Error).message}\n`);
  process.exit(64);
}
