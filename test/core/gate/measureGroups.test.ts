import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  GATE_MEASURE_GROUPS,
  groupedQueries,
  MEASURE_LABEL,
  MeasureGroup,
  splitGroupedOutcomes,
} from "../../../core/gate/measureGroups";
import { QueryOutcome, Sample } from "../../../core/gate/prometheusResponse";
import { GateQueries } from "../../../core/gate/promql";

const QUERIES: GateQueries = {
  requests: "R",
  errorRatio: "E",
  latencyP95Seconds: "L",
  latencyBuckets: "B",
  statusLabelSeries: "S",
  up: "U",
  scrapeAgeSeconds: "A",
  scrapesInWindow: "N",
  failedScrapesInWindow: "F",
  lastFailedScrapeSeconds: "T",
  alertsFiredInWindow: "W",
};
const sample = (labels: Record<string, string>, value: number): Sample => ({
  labels,
  value,
  timestampSeconds: 1700000000,
});
const samples = (...s: Sample[]): QueryOutcome => ({ kind: "samples", samples: s });
const tagged = (measure: string, labels: Record<string, string>, value: number): Sample =>
  sample({ [MEASURE_LABEL]: measure, ...labels }, value);

describe("groupedQueries", () => {
  it("sends the latency histogram alone and the counter and scrape measures together", () => {
    deepStrictEqual(groupedQueries(QUERIES), [
      'label_replace(L, "genesis_measure", "latencyP95Seconds", "", "") or ' +
        'label_replace(B, "genesis_measure", "latencyBuckets", "", "")',
      'label_replace(R, "genesis_measure", "requests", "", "") or ' +
        'label_replace(E, "genesis_measure", "errorRatio", "", "") or ' +
        'label_replace(S, "genesis_measure", "statusLabelSeries", "", "") or ' +
        'label_replace(U, "genesis_measure", "up", "", "") or ' +
        'label_replace(A, "genesis_measure", "scrapeAgeSeconds", "", "") or ' +
        'label_replace(N, "genesis_measure", "scrapesInWindow", "", "") or ' +
        'label_replace(F, "genesis_measure", "failedScrapesInWindow", "", "") or ' +
        'label_replace(T, "genesis_measure", "lastFailedScrapeSeconds", "", "") or ' +
        'label_replace(W, "genesis_measure", "alertsFiredInWindow", "", "")',
    ]);
  });

  it("takes any partition of the eleven measures: one per query, or all in one", () => {
    strictEqual(
      groupedQueries(
        QUERIES,
        GATE_MEASURE_GROUPS.flat().map((m) => [m]),
      ).length,
      11,
    );
    strictEqual(groupedQueries(QUERIES, [GATE_MEASURE_GROUPS.flat()]).length, 1);
  });

  const bad: [string, MeasureGroup[]][] = [
    ["a measure missing", [["requests", "errorRatio", "up", "scrapeAgeSeconds"]]],
    [
      "a measure twice",
      [
        ["latencyP95Seconds", "requests"],
        ["requests", "errorRatio", "up", "scrapeAgeSeconds"],
      ],
    ],
    ["an empty group", [[], GATE_MEASURE_GROUPS.flat()]],
    ["every measure, one of them twice", [GATE_MEASURE_GROUPS.flat(), ["up"]]],
  ];
  for (const [title, groups] of bad) {
    it(`refuses ${title}, naming the measures and the groups`, () => {
      throws(
        () => groupedQueries(QUERIES, groups),
        new RegExp(
          `^Error: measure groups must name each of requests, errorRatio, latencyP95Seconds, latencyBuckets, statusLabelSeries, up, scrapeAgeSeconds, scrapesInWindow, failedScrapesInWindow, lastFailedScrapeSeconds, alertsFiredInWindow exactly once, in non-empty groups; got ${JSON.stringify(groups).replace(/[[\]]/g, "\\$&")}$`,
        ),
      );
    });
  }
});

describe("splitGroupedOutcomes", () => {
  const latency = samples(
    tagged("latencyP95Seconds", { variant: "canary" }, 0.2),
    tagged("latencyP95Seconds", { variant: "stable" }, Number.NaN),
  );

  it("hands each measure its own samples, without the tag", () => {
    const split = splitGroupedOutcomes([
      latency,
      samples(
        tagged("requests", { variant: "canary" }, 120),
        tagged("errorRatio", { variant: "canary" }, 0.01),
        tagged("statusLabelSeries", { variant: "canary" }, 2),
        tagged("up", {}, 1),
        tagged("scrapeAgeSeconds", {}, 0.4),
      ),
    ]);
    deepStrictEqual(split, {
      requests: samples(sample({ variant: "canary" }, 120)),
      errorRatio: samples(sample({ variant: "canary" }, 0.01)),
      latencyP95Seconds: samples(
        sample({ variant: "canary" }, 0.2),
        sample({ variant: "stable" }, Number.NaN),
      ),
      latencyBuckets: { kind: "empty" },
      statusLabelSeries: samples(sample({ variant: "canary" }, 2)),
      up: samples(sample({}, 1)),
      scrapeAgeSeconds: samples(sample({}, 0.4)),
      scrapesInWindow: { kind: "empty" },
      failedScrapesInWindow: { kind: "empty" },
      lastFailedScrapeSeconds: { kind: "empty" },
      alertsFiredInWindow: { kind: "empty" },
    });
  });

  it("a measure with no sample in its group's answer is empty, the others keep theirs", () => {
    const split = splitGroupedOutcomes([latency, samples(tagged("up", {}, 0))]);
    deepStrictEqual(
      [split.requests, split.errorRatio, split.scrapeAgeSeconds, split.up],
      [{ kind: "empty" }, { kind: "empty" }, { kind: "empty" }, samples(sample({}, 0))],
    );
  });

  it("an empty answer or an error applies to every measure of its group only", () => {
    const error: QueryOutcome = { kind: "error", reason: "Prometheus unreachable" };
    const split = splitGroupedOutcomes([{ kind: "empty" }, error]);
    deepStrictEqual(split, {
      requests: error,
      errorRatio: error,
      latencyP95Seconds: { kind: "empty" },
      latencyBuckets: { kind: "empty" },
      statusLabelSeries: error,
      up: error,
      scrapeAgeSeconds: error,
      scrapesInWindow: error,
      failedScrapesInWindow: error,
      lastFailedScrapeSeconds: error,
      alertsFiredInWindow: error,
    });
  });

  const malformed: [string, Sample, string][] = [
    [
      "a sample without the tag",
      sample({ variant: "canary" }, 1),
      'malformed answer: a sample tagged genesis_measure=null, expected one of requests, errorRatio, statusLabelSeries, up, scrapeAgeSeconds, scrapesInWindow, failedScrapesInWindow, lastFailedScrapeSeconds, alertsFiredInWindow (labels {"variant":"canary"})',
    ],
    [
      "a sample tagged with another group's measure",
      tagged("latencyP95Seconds", {}, 1),
      'malformed answer: a sample tagged genesis_measure="latencyP95Seconds", expected one of requests, errorRatio, statusLabelSeries, up, scrapeAgeSeconds, scrapesInWindow, failedScrapesInWindow, lastFailedScrapeSeconds, alertsFiredInWindow (labels {"genesis_measure":"latencyP95Seconds"})',
    ],
  ];
  for (const [title, odd, reason] of malformed) {
    it(`${title} makes its whole group an error (never a pass)`, () => {
      const split = splitGroupedOutcomes([latency, samples(tagged("up", {}, 1), odd)]);
      const error = { kind: "error", reason };
      deepStrictEqual(
        [split.requests, split.errorRatio, split.up, split.scrapeAgeSeconds],
        [error, error, error, error],
      );
      strictEqual(split.latencyP95Seconds.kind, "samples");
    });
  }

  it("refuses a count of answers that is not one per group", () => {
    throws(
      () => splitGroupedOutcomes([latency]),
      /^Error: expected 2 answers, one per measure group; got 1$/,
    );
  });
});
