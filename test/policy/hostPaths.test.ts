import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { posix } from "node:path";
import fc from "fast-check";
import { normalPath, sensitiveHostPath } from "../../policy/rules/docker";

describe("host paths as Docker mounts them", () => {
  it("cleans a path the way Docker does before judging it", () => {
    const rows: [string, string][] = [
      ["/etc", "/etc"],
      ["/etc/", "/etc"],
      ["//etc", "/etc"],
      ["/./etc", "/etc"],
      ["/srv/../etc", "/etc"],
      ["/../../etc//ssl/", "/etc/ssl"],
      ["/", "/"],
      ["", "/"],
      ["data/./x", "data/x"],
      ["../x", "../x"],
      ["a/../..", ".."],
      ["a/..", "."],
      ["./", "."],
    ];
    deepStrictEqual(
      rows.map(([p]) => [p, normalPath(p)]),
      rows,
    );
  });

  it("finds the sensitive directory behind any spelling of it (the socket's directory is its own rule's)", () => {
    deepStrictEqual(
      [
        "//etc",
        "/./etc/ssl",
        "/srv/../etc",
        "/var/./run",
        "//var/run/",
        "/srv/data",
        "/etcetera",
      ].map(sensitiveHostPath),
      ["/etc", "/etc", "/etc", undefined, undefined, undefined, undefined],
    );
  });

  it("cleans any non-empty path as POSIX path normalisation does, less a trailing slash", () => {
    const segment = fc.constantFrom("", ".", "..", "etc", "var", "run");
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), (segments) => {
        const p = segments.join("/");
        fc.pre(p !== "");
        const normal = posix.normalize(p);
        strictEqual(normalPath(p), normal.length > 1 ? normal.replace(/\/$/, "") : normal);
      }),
      { numRuns: 500 },
    );
  });
});
