/**
 * The live display of `genesis rollout`: a cli-progress bar per stage that fills as the
 * validation window elapses, with the stage, time left, error rate and P95 against their
 * thresholds, and health N/5. Without a terminal (CI) it prints one line per frame instead,
 * so job logs show every measurement. The frames come from core/rollout/bakeView.
 */
import { SingleBar } from "cli-progress";
import { BakeView, renderBakeLine } from "../../core/rollout/bakeView";
import { RolloutDisplay } from "./driver";

/** A display on `stream` (a terminal gets the bar, anything else plain lines). */
export function terminalDisplay(stream: NodeJS.WriteStream = process.stderr): RolloutDisplay {
  let bar: SingleBar | undefined;
  const tty = stream.isTTY === true;
  const payload = (v: BakeView) => ({
    stage: v.stage.padStart(4),
    left: `${v.secondsLeft}`.padStart(5),
    errorRate: v.errorRate,
    p95: v.latencyP95,
    health: v.health,
    window: v.window,
  });
  return {
    bake(v) {
      if (!tty) {
        stream.write(`${renderBakeLine(v)}\n`);
        return;
      }
      const done = v.windowSeconds - v.secondsLeft;
      if (bar === undefined) {
        bar = new SingleBar({
          stream,
          format:
            "stage {stage} [{bar}] {left} s left | error rate {errorRate} | P95 {p95} | health {health} | {window}",
          barsize: 20,
          hideCursor: true,
          clearOnComplete: false,
        });
        bar.start(v.windowSeconds, done, payload(v));
      } else {
        bar.update(done, payload(v));
      }
    },
    endBake() {
      bar?.stop();
      bar = undefined;
    },
    log(line) {
      stream.write(`${line}\n`);
    },
  };
}
