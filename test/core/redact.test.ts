import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { redactUrl } from "../../core/redact";

describe("redactUrl", () => {
  const table: readonly (readonly [string, string, string])[] = [
    ["no URL", "connect ECONNREFUSED 127.0.0.1:9090", "connect ECONNREFUSED 127.0.0.1:9090"],
    ["URL without userinfo", "http://127.0.0.1:9090/-/healthy", "http://127.0.0.1:9090/-/healthy"],
    ["user and password", "http://user:pass@host:9090/x", "http://user:***@host:9090/x"],
    [
      "https, no port, no path",
      "https://admin:hunter2@example.com",
      "https://admin:***@example.com",
    ],
    ["URL-encoded password", "http://user:p%40ss%2Fw%3Ard@host/x", "http://user:***@host/x"],
    [
      "URL-encoded user",
      "http://me%40corp.example:s3cret@host/",
      "http://me%40corp.example:***@host/",
    ],
    ["user only (a token)", "https://ghp_abc123@host/repo", "https://***@host/repo"],
    ["empty password", "http://user:@host/", "http://user:***@host/"],
    ["unencoded @ in the password", "http://u:p@ss@host:1/x", "http://u:***@host:1/x"],
    ["upper-case scheme", "HTTP://u:secret@h/", "HTTP://u:***@h/"],
    [
      "inside a reason, followed by a colon",
      "Prometheus unreachable at http://u:pw@127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9",
      "Prometheus unreachable at http://u:***@127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9",
    ],
    [
      "two URLs, quoted",
      'from "http://a:one@h1/x" to "https://b:two@h2/y"',
      'from "http://a:***@h1/x" to "https://b:***@h2/y"',
    ],
    [
      "an @ after the path is not userinfo",
      "http://host:9090/api?mail=a@b.example",
      "http://host:9090/api?mail=a@b.example",
    ],
    [
      "an @ in a later word is not userinfo",
      "http://host:9090 asked by ops@example.com",
      "http://host:9090 asked by ops@example.com",
    ],
    ["already redacted", "http://user:***@host/", "http://user:***@host/"],
  ];
  for (const [what, input, expected] of table) {
    it(what, () => {
      strictEqual(redactUrl(input), expected);
    });
  }

  it("is idempotent on every row", () => {
    deepStrictEqual(
      table.map(([, , expected]) => redactUrl(expected)),
      table.map(([, , expected]) => expected),
    );
  });
});
