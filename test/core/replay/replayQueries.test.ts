import { deepStrictEqual } from "node:assert/strict";
import { GATE_MEASURE_GROUPS } from "../../../core/gate/measureGroups";
import {
  buildReplayQueries,
  REPLAY_MEASURE_GROUPS,
  SEPARATE_MEASURE_GROUPS,
} from "../../../core/replay/replayQueries";
import { SETTINGS } from "../gate/fixtures";

describe("buildReplayQueries: the replay's groups and how far each query reaches", () => {
  it("groups as the gate does, the two timestamp() measures apart", () => {
    deepStrictEqual(REPLAY_MEASURE_GROUPS, [
      ["latencyP95Seconds", "latencyBuckets"],
      [
        "requests",
        "errorRatio",
        "statusLabelSeries",
        "up",
        "scrapesInWindow",
        "failedScrapesInWindow",
        "alertsFiredInWindow",
      ],
      ["scrapeAgeSeconds", "lastFailedScrapeSeconds"],
    ]);
  });

  const cases: [string, number, typeof REPLAY_MEASURE_GROUPS, number[]][] = [
    [
      "one-minute steps: six hours' 360 for the timestamp() group",
      60,
      REPLAY_MEASURE_GROUPS,
      [11_000, 11_000, 360],
    ],
    ["five-minute steps: 72", 300, REPLAY_MEASURE_GROUPS, [11_000, 11_000, 72]],
    [
      "steps over six hours: one instant a query",
      43_200,
      REPLAY_MEASURE_GROUPS,
      [11_000, 11_000, 1],
    ],
    ["the gate's own groups: the group holding them", 60, GATE_MEASURE_GROUPS, [11_000, 360]],
    [
      "each measure alone: those two",
      60,
      SEPARATE_MEASURE_GROUPS,
      [11_000, 11_000, 11_000, 11_000, 11_000, 11_000, 360, 11_000, 11_000, 360, 11_000],
    ],
  ];
  for (const [name, stepSeconds, groups, expected] of cases) {
    it(name, () => {
      const queries = buildReplayQueries(SETTINGS, stepSeconds, groups);
      deepStrictEqual(
        [queries.groups, queries.gate.length, queries.gateMaxPoints],
        [groups, groups.length, expected],
      );
    });
  }
});
