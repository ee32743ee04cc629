import { deepStrictEqual } from "node:assert/strict";
import { DecisionRecord } from "../../../core/gate/types";
import { instantMs, replayGrid, tabulate } from "../../../core/replay/instantTable";
import { stagesFromRecord, stagesFromRecords } from "../../../core/replay/stageTimeline";

const T0 = Date.parse("2026-03-03T00:00:00Z");
const M = 60_000;

/** The rules record's answers: one value (or none) per instant of a grid `lead` instants early. */
function recordTable(values: readonly (number | undefined)[], lead: number) {
  const grid = replayGrid(T0 - lead * M, T0 + (values.length - lead - 1) * M, 60);
  return tabulate(grid, [
    {
      chunk: { first: 0, last: grid.count - 1 },
      outcome: {
        kind: "series",
        series: [
          {
            labels: {},
            points: values.flatMap((v, i) =>
              v === undefined ? [] : [{ timeSeconds: instantMs(grid, i) / 1000, value: v }],
            ),
          },
        ],
      },
    },
  ]);
}

describe("stagesFromRecord", () => {
  it("finds each change where the record first shows it, keeps a stage through gaps, knows a stage live for the lead", () => {
    const grid = replayGrid(T0, T0 + 5 * M, 60);
    const timeline = stagesFromRecord(
      recordTable([5, 5, 5, 10, undefined, 10, 25, 25], 2),
      2,
      grid,
    );
    deepStrictEqual(timeline, {
      source: "rules record",
      percentage: [5, 10, 10, 10, 25, 25],
      liveSinceMs: [T0 - 2 * M, T0 + M, T0 + M, T0 + M, T0 + 4 * M, T0 + 4 * M],
      changes: [
        { atMs: T0 + M, index: 1, from: 5, to: 10, kind: "promotion" },
        { atMs: T0 + 4 * M, index: 4, from: 10, to: 25, kind: "promotion" },
      ],
      notes: [],
    });
  });

  it("says when no stage is known before traffic starts, and when none is recorded at all", () => {
    const grid = replayGrid(T0, T0 + 2 * M, 60);
    deepStrictEqual(stagesFromRecord(recordTable([undefined, undefined, 50, 25], 1), 1, grid), {
      source: "rules record",
      percentage: [undefined, 50, 25],
      liveSinceMs: [undefined, T0 + M, T0 + 2 * M],
      changes: [{ atMs: T0 + 2 * M, index: 2, from: 50, to: 25, kind: "rollback" }],
      notes: ["no stage recorded before 2026-03-03T00:01:00.000Z: the stage is unknown until then"],
    });
    deepStrictEqual(
      stagesFromRecord(recordTable([undefined, undefined], 1), 1, replayGrid(T0, T0, 60)).notes,
      [
        "the rules record genesis:rollout_stage_percent has no value in the span: the stage, and how long it was live, are unknown",
      ],
    );
  });
});

describe("stagesFromRecords", () => {
  const record = (
    minute: number,
    from: number,
    to: number,
    decision: DecisionRecord["decision"],
  ): DecisionRecord => ({
    time: new Date(T0 + minute * M).toISOString(),
    from,
    to,
    decision,
    reason: "",
    checks: [],
  });

  it("follows initial, promotion and rollback records; blocked ones change nothing", () => {
    const grid = replayGrid(T0, T0 + 4 * M, 60);
    const timeline = stagesFromRecords(
      [
        record(-60, 0, 5, "initial"),
        record(1, 5, 10, "blocked"),
        record(1.5, 5, 10, "promotion"),
        record(3, 10, 5, "rollback"),
      ],
      grid,
      300,
    );
    deepStrictEqual(timeline, {
      source: "decision records",
      percentage: [5, 5, 10, 5, 5],
      liveSinceMs: [T0 - 60 * M, T0 - 60 * M, T0 + 1.5 * M, T0 + 3 * M, T0 + 3 * M],
      changes: [
        { atMs: T0 + 1.5 * M, index: 2, from: 5, to: 10, kind: "promotion" },
        { atMs: T0 + 3 * M, index: 3, from: 10, to: 5, kind: "rollback" },
      ],
      notes: [],
    });
  });

  it("takes the stage before the first record kept as live for at least the window", () => {
    const grid = replayGrid(T0, T0 + M, 60);
    deepStrictEqual(stagesFromRecords([record(1, 25, 50, "promotion")], grid, 300), {
      source: "decision records",
      percentage: [25, 50],
      liveSinceMs: [T0 - 300_000, T0 + M],
      changes: [{ atMs: T0 + M, index: 1, from: 25, to: 50, kind: "promotion" }],
      notes: [
        "the decision records kept start at 2026-03-03T00:01:00.000Z: the stage 25% before it is taken as live for at least the window",
      ],
    });
  });
});
