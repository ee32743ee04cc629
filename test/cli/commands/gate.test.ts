/**
 * `genesis gate` as a command, run in-process on a temporary project whose stack is
 * configured at 75 % while the tests say the live percentage is another: every refusal
 * (exit 64, naming the flag, the value and what is allowed), the live percentage from
 * `--from` or from the stack outputs (and the one-line error when neither is available),
 * and a rollback or no change that runs no check and touches no network.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import {
  AUTOMATION_ENVIRONMENT,
  RolloutEnvironment,
  useRolloutEnvironment,
} from "../../../cli/commands/rollout";
import { RolloutStack } from "../../../core/rollout/rolloutStack";
import { runGenesis as genesis } from "../../support/genesisCli";

const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");
const NOW = Date.parse("2026-03-07T12:00:00Z");
const STEPS = "0,5,10,25,50,75,100";
const stepRefusal = (flag: string, got: string) =>
  `${flag} must be one of the rollout steps ${STEPS}, written as a plain whole number such as 50; got ${got}\n`;
const liveSinceFormat = (got: string) =>
  `--live-since must be an ISO 8601 date-time with a time zone, such as 2026-01-01T12:00:00Z or 2026-01-01T14:00:00+02:00; got ${got}\n`;
const windowRange = (got: string, seconds: number) =>
  `--window must be from 4 scrape intervals (4 x genesis:scrapeIntervalSeconds 15 = 60 s) to 7 days (604800 s); got ${got} (${seconds} s)\n`;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("genesis gate command (from the live percentage, strict arguments)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-gate-cmd-"));
  let closed: string;
  let outputs: () => Promise<Readonly<Record<string, unknown>>>;
  let opened: number;
  let restore: RolloutEnvironment;
  const run = (args: string[]) => genesis(["gate", "--stack", "gt", "--project-dir", dir, ...args]);

  before(async () => {
    closed = `http://127.0.0.1:${await closedPort()}`;
    copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    writeFileSync(
      path.join(dir, "Pulumi.gt.yaml"),
      [
        "config:",
        "  genesis:environment: staging",
        "  genesis:rolloutPercentage: 75",
        "  genesis:validationWindowSeconds: 300",
        "  genesis:scrapeIntervalSeconds: 15",
        `  genesis:prometheusUrl: ${closed}`,
        `  genesis:grafanaUrl: ${closed}`,
        `  genesis:alertmanagerUrl: ${closed}`,
        `  genesis:nodeExporterUrl: ${closed}`,
        `  genesis:appHealthUrl: ${closed}/health`,
        "  genesis:grafanaAdminPassword:",
        "    secure: AAABAMtest",
        "",
      ].join("\n"),
    );
  });
  beforeEach(() => {
    opened = 0;
    outputs = async () => {
      throw new Error("the stack outputs were not expected to be read");
    };
    restore = useRolloutEnvironment({
      ...AUTOMATION_ENVIRONMENT,
      openStack: async () => {
        opened++;
        return { outputs: () => outputs() } as RolloutStack;
      },
      clock: { nowMs: () => NOW, sleepUntil: async () => undefined },
    });
  });
  afterEach(() => {
    useRolloutEnvironment(restore);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("refuses, exit 64, naming the flag, the value and what is allowed", () => {
    const refusals: [string[], string][] = [
      [["--from", "50", "--to", ""], stepRefusal("--to", '""')],
      [["--from", "50", "--to", "5e1"], stepRefusal("--to", '"5e1"')],
      [["--from", "50", "--to", "0x32"], stepRefusal("--to", '"0x32"')],
      [["--from", "50", "--to", "50.0"], stepRefusal("--to", '"50.0"')],
      [["--from", "50", "--to", " 50"], stepRefusal("--to", '" 50"')],
      [["--from", "50", "--to", "60"], stepRefusal("--to", '"60"')],
      [["--from", ""], stepRefusal("--from", '""')],
      [["--from", "5e1"], stepRefusal("--from", '"5e1"')],
      [["--from", "0x32"], stepRefusal("--from", '"0x32"')],
      [["--from", "50.0"], stepRefusal("--from", '"50.0"')],
      [["--from", " 50"], stepRefusal("--from", '" 50"')],
      [["--from", "30"], stepRefusal("--from", '"30"')],
      [["--from", "50", "--live-since", "0"], liveSinceFormat('"0"')],
      [["--from", "50", "--live-since", "March 7"], liveSinceFormat('"March 7"')],
      [["--from", "50", "--live-since", "2026-13-01"], liveSinceFormat('"2026-13-01"')],
      [
        ["--from", "50", "--live-since", "2026-03-07T11:00:00"],
        liveSinceFormat('"2026-03-07T11:00:00"'),
      ],
      [
        ["--from", "50", "--live-since", "2026-03-07T12:01:01Z"],
        '--live-since must not be in the future (at most a minute after now, 2026-03-07T12:00:00.000Z); got "2026-03-07T12:01:01Z"\n',
      ],
      [["--from", "50", "--window", "59s"], windowRange('"59s"', 59)],
      [["--from", "50", "--window", "8d"], windowRange('"8d"', 691200)],
      [
        ["--from", "50", "--window", "soon"],
        '--window must be a positive duration such as 300, 90s, 5m or 1h30m; got "soon"\n',
      ],
      [
        ["--from", "25", "--to", "75"],
        "--to: cannot promote from 25% to 75%: it skips 50%; the next step is 50% (set genesis:allowStepSkip to true to skip steps)\n",
      ],
      [
        ["--from", "100"],
        "--to: the live percentage is 100% (from --from), the last step; there is nothing to promote to\n",
      ],
      [
        ["--to", "5e1", "--from", "0x32", "--window", "1s", "--live-since", "March 7"],
        stepRefusal("--from", '"0x32"') +
          stepRefusal("--to", '"5e1"') +
          windowRange('"1s"', 1) +
          liveSinceFormat('"March 7"'),
      ],
    ];
    for (const [args, stderr] of refusals) {
      it(args.map((a) => JSON.stringify(a)).join(" "), async () => {
        const r = await run(args);
        deepStrictEqual([r.code, r.stdout, r.stderr], [64, "", stderr]);
        strictEqual(opened, 0, "a refused command reads nothing from the stack");
      });
    }
  });

  describe("the live percentage", () => {
    it("neither --from nor the stack outputs (no Pulumi CLI): one line naming --from and why", async () => {
      useRolloutEnvironment({ ...AUTOMATION_ENVIRONMENT, clock: AUTOMATION_ENVIRONMENT.clock });
      const r = await run(["--to", "50"]);
      strictEqual(r.code, 64);
      strictEqual(r.stdout, "");
      const prefix =
        "genesis gate: cannot tell the live percentage: pass --from <percent> (the stack's livePercentage output); reading the stack outputs failed: ";
      ok(r.stderr.startsWith(prefix), r.stderr);
      strictEqual(r.stderr.split("\n").length, 2, `one line: ${JSON.stringify(r.stderr)}`);
      ok(r.stderr.length > prefix.length + 1, "the reason is given");
    });

    it("the outputs could not be read: only the first line of the error", async () => {
      outputs = async () => {
        throw new Error(
          "pulumi stack output failed: code: 255\n stderr: error: no stack named 'gt'",
        );
      };
      const r = await run([]);
      deepStrictEqual(
        [r.code, r.stdout, r.stderr],
        [
          64,
          "",
          "genesis gate: cannot tell the live percentage: pass --from <percent> (the stack's livePercentage output); reading the stack outputs failed: pulumi stack output failed: code: 255\n",
        ],
      );
    });

    it("the outputs hold no gate state: says so", async () => {
      outputs = async () => ({ rolloutPercentage: 75 });
      const r = await run(["--to", "50"]);
      deepStrictEqual(
        [r.code, r.stderr],
        [
          64,
          "genesis gate: cannot tell the live percentage: pass --from <percent> (the stack's livePercentage output); the stack outputs have no valid livePercentage and liveSince\n",
        ],
      );
    });

    it("from the stack outputs: judges from their livePercentage (not the configured 75 %) with their liveSince, default --to the next step", async () => {
      outputs = async () => ({ livePercentage: 25, liveSince: "2026-03-07T11:00:00.000Z" });
      const r = await run(["--json"]);
      const out = JSON.parse(r.stdout) as Record<string, unknown> & {
        checks: { name: string; verdict: string }[];
      };
      deepStrictEqual(
        [r.code, out.verdict, out.transition, out.from, out.fromSource, out.to],
        [2, "inconclusive", "promotion", 25, "stack outputs", 50],
      );
      deepStrictEqual(
        [out.liveSince, out.liveSinceSource, out.message],
        [
          "2026-03-07T11:00:00.000Z",
          "stack outputs",
          "promotion from 25% (live, from the stack outputs) to 50%: inconclusive",
        ],
      );
      // Live for an hour, longer than the 300 s window: the stage-live check passes.
      strictEqual(out.checks.find((c) => c.name === "stage live")?.verdict, "pass");
      strictEqual(opened, 1);
    });

    it("--live-since wins over the outputs' liveSince", async () => {
      outputs = async () => ({ livePercentage: 25, liveSince: "2026-03-07T11:00:00.000Z" });
      const r = await run(["--live-since", "2026-03-07T13:59:00+02:00", "--json"]);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      deepStrictEqual(
        [out.from, out.liveSince, out.liveSinceSource],
        [25, "2026-03-07T11:59:00.000Z", "--live-since"],
      );
    });

    it("--from: the outputs are not read; the table's header names where the live percentage came from", async () => {
      const r = await run(["--from", "25", "--window", "60"]);
      strictEqual(r.code, 2);
      strictEqual(
        r.stdout.split("\n")[0],
        "promotion from 25% (live, from --from) to 50%: inconclusive",
      );
      strictEqual(opened, 0);
    });
  });

  describe("a rollback or no change runs no check", () => {
    it("a rollback always goes through: exit 0 at once, with every URL on a closed port", async () => {
      const started = Date.now();
      const r = await run(["--from", "50", "--to", "25"]);
      const tookMs = Date.now() - started;
      deepStrictEqual(
        [r.code, r.stdout, r.stderr],
        [
          0,
          "rollback from 50% (live, from --from) to 25%: pass (a rollback always goes through; no checks are run)\n",
          "",
        ],
      );
      ok(tookMs < 1000, `took ${tookMs} ms`);
    });

    it("a rollback and no change open no connection (every URL on a listening port that counts them)", async () => {
      let connections = 0;
      const server = net.createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      const urls = [
        "--prometheus-url",
        url,
        "--grafana-url",
        url,
        "--alertmanager-url",
        url,
        "--node-exporter-url",
        url,
        "--app-url",
        `${url}/health`,
      ];
      try {
        const rollback = await run(["--from", "75", "--to", "0", "--json", ...urls]);
        deepStrictEqual(
          [rollback.code, JSON.parse(rollback.stdout)],
          [
            0,
            {
              verdict: "pass",
              transition: "rollback",
              from: 75,
              fromSource: "--from",
              to: 0,
              liveSince: null,
              liveSinceSource: "unknown",
              message:
                "rollback from 75% (live, from --from) to 0%: pass (a rollback always goes through; no checks are run)",
              checks: [],
            },
          ],
        );
        const same = await run(["--from", "50", "--to", "50", ...urls]);
        deepStrictEqual(
          [same.code, same.stdout],
          [
            0,
            "no change at 50% (live, from --from): pass (--to 50 is the live percentage; no checks are run)\n",
          ],
        );
        // The sanity check: a promotion does reach the server.
        await run(["--from", "50", "--to", "75", ...urls]);
        ok(connections > 0, "a promotion connects");
        const before = connections;
        await run(["--from", "50", "--to", "25", ...urls]);
        strictEqual(connections, before);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it("no change from the stack outputs", async () => {
      outputs = async () => ({ livePercentage: 50, liveSince: "2026-03-07T11:00:00.000Z" });
      const r = await run(["--to", "50"]);
      deepStrictEqual(
        [r.code, r.stdout],
        [
          0,
          "no change at 50% (live, from the stack outputs): pass (--to 50 is the live percentage; no checks are run)\n",
        ],
      );
    });
  });
});
