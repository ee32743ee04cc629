import { deepStrictEqual } from "node:assert/strict";
import {
  COUNT,
  decimalBeside,
  DecimalStyle,
  exactDecimal,
  fixed,
  MILLISECONDS,
  PERCENT,
  SECONDS,
} from "../../../core/gate/numbers";

describe("fixed", () => {
  const rows: [number, number, string][] = [
    [1.005, 2, "1.00"],
    [NaN, 2, "NaN"],
    [Infinity, 2, "+Inf"],
    [-Infinity, 0, "-Inf"],
  ];
  for (const [x, digits, want] of rows) {
    it(`${x} at ${digits} decimals is ${want}`, () => deepStrictEqual(fixed(x, digits), want));
  }
});

describe("exactDecimal", () => {
  const rows: [number, DecimalStyle, string][] = [
    [1, PERCENT, "1.00"],
    [0.125, PERCENT, "0.125"],
    [500, MILLISECONDS, "500"],
    [250.5, MILLISECONDS, "250.5"],
    [100, COUNT, "100"],
    [30, SECONDS, "30.0"],
    [0.1 + 0.2, PERCENT, "0.30000000000000004"],
    [1e-12, PERCENT, "0.000000000001"],
    [Infinity, PERCENT, "+Inf"],
    [-Infinity, MILLISECONDS, "-Inf"],
  ];
  for (const [x, style, want] of rows) {
    it(`${x} is ${want}`, () => deepStrictEqual(exactDecimal(x, style), want));
  }
});

describe("decimalBeside: the printed order is the true order", () => {
  const rows: [string, number, number, DecimalStyle, string][] = [
    ["far below: the usual decimals", 0.5, 1, PERCENT, "0.50"],
    ["far above", 2, 1, PERCENT, "2.00"],
    ["equal prints alike", 1, 1, PERCENT, "1.00"],
    ["just below gets a third decimal", 0.999, 1, PERCENT, "0.999"],
    ["a hair below is rounded down at the cap", 0.99999, 1, PERCENT, "0.9999"],
    ["just below, told apart at the cap's own decimals", 0.9999, 1, PERCENT, "0.9999"],
    ["just below, rounded to nearest at the cap's own decimals", 0.99986, 1, PERCENT, "0.9999"],
    ["just above, rounded to nearest at the cap's own decimals", 1.00014, 1, PERCENT, "1.0001"],
    ["requests told apart at two decimals", 99.99, 100, COUNT, "99.99"],
    ["a hair above is rounded up at the cap", 1.00001, 1, PERCENT, "1.0001"],
    ["requests just below the minimum", 99.6, 100, COUNT, "99.6"],
    ["requests rounding to the minimum", 99.96, 100, COUNT, "99.96"],
    ["requests a hair below the minimum", 99.9999, 100, COUNT, "99.99"],
    ["requests rounding down to the minimum from above", 100.4, 100, COUNT, "100.4"],
    ["whole requests", 1200, 100, COUNT, "1200"],
    ["milliseconds trimmed", 123.4, 500, MILLISECONDS, "123.4"],
    ["whole milliseconds", 200, 500, MILLISECONDS, "200"],
    ["milliseconds rounding to the threshold", 499.96, 500, MILLISECONDS, "499.96"],
    ["milliseconds a hair below", 499.99999, 500, MILLISECONDS, "499.999"],
    ["milliseconds a hair above", 500.00001, 500, MILLISECONDS, "500.001"],
    ["seconds rounding to the limit", 30.04, 30, SECONDS, "30.04"],
    ["seconds equal", 30, 30, SECONDS, "30.0"],
    ["negative beside zero", -0.001, 0, PERCENT, "-0.001"],
    ["NaN stays NaN", NaN, 1, PERCENT, "NaN"],
    ["+Inf stays +Inf", Infinity, 1, PERCENT, "+Inf"],
  ];
  for (const [name, value, limit, style, want] of rows) {
    it(`${name}: ${value} beside ${limit} is ${want}`, () => {
      deepStrictEqual(decimalBeside(value, limit, style), want);
    });
  }
  it("never prints a value on the wrong side of its limit", () => {
    for (let i = 0; i < 2000; i++) {
      const limit = [1, 5, 100, 500, 0.125][i % 5];
      const value = limit + (i % 2 === 0 ? -1 : 1) * 10 ** -(i % 12) * ((i % 7) + 1);
      for (const style of [PERCENT, MILLISECONDS, COUNT, SECONDS]) {
        const shown = Number(decimalBeside(value, limit, style));
        const limitShown = Number(exactDecimal(limit, style));
        deepStrictEqual(
          [value < limit ? shown < limitShown : shown > limitShown, value, limit],
          [true, value, limit],
        );
      }
    }
  });
});
