/**
 * `genesis health --stack S [--json]`: the five health checks, concurrently; prints N/5 and
 * exits 0 only on 5/5.
 */
import { evaluateHealth } from "../../core/gate/checks";
import { renderDecisionTable } from "../../core/gate/decisionTable";
import { gateSettingsFromConfig } from "../../core/gate/gateSettings";
import { collectHealth } from "../../io/gateProbe";
import { loadStackConfig } from "../loadStack";
import type { CommandRegistrar } from "../main";
import { addGateOptions, endpointOverrides, GateCommandOptions } from "./gateOptions";

/** Registers `genesis health`. */
export const registerHealth: CommandRegistrar = (program, setExitCode) => {
  addGateOptions(
    program
      .command("health")
      .description("check Prometheus, Grafana, Alertmanager, Node Exporter and the app"),
  ).action(async (opts: GateCommandOptions) => {
    const cfg = loadStackConfig(opts.stack, opts.projectDir, { assumeSecrets: true });
    const settings = gateSettingsFromConfig(cfg, endpointOverrides(opts));
    const probes = await collectHealth(
      settings.endpoints,
      settings.requestTimeoutMs,
      settings.retries,
      settings.decisionTimeoutMs,
    );
    const checks = evaluateHealth(probes);
    const healthy = checks.filter((c) => c.verdict === "pass").length;
    if (opts.json === true) {
      process.stdout.write(
        `${JSON.stringify({ healthy, total: checks.length, checks }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`health ${healthy}/${checks.length}\n${renderDecisionTable(checks)}\n`);
    }
    setExitCode(healthy === checks.length ? 0 : 1);
  });
};
