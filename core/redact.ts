/**
 * Redaction of credentials in text that leaves the gate (reasons, tables, JSON, decision
 * records, logs). Pure: text in, text out.
 *
 * An endpoint may carry its credentials in its URL (`http://user:password@host:9090`), which
 * the HTTP client turns into basic auth. Any text that names such a URL, including an HTTP
 * client's own error messages, must show the user but never the password.
 */

/** What a redacted secret is replaced with. */
export const REDACTED = "***";

/**
 * `text` with the userinfo of every URL in it (`scheme://userinfo@host`) redacted: the
 * password of `user:password@` becomes `***` (`http://user:***@host:9090/x`), whether plain
 * or URL-encoded, and a userinfo without a colon (`https://token@host`, often a token) becomes
 * `***@`. URLs without userinfo and all other text are left as they are.
 *
 * Why every scheme and the last `@`: a URL parser reads the userinfo up to the last `@` before
 * the path (`http://u:p@ss@host` is user `u`, password `p@ss`), so stopping at the first `@`
 * would print the tail of such a password. The authority ends at `/ ? #`, whitespace or a
 * character a userinfo cannot hold unencoded (`" < > \` { } | \ ^`).
 */
export function redactUrl(text: string): string {
  // Built here, not at module level: this function is serialized into the dynamic provider.
  const userinfo = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"<>`{}|\\^]*)@/gi;
  return text.replace(userinfo, (_all: string, scheme: string, info: string) => {
    const colon = info.indexOf(":");
    return colon < 0 ? `${scheme}${REDACTED}@` : `${scheme}${info.slice(0, colon)}:${REDACTED}@`;
  });
}
