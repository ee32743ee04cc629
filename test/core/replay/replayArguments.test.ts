import { deepStrictEqual } from "node:assert/strict";
import {
  instantCount,
  parseReplayFlags,
  ReplayFlags,
  spanText,
} from "../../../core/replay/replayArguments";

const NOW = Date.parse("2026-03-10T12:00:00Z");
const LIMITS = { nowMs: NOW, scrapeIntervalSeconds: 15, retentionDays: 15 };
const WEEK = { from: "2026-03-03T12:00:00Z", to: "2026-03-10T12:00:00Z" };

describe("parseReplayFlags", () => {
  it("reads a week at the default step with the stack's thresholds", () => {
    deepStrictEqual(parseReplayFlags(WEEK, LIMITS), {
      request: {
        fromMs: Date.parse(WEEK.from),
        toMs: Date.parse(WEEK.to),
        stepSeconds: 60,
        whatIf: {},
        format: "md",
      },
    });
  });

  it("reads what-if thresholds, a window, a step, a zone offset and a format", () => {
    deepStrictEqual(
      parseReplayFlags(
        {
          from: "2026-03-03T14:00:00+02:00",
          to: "2026-03-04T12:00:00Z",
          every: "5m",
          window: "10m",
          errorRateThreshold: "0.5",
          latencyP95Threshold: "300",
          minRequests: "50",
          format: "json",
        },
        LIMITS,
      ),
      {
        request: {
          fromMs: Date.parse("2026-03-03T12:00:00Z"),
          toMs: Date.parse("2026-03-04T12:00:00Z"),
          stepSeconds: 300,
          windowSeconds: 600,
          whatIf: {
            errorRateThresholdPercent: 0.5,
            latencyP95ThresholdMs: 300,
            minRequestCount: 50,
          },
          format: "json",
        },
      },
    );
  });

  const refused: [string, ReplayFlags, string[], typeof LIMITS?][] = [
    [
      "--to before --from",
      { from: "2026-03-05T00:00:00Z", to: "2026-03-04T00:00:00Z" },
      [
        '--to must not be before --from; got --to "2026-03-04T00:00:00Z" (2026-03-04T00:00:00.000Z), 1 d before --from "2026-03-05T00:00:00Z" (2026-03-05T00:00:00.000Z)',
      ],
    ],
    [
      "a span longer than retention, starting before it",
      { from: "2026-02-01T00:00:00Z", to: "2026-03-10T00:00:00Z" },
      [
        '--from/--to span 37 d, longer than Prometheus retains (genesis:prometheusRetentionDays 15 d); got --from "2026-02-01T00:00:00Z" --to "2026-03-10T00:00:00Z"',
        '--from "2026-02-01T00:00:00Z" is older than Prometheus retains (genesis:prometheusRetentionDays 15 d: nothing before 2026-02-23T12:00:00.000Z)',
      ],
    ],
    [
      "a step under the scrape interval",
      { ...WEEK, every: "10s" },
      [
        '--every must be at least the scrape interval (genesis:scrapeIntervalSeconds 15 s): a shorter step only repeats the same samples; got "10s" (10 s)',
      ],
    ],
    [
      "more than 100,000 points",
      { ...WEEK, every: "5s" },
      [
        '--every "5s" gives 120961 instants from --from to --to (7 d); at most 100000 are allowed: use --every 7s or more, or a shorter span',
      ],
      { ...LIMITS, scrapeIntervalSeconds: 5 },
    ],
    [
      "times that are not strict ISO 8601 with a zone, a missing --to",
      { from: "2026-03-03 12:00" },
      [
        '--from must be an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00; got "2026-03-03 12:00"',
        "--to is required: an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z",
      ],
    ],
    [
      "an impossible date, a time without a zone",
      { from: "2026-02-30T00:00:00Z", to: "2026-03-04T00:00:00" },
      [
        '--from must be an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00; got "2026-02-30T00:00:00Z"',
        '--to must be an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00; got "2026-03-04T00:00:00"',
      ],
    ],
    [
      "--to in the future",
      { from: "2026-03-10T00:00:00Z", to: "2026-03-11T00:00:00Z" },
      [
        '--to must not be in the future (at most a minute after now, 2026-03-10T12:00:00.000Z); got "2026-03-11T00:00:00Z"',
      ],
    ],
    [
      "every bad threshold, window and format at once",
      {
        ...WEEK,
        window: "30s",
        errorRateThreshold: "1e-3",
        latencyP95Threshold: "0.5",
        minRequests: "0",
        format: "pdf",
      },
      [
        '--window must be from 4 scrape intervals (4 x genesis:scrapeIntervalSeconds 15 = 60 s) to 7 days (604800 s); got "30s" (30 s)',
        '--error-rate-threshold must be a positive number of percent, at most 100, such as 0.5 (as genesis:errorRateThresholdPercent); got "1e-3"',
        '--latency-p95-threshold must be a whole number of milliseconds from 1 to 600000, such as 300 (as genesis:latencyP95ThresholdMs); got "0.5"',
        '--min-requests must be a whole number from 1 to 1000000000 (as genesis:minRequestCount); got "0"',
        '--format must be md, html or json; got "pdf"',
      ],
    ],
  ];
  for (const [what, flags, problems, limits] of refused) {
    it(`refuses ${what}, naming the flag, the value and the limit`, () => {
      deepStrictEqual(parseReplayFlags(flags, limits ?? LIMITS), { problems });
    });
  }
});

describe("instantCount and spanText", () => {
  it("counts both ends of a span", () => {
    deepStrictEqual(
      [
        instantCount(0, 7 * 86_400_000, 60),
        instantCount(0, 7 * 86_400_000 - 60_000, 60),
        instantCount(0, 0, 60),
        instantCount(0, 59_000, 60),
      ],
      [10_081, 10_080, 1, 1],
    );
  });

  it("shows spans in the largest whole unit", () => {
    deepStrictEqual(
      [
        spanText(86_400_000 * 2),
        spanText(3_600_000),
        spanText(90 * 60_000),
        spanText(45_000),
        spanText(1.5 * 86_400_000),
      ],
      ["2 d", "1 h", "90 min", "45 s", "1.50 d"],
    );
  });
});
