/** The live display: a cli-progress bar on a terminal, one plain line per frame otherwise. */
import { match, strictEqual } from "node:assert/strict";
import { PassThrough } from "node:stream";
import { terminalDisplay } from "../../../cli/rollout/display";
import { BakeView, renderBakeLine } from "../../../core/rollout/bakeView";

const FRAME: BakeView = {
  stage: "25%",
  secondsLeft: 180,
  windowSeconds: 300,
  errorRate: "0.12% (< 1.00%)",
  latencyP95: "184 ms (< 500 ms)",
  health: "5/5",
  window: "scrapes 0 of 20 failed; alerts none",
};

function capture(tty: boolean): { stream: NodeJS.WriteStream; text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  Object.assign(stream, {
    isTTY: tty,
    columns: 200,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream, text: () => text };
}

describe("rollout display", () => {
  it("renders a frame as one line: stage, time left, error rate and P95 against thresholds, health, the window checks", () => {
    strictEqual(
      renderBakeLine(FRAME),
      "stage 25% | 180 s left of 300 s | error rate 0.12% (< 1.00%) | P95 184 ms (< 500 ms) | health 5/5 | scrapes 0 of 20 failed; alerts none",
    );
  });

  it("without a terminal prints one line per frame, and log lines as they come", () => {
    const c = capture(false);
    const d = terminalDisplay(c.stream);
    d.log("baking 25% for the 300 s validation window");
    d.bake(FRAME);
    d.endBake();
    strictEqual(c.text(), `baking 25% for the 300 s validation window\n${renderBakeLine(FRAME)}\n`);
  });

  it("on a terminal draws a progress bar with the same figures", () => {
    const c = capture(true);
    const d = terminalDisplay(c.stream);
    d.bake(FRAME);
    d.bake({ ...FRAME, secondsLeft: 170 });
    d.endBake();
    match(
      c.text(),
      /stage  25% \[[^\]]{20}\]   170 s left \| error rate 0\.12% \(< 1\.00%\) \| P95 184 ms \(< 500 ms\) \| health 5\/5 \| scrapes 0 of 20 failed; alerts none/,
    );
  });
});
