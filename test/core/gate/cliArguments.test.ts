/** The strict parsing of `genesis gate`'s arguments and its headline: exact values and messages. */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  firstLine,
  gateHeadline,
  GateHeadline,
  liveUnknownMessage,
  parseIsoDateTimeMs,
  parseLiveSinceArgument,
  parseStepArgument,
  parseWindowArgument,
  ParsedArgument,
} from "../../../core/gate/cliArguments";

const STEPS = [0, 5, 10, 25, 50, 75, 100];
const NOW = Date.parse("2026-03-07T12:00:00Z");
const stepProblem = (flag: string, got: string) => ({
  problem: `${flag} must be one of the rollout steps 0,5,10,25,50,75,100, written as a plain whole number such as 50; got ${got}`,
});

describe("parseStepArgument", () => {
  const cases: [string, ParsedArgument<number>][] = [
    ["0", { value: 0 }],
    ["5", { value: 5 }],
    ["50", { value: 50 }],
    ["100", { value: 100 }],
    ["", stepProblem("--to", '""')],
    ["5e1", stepProblem("--to", '"5e1"')],
    ["0x32", stepProblem("--to", '"0x32"')],
    ["50.0", stepProblem("--to", '"50.0"')],
    [" 50", stepProblem("--to", '" 50"')],
    ["50 ", stepProblem("--to", '"50 "')],
    ["+50", stepProblem("--to", '"+50"')],
    ["-5", stepProblem("--to", '"-5"')],
    ["050", stepProblem("--to", '"050"')],
    ["60", stepProblem("--to", '"60"')],
    ["1000", stepProblem("--to", '"1000"')],
    ["fifty", stepProblem("--to", '"fifty"')],
  ];
  for (const [text, expected] of cases) {
    it(`--to ${JSON.stringify(text)}`, () => {
      deepStrictEqual(parseStepArgument("--to", text, STEPS), expected);
    });
  }
  it("names --from and uses the stack's own steps", () => {
    deepStrictEqual(parseStepArgument("--from", "30", [0, 30, 100]), { value: 30 });
    deepStrictEqual(parseStepArgument("--from", "25", [0, 30, 100]), {
      problem:
        '--from must be one of the rollout steps 0,30,100, written as a plain whole number such as 50; got "25"',
    });
  });
});

describe("parseWindowArgument", () => {
  const range = (got: string, seconds: number) => ({
    problem: `--window must be from 4 scrape intervals (4 x genesis:scrapeIntervalSeconds 15 = 60 s) to 7 days (604800 s); got ${got} (${seconds} s)`,
  });
  const cases: [string, ParsedArgument<number>][] = [
    ["60", { value: 60 }],
    ["1m", { value: 60 }],
    ["90s", { value: 90 }],
    ["1h30m", { value: 5400 }],
    ["7d", { value: 604800 }],
    ["59", range('"59"', 59)],
    ["30s", range('"30s"', 30)],
    ["7d1s", range('"7d1s"', 604801)],
    ["8d", range('"8d"', 691200)],
    [
      "soon",
      { problem: '--window must be a positive duration such as 300, 90s, 5m or 1h30m; got "soon"' },
    ],
    [
      "0",
      { problem: '--window must be a positive duration such as 300, 90s, 5m or 1h30m; got "0"' },
    ],
  ];
  for (const [text, expected] of cases) {
    it(`--window ${JSON.stringify(text)} with a 15 s scrape interval`, () => {
      deepStrictEqual(parseWindowArgument(text, { scrapeIntervalSeconds: 15 }), expected);
    });
  }
});

describe("parseIsoDateTimeMs", () => {
  const cases: [string, number | undefined][] = [
    ["2026-01-01T12:00:00Z", Date.UTC(2026, 0, 1, 12)],
    ["2026-01-01T12:00Z", Date.UTC(2026, 0, 1, 12)],
    ["2026-01-01T14:00:00+02:00", Date.UTC(2026, 0, 1, 12)],
    ["2026-01-01T07:30:00-04:30", Date.UTC(2026, 0, 1, 12)],
    ["2026-01-01T12:00:00.250Z", Date.UTC(2026, 0, 1, 12, 0, 0, 250)],
    ["2026-01-01T12:00:00.123456789Z", Date.UTC(2026, 0, 1, 12, 0, 0, 123)],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
    ["0050-01-01T00:00:00Z", Date.parse("0050-01-01T00:00:00Z")],
    ["2026-12-31T23:59:59.999Z", Date.UTC(2026, 11, 31, 23, 59, 59, 999)],
    ["2026-01-01T12:00:00.5Z", Date.UTC(2026, 0, 1, 12, 0, 0, 500)],
    ["2026-01-01T23:59:00+23:59", Date.UTC(2026, 0, 1, 0, 0)],
    ["2026-01-01T12:00:00+02:60", undefined],
    ["0", undefined],
    ["March 7", undefined],
    ["2026-13-01", undefined],
    ["2026-13-01T00:00:00Z", undefined],
    ["2026-00-01T00:00:00Z", undefined],
    ["2026-02-29T00:00:00Z", undefined],
    ["2026-04-31T00:00:00Z", undefined],
    ["2026-01-01T24:00:00Z", undefined],
    ["2026-01-01T12:60:00Z", undefined],
    ["2026-01-01T12:00:60Z", undefined],
    ["2026-01-01T12:00:00", undefined],
    ["2026-01-01", undefined],
    ["2026-01-01 12:00:00Z", undefined],
    ["2026-01-01t12:00:00z", undefined],
    ["2026-01-01T12:00:00+0200", undefined],
    ["2026-01-01T12:00:00+24:00", undefined],
    [" 2026-01-01T12:00:00Z", undefined],
    ["1767268800000", undefined],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      strictEqual(parseIsoDateTimeMs(text), expected);
    });
  }
});

describe("parseLiveSinceArgument", () => {
  const format = (got: string) => ({
    problem: `--live-since must be an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00; got ${got}`,
  });
  const future = (got: string) => ({
    problem: `--live-since must not be in the future (at most a minute after now, 2026-03-07T12:00:00.000Z); got ${got}`,
  });
  const cases: [string, ParsedArgument<number>][] = [
    ["2026-03-07T11:00:00Z", { value: NOW - 3_600_000 }],
    ["2026-03-07T12:01:00Z", { value: NOW + 60_000 }],
    ["2026-03-07T14:01:00+02:00", { value: NOW + 60_000 }],
    ["2026-03-07T12:01:01Z", future('"2026-03-07T12:01:01Z"')],
    ["2027-01-01T00:00:00Z", future('"2027-01-01T00:00:00Z"')],
    ["0", format('"0"')],
    ["March 7", format('"March 7"')],
    ["2026-13-01", format('"2026-13-01"')],
    ["2026-03-07T11:00:00", format('"2026-03-07T11:00:00"')],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      deepStrictEqual(parseLiveSinceArgument(text, NOW), expected);
    });
  }
});

describe("liveUnknownMessage and firstLine", () => {
  it("keeps only the first line of the reason", () => {
    strictEqual(firstLine("  one\ntwo\n"), "one");
    strictEqual(
      liveUnknownMessage(
        "reading the stack outputs failed: code: -2\n stderr: spawn pulumi ENOENT",
      ),
      "genesis gate: cannot tell the live percentage: pass --from <percent> (the stack's livePercentage output); reading the stack outputs failed: code: -2",
    );
  });
});

describe("gateHeadline", () => {
  const cases: [GateHeadline, string][] = [
    [
      { kind: "promotion", from: 25, fromSource: "--from", to: 50, verdict: "pass" },
      "promotion from 25% (live, from --from) to 50%: pass",
    ],
    [
      { kind: "promotion", from: 25, fromSource: "stack outputs", to: 50, verdict: "fail" },
      "promotion from 25% (live, from the stack outputs) to 50%: fail",
    ],
    [
      { kind: "rollback", from: 50, fromSource: "--from", to: 25, verdict: "pass" },
      "rollback from 50% (live, from --from) to 25%: pass (a rollback always goes through; no checks are run)",
    ],
    [
      { kind: "no-change", from: 50, fromSource: "stack outputs", to: 50, verdict: "pass" },
      "no change at 50% (live, from the stack outputs): pass (--to 50 is the live percentage; no checks are run)",
    ],
  ];
  for (const [input, expected] of cases) {
    it(expected, () => {
      strictEqual(gateHeadline(input), expected);
    });
  }
});
