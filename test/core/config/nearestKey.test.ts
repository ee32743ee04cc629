import { deepStrictEqual } from "node:assert/strict";
import { editDistance, nearestKey } from "../../../core/config/nearestKey";

describe("editDistance", () => {
  const cases: [string, string, number][] = [
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["gensis", "genesis", 1],
    ["dokcer", "docker", 2],
    ["kitten", "sitting", 3],
    ["rolloutPercentage", "rolloutPercentage", 0],
  ];
  for (const [a, b, d] of cases) {
    it(`${JSON.stringify(a)} to ${JSON.stringify(b)} is ${d}`, () => {
      deepStrictEqual([editDistance(a, b), editDistance(b, a)], [d, d]);
    });
  }
});

describe("nearestKey", () => {
  const known = ["rolloutPercentage", "rolloutSteps", "autoRollback", "platform"];
  const cases: [string, string | undefined][] = [
    ["rolloutPercentag", "rolloutPercentage"],
    ["rolloutPrecentage", "rolloutPercentage"],
    ["rolloutStep", "rolloutSteps"],
    ["platfrom", "platform"],
    ["colour", undefined],
    ["", undefined],
  ];
  for (const [given, expected] of cases) {
    it(`${JSON.stringify(given)} -> ${String(expected)}`, () => {
      deepStrictEqual(nearestKey(given, known), expected);
    });
  }
});
