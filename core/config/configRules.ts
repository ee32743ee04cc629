/**
 * The validation of one stack config key: a zod schema that checks and converts its value,
 * and the words that say what is allowed. The catalogue in {@link ./configKeys} gives each
 * key one of these; the parser words every refusal from it. Pure.
 */
import { z } from "zod";

/**
 * How one key's value is checked. Values come as text from Pulumi's CLI and typed from a
 * stack file, so each schema accepts both (`"5000"` and `5000`).
 */
export interface ConfigRule<S extends z.ZodType = z.ZodType> {
  /** Checks the value and converts it to what the typed config holds. */
  readonly schema: S;
  /** What is allowed, as a refusal says it: `<key> must be <allowed>; got <value>`. */
  readonly allowed: string;
}

/** An image pinned by tag and digest: what production requires. */
export const DIGEST_PATTERN =
  /^[a-z0-9][a-z0-9._\-/:]*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[a-f0-9]{64}$/;
const IMAGE_PATTERN =
  /^[a-z0-9][a-z0-9._\-/:]*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[a-f0-9]{64})?$/;
/** host:port, as Prometheus targets and SMTP relays are written. */
export const HOST_PORT_PATTERN = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const integerFromText = (v: unknown): unknown =>
  typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
const decimalFromText = (v: unknown): unknown =>
  typeof v === "string" && /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/.test(v) ? Number(v) : v;
const booleanFromText = (v: unknown): unknown => (v === "true" ? true : v === "false" ? false : v);
const arrayFromText = (v: unknown): unknown => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/** A rule from any schema and its wording. */
export function rule<S extends z.ZodType>(schema: S, allowed: string): ConfigRule<S> {
  return { schema, allowed };
}

/** One of a fixed set of words: `one of staging, production`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return rule(z.enum(values), `one of ${values.join(", ")}`);
}

/** A whole number from `min` to `max`, given as a number or as text. */
export function wholeNumber(min: number, max: number, allowed: string) {
  return rule(z.preprocess(integerFromText, z.number().int().min(min).max(max)), allowed);
}

/** A list of whole numbers, given as a list or as JSON text. */
export function wholeNumbers(allowed: string) {
  return rule(
    z.preprocess(arrayFromText, z.array(z.preprocess(integerFromText, z.number().int()))),
    allowed,
  );
}

/**
 * A positive decimal of at most 100, given as a number or as text (Pulumi.yaml declares
 * decimals as strings: its schema has no float type).
 */
export function percent(allowed: string) {
  return rule(z.preprocess(decimalFromText, z.number().positive().finite().max(100)), allowed);
}

/** true or false, given as a boolean or as text. */
export function flag() {
  return rule(z.preprocess(booleanFromText, z.boolean()), "true or false");
}

/** Any text. */
export function text(allowed: string) {
  return rule(z.string(), allowed);
}

/** Any text, its surrounding white space removed. */
export function trimmedText(allowed: string) {
  return rule(
    z.string().transform((s) => s.trim()),
    allowed,
  );
}

/** Text matching `pattern`; with `orEmpty`, the empty string too (the key left unset). */
export function matching(pattern: RegExp, allowed: string, options: { orEmpty?: boolean } = {}) {
  const schema = z.string().regex(pattern);
  return rule(options.orEmpty === true ? z.union([z.literal(""), schema]) : schema, allowed);
}

/** An e-mail address, or empty (unset). */
export function emailOrEmpty() {
  return matching(EMAIL_PATTERN, "an e-mail address", { orEmpty: true });
}

/** An image: `repository:tag` or `repository:tag@sha256:<64 hex>`. */
export function image() {
  return matching(IMAGE_PATTERN, "repository:tag or repository:tag@sha256:<64 hex>");
}

/** An http or https URL. */
export function httpUrl() {
  return rule(z.url({ protocol: /^https?$/ }), "an http(s) URL");
}

/**
 * A list of some of the given words, given as a list or as JSON text; each word kept once,
 * in the order first given.
 */
export function listOf<const T extends readonly [string, ...string[]]>(values: T) {
  return rule(
    z.preprocess(arrayFromText, z.array(z.enum(values))).transform((list) => [...new Set(list)]),
    `a list of ${values.join(", ")}`,
  );
}
