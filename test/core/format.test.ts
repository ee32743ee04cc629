import { deepStrictEqual, throws } from "node:assert/strict";
import { promDuration } from "../../core/format";

describe("promDuration", () => {
  it("writes durations as Prometheus does", () => {
    deepStrictEqual([0, 15, 60, 90, 300, 3600, 3725].map(promDuration), [
      "0s",
      "15s",
      "1m",
      "1m30s",
      "5m",
      "1h",
      "1h2m5s",
    ]);
    throws(
      () => promDuration(1.5),
      new Error("a duration must be a whole number of seconds, 0 or more; got 1.5"),
    );
  });
});
