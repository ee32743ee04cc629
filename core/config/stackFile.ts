/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml as text (no file access here) into the raw
 * configuration {@link parseStackConfig} takes, merging the project's defaults the way
 * Pulumi's CLI does, so the `genesis` command and the tests see what `pulumi up` sees.
 */
import * as YAML from "yaml";
import { CONFIG_KEYS, CONFIG_NAMESPACE, SECRET_KEY_NAMES } from "./configKeys";
import { RawStackConfig, SecretPresence } from "./stackConfig";

/** Raised when a project or stack file is not the YAML shape Pulumi reads. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

function parseYamlObject(text: string, fileName: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    // The YAML library's message ends with a code frame; its first line says what and where.
    const what = (e as Error).message.split("\n")[0].trim().replace(/:$/, "");
    throw new StackFileError(`${fileName} is not valid YAML: ${what}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new StackFileError(
      `${fileName} must be a YAML mapping; got ${Array.isArray(doc) ? "a list" : typeof doc}`,
    );
  }
  return doc as Record<string, unknown>;
}

/** The project's declared defaults, by key without namespace. */
export function projectDefaults(projectYaml: string): Record<string, unknown> {
  const project = parseYamlObject(projectYaml, "Pulumi.yaml");
  const config = (project.config ?? {}) as Record<string, unknown>;
  const defaults: Record<string, unknown> = {};
  for (const [rawKey, decl] of Object.entries(config)) {
    const name = rawKey.startsWith(`${CONFIG_NAMESPACE}:`)
      ? rawKey.slice(CONFIG_NAMESPACE.length + 1)
      : rawKey;
    if (decl !== null && typeof decl === "object" && "default" in decl) {
      defaults[name] = (decl as { default: unknown }).default;
    } else if (typeof decl !== "object") {
      defaults[name] = decl;
    }
  }
  return defaults;
}

/**
 * Merges Pulumi.yaml defaults with a stack file's `config:` values. Encrypted values
 * (`{secure: ...}`) count as set secrets; their ciphertext is never read. Keys of other
 * namespaces (or none) go to `otherKeys` and the keys the file sets to `stackKeys`, for
 * {@link parseStackConfig} to refuse a typo and a production stage left to a default.
 */
export function readStackFiles(
  projectYaml: string,
  stackYaml: string,
  stackName: string,
): RawStackConfig {
  const fileName = `Pulumi.${stackName}.yaml`;
  const stack = parseYamlObject(stackYaml, fileName);
  const config = (stack.config ?? {}) as Record<string, unknown>;
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new StackFileError(`${fileName}: config must be a mapping`);
  }
  const values: Record<string, unknown> = {};
  const secrets: Record<string, SecretPresence> = {};
  const otherKeys: Record<string, unknown> = {};
  const stackKeys: string[] = [];
  const defaults = projectDefaults(projectYaml);
  for (const [name, value] of Object.entries(defaults)) {
    if (!SECRET_KEY_NAMES.includes(name)) values[name] = value;
  }
  const known = new Set(CONFIG_KEYS.map((k) => k.name));
  for (const [rawKey, value] of Object.entries(config)) {
    if (!rawKey.startsWith(`${CONFIG_NAMESPACE}:`)) {
      otherKeys[rawKey] = value;
      continue;
    }
    const name = rawKey.slice(CONFIG_NAMESPACE.length + 1);
    stackKeys.push(name);
    const encrypted = value !== null && typeof value === "object" && "secure" in value;
    if (SECRET_KEY_NAMES.includes(name)) {
      secrets[name] = encrypted ? "encrypted" : value === "" ? "absent" : "plaintext";
    } else if (encrypted && known.has(name)) {
      throw new StackFileError(
        `${fileName}: ${rawKey} is encrypted, but it is not a secret key; set it in plain text`,
      );
    } else {
      values[name] = value;
    }
  }
  return { values, secrets, otherKeys, stackKeys };
}
