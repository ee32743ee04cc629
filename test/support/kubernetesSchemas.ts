/**
 * Validates Kubernetes manifests against the Kubernetes API's OpenAPI schemas as the
 * `kubernetes-models` package ships them (one model class per apiVersion and kind, each with
 * a `validate()` compiled from the schema: types, required fields, enums, formats, oneOf),
 * and the Prometheus Operator's CRD schemas from `@kubernetes-models/prometheus-operator`.
 *
 * The packages are ES modules only; this CommonJS project loads them with a real dynamic
 * `import()` (TypeScript would turn a literal `import()` into `require`).
 */

interface ModelClass {
  new (data: unknown): { validate(): void };
}

const importEsm = new Function("specifier", "return import(specifier)") as (
  specifier: string,
) => Promise<Record<string, unknown>>;

/** The module of the model class for `apiVersion` and `kind`. */
export function modelModule(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/**
 * The schema violations of one manifest, as the model's validator words them; empty when it
 * is valid. Throws when no schema is known for its apiVersion and kind, so nothing is
 * skipped silently.
 */
export async function schemaViolations(manifest: Record<string, unknown>): Promise<string> {
  const apiVersion = String(manifest.apiVersion);
  const kind = String(manifest.kind);
  let mod: Record<string, unknown>;
  try {
    mod = await importEsm(modelModule(apiVersion, kind));
  } catch (e) {
    throw new Error(`no schema for ${apiVersion} ${kind}: ${(e as Error).message}`);
  }
  const Model = mod[kind] as ModelClass | undefined;
  if (Model === undefined) throw new Error(`no model class ${kind} in ${apiVersion}`);
  try {
    new Model(manifest).validate();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}
