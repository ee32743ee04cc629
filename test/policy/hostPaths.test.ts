import { deepStrictEqual } from "node:assert/strict";
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
});
