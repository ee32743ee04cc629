// The program under Pulumi's mocks, for both stacks: the exact resources it declares and
// their inputs, read from what the engine would receive.
import { GATE_OUTPUTS } from "../core/rollout/rolloutStack";
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  CaptureConfig,
  CapturedProgram,
  CapturedResource,
  captureProgram,
} from "../program/captureProgram";
import { stackCaptureConfig } from "../cli/stackCapture";
import { parseStackConfig, StackConfig } from "../core/config/stackConfig";
import { readStackFiles } from "../core/config/stackFile";
import { gateSettingsFromConfig } from "../core/gate/gateSettings";
import { renderAlertmanagerConfig } from "../core/render/alertmanagerConfig";
import { renderFlagdFlags } from "../core/render/flagdFlags";
import { renderGrafanaAlerting } from "../core/render/grafanaAlerting";
import { renderRolloutDashboard } from "../core/render/grafanaDashboard";
import { renderGrafanaDashboardProvider } from "../core/render/grafanaDashboardProvider";
import { renderGrafanaDatasource } from "../core/render/grafanaDatasource";
import { renderPrometheusConfig } from "../core/render/prometheusConfig";
import { renderPrometheusRules } from "../core/render/prometheusRules";

const ROOT = path.resolve(__dirname, "..");
const PASSWORD = "grafana-admin-SENTINEL-7f3a";
const ROUTING_KEY = "pagerduty-SENTINEL-91c2";
/** A placeholder digest for a test stack; not a real image. */
const TEST_DIGEST = "f".repeat(64);

const CONTAINER = "docker:index/container:Container";
const VOLUME = "docker:index/volume:Volume";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const NETWORK = "docker:index/network:Network";
const GATE = "pulumi-nodejs:dynamic/gates:RolloutGate";
const VERDICT = "pulumi-nodejs:dynamic/gates:RolloutVerdict";

function stagingCapture(): CaptureConfig {
  return {
    ...stackCaptureConfig("staging", () => "unused"),
    secrets: { grafanaAdminPassword: PASSWORD },
  };
}

/** Production as an operator completes it (see Pulumi.production.yaml's comments). */
function productionCapture(): CaptureConfig {
  const base = stackCaptureConfig("production", () => "unused");
  return {
    ...base,
    values: {
      ...base.values,
      flagdImage: `ghcr.io/open-feature/flagd:v0.11.1@sha256:${TEST_DIGEST}`,
      deploymentLeadEmail: "lead@example.org",
      smtpSmarthost: "smtp.example.org:587",
      smtpFrom: "alerts@example.org",
    },
    secrets: { grafanaAdminPassword: PASSWORD, pagerDutyRoutingKey: ROUTING_KEY },
  };
}

/** The parsed config the program saw, for comparing rendered files. */
function parsed(capture: CaptureConfig): StackConfig {
  const projectYaml = readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
  const raw = readStackFiles(projectYaml, "config: {}", capture.stack);
  const secrets = Object.fromEntries(
    Object.keys(capture.secrets).map((k) => [k, "encrypted" as const]),
  );
  return parseStackConfig({ values: { ...raw.values, ...capture.values }, secrets });
}

function byName(program: CapturedProgram, type: string, name: string): CapturedResource {
  const found = program.resources.filter((r) => r.type === type && r.name === name);
  strictEqual(found.length, 1, `expected one ${type} named ${name}`);
  return found[0];
}

const isInit = (r: CapturedResource) =>
  (r.inputs.labels as { label: string; value: string }[]).some(
    (l) => l.label === "genesis.role" && l.value === "config-init",
  );

const SERVICE_CONTAINERS = {
  staging: [
    "genesis-prometheus",
    "genesis-alertmanager",
    "genesis-grafana",
    "genesis-node-exporter",
    "genesis-flagd",
    "genesis-app",
  ],
  production: [
    "genesis-prometheus",
    "genesis-alertmanager",
    "genesis-grafana",
    "genesis-node-exporter",
    "genesis-flagd",
  ],
};

const PORTS: Record<string, number> = {
  "genesis-prometheus": 9090,
  "genesis-alertmanager": 9093,
  "genesis-grafana": 3000,
  "genesis-node-exporter": 9100,
  "genesis-flagd": 8013,
  "genesis-app": 8080,
};

const HEALTH_URLS: Record<string, string> = {
  "genesis-prometheus": "http://127.0.0.1:9090/-/healthy",
  "genesis-alertmanager": "http://127.0.0.1:9093/-/ready",
  "genesis-grafana": "http://127.0.0.1:3000/api/health",
  "genesis-node-exporter": "http://127.0.0.1:9100/metrics",
};

const USERS: Record<string, string> = {
  "genesis-prometheus": "65534:65534",
  "genesis-alertmanager": "65534:65534",
  "genesis-grafana": "472:0",
  "genesis-node-exporter": "65534:65534",
  "genesis-flagd": "65532:65532",
  "genesis-app": "1000:1000",
};

function expectedResources(withApp: boolean): string[] {
  const monitoring = ["prometheus", "alertmanager", "grafana", "node-exporter"];
  const configured = ["prometheus", "alertmanager", "grafana"];
  return [
    "genesis:docker:MonitoringStack genesis",
    ...monitoring.map((s) => `${IMAGE} genesis-${s}-image`),
    ...configured.flatMap((s) => [`${VOLUME} genesis-${s}-data`, `${VOLUME} genesis-${s}-config`]),
    `${NETWORK} genesis-network`,
    ...configured.map((s) => `${CONTAINER} genesis-${s}-config`),
    ...monitoring.map((s) => `${CONTAINER} genesis-${s}`),
    `${GATE} genesis-rollout`,
    `${VERDICT} genesis-rollout-verdict`,
    "genesis:docker:RolloutDelivery genesis",
    `${IMAGE} genesis-flagd-image`,
    `${IMAGE} genesis-flagd-init-image`,
    ...(withApp ? [`${IMAGE} genesis-app-image`] : []),
    `${VOLUME} genesis-flagd-config`,
    `${CONTAINER} genesis-flagd-config`,
    `${CONTAINER} genesis-flagd`,
    ...(withApp ? [`${CONTAINER} genesis-app`] : []),
  ].sort();
}

for (const stack of ["staging", "production"] as const) {
  describe(`the program under mocks: ${stack}`, () => {
    const capture = stack === "staging" ? stagingCapture : productionCapture;
    let program: CapturedProgram;
    let config: StackConfig;
    before(async () => {
      config = parsed(capture());
      program = await captureProgram(capture());
    });

    const containers = () => program.resources.filter((r) => r.type === CONTAINER);
    const services = () => containers().filter((r) => !isInit(r));

    it("declares exactly the expected resources", () => {
      deepStrictEqual(
        program.resources.map((r) => `${r.type} ${r.name}`).sort(),
        expectedResources(stack === "staging"),
      );
      deepStrictEqual(
        services()
          .map((r) => r.inputs.name)
          .sort(),
        [...SERVICE_CONTAINERS[stack]].sort(),
      );
    });

    it("runs every container on the genesis-monitoring bridge (init containers on no network)", () => {
      const network = byName(program, NETWORK, "genesis-network");
      deepStrictEqual(network.inputs, {
        name: "genesis-monitoring",
        driver: "bridge",
        internal: false,
        attachable: false,
        ipv6: false,
        labels: [{ label: "genesis.stack", value: stack }],
      });
      for (const c of services()) {
        strictEqual(c.inputs.networkMode, "genesis-monitoring", String(c.inputs.name));
        deepStrictEqual(
          (c.inputs.networksAdvanced as { name: string }[])[0].name,
          "genesis-monitoring",
        );
      }
      for (const c of containers().filter(isInit)) strictEqual(c.inputs.networkMode, "none");
      for (const r of program.resources) {
        ok(!JSON.stringify(r.inputs).includes('"host"'), `${r.name} mentions host mode`);
        strictEqual(r.inputs.pidMode, undefined, `${r.name} sets pidMode`);
      }
    });

    it("publishes each service's port on 127.0.0.1 only", () => {
      for (const c of services()) {
        deepStrictEqual(c.inputs.ports, [
          {
            internal: PORTS[c.inputs.name as string],
            external: PORTS[c.inputs.name as string],
            ip: "127.0.0.1",
            protocol: "tcp",
          },
        ]);
      }
      for (const c of containers().filter(isInit)) strictEqual(c.inputs.ports, undefined);
    });

    it("hardens every service container", () => {
      for (const c of services()) {
        const name = c.inputs.name as string;
        strictEqual(c.inputs.user, USERS[name], name);
        strictEqual(c.inputs.readOnly, true, name);
        strictEqual(c.inputs.privileged, false, name);
        deepStrictEqual(c.inputs.capabilities, { drops: ["ALL"] }, name);
        deepStrictEqual(c.inputs.securityOpts, ["no-new-privileges:true"], name);
        strictEqual(c.inputs.ipcMode, "private", name);
        ok((c.inputs.memory as number) > 0, name);
        strictEqual(c.inputs.memorySwap, c.inputs.memory, name);
        strictEqual(c.inputs.restart, "unless-stopped", name);
        strictEqual(c.options.deleteBeforeReplace, true, name);
      }
    });

    it("hardens every init container: non-root, no network, no capabilities, exits", () => {
      const inits = containers().filter(isInit);
      deepStrictEqual(inits.map((c) => c.inputs.name).sort(), [
        "genesis-alertmanager-config",
        "genesis-flagd-config",
        "genesis-grafana-config",
        "genesis-prometheus-config",
      ]);
      for (const c of inits) {
        ok(!["", "0", "root", "0:0"].includes(c.inputs.user as string), String(c.inputs.name));
        strictEqual(c.inputs.privileged, false);
        deepStrictEqual(c.inputs.capabilities, { drops: ["ALL"] });
        deepStrictEqual(c.inputs.securityOpts, ["no-new-privileges:true"]);
        strictEqual(c.inputs.restart, "no");
        strictEqual(c.inputs.mustRun, false);
        strictEqual(c.inputs.memory, 64);
      }
    });

    it("checks each monitoring service's own endpoint; flagd is watched by Prometheus", () => {
      for (const [name, url] of Object.entries(HEALTH_URLS)) {
        const c = byName(program, CONTAINER, name);
        deepStrictEqual(c.inputs.healthcheck, {
          tests: ["CMD", "wget", "-q", "--spider", url],
          interval: "15s",
          timeout: "5s",
          retries: 3,
          startPeriod: "30s",
        });
      }
      const flagd = byName(program, CONTAINER, "genesis-flagd");
      strictEqual(flagd.inputs.healthcheck, undefined);
      ok(
        (flagd.inputs.labels as { label: string; value: string }[]).some(
          (l) =>
            l.label === "genesis.health-watched-by" && l.value.startsWith("Prometheus job flagd"),
        ),
      );
      const prometheusYml = renderPrometheusConfig(config);
      ok(prometheusYml.includes("job_name: flagd"), "Prometheus scrapes flagd");
    });

    it("mounts the host's /proc, /sys and / read-only into Node Exporter, nothing writable", () => {
      const c = byName(program, CONTAINER, "genesis-node-exporter");
      deepStrictEqual(
        c.inputs.mounts,
        [
          ["/proc", "/host/proc"],
          ["/sys", "/host/sys"],
          ["/", "/host/root"],
        ].map(([source, target]) => ({
          type: "bind",
          source,
          target,
          readOnly: true,
          bindOptions: { propagation: "rslave" },
        })),
      );
      for (const other of containers().filter((r) => r !== c)) {
        for (const m of (other.inputs.mounts ?? []) as { type: string }[]) {
          strictEqual(m.type, "volume", `${String(other.inputs.name)} binds a host path`);
        }
      }
    });

    it(`keeps data on named volumes${stack === "production" ? ", protected from deletion" : ""}`, () => {
      const data: Record<string, string> = {
        "genesis-prometheus": "/prometheus",
        "genesis-alertmanager": "/alertmanager",
        "genesis-grafana": "/var/lib/grafana",
      };
      for (const [name, target] of Object.entries(data)) {
        const volume = byName(program, VOLUME, `${name}-data`);
        strictEqual(volume.inputs.name, `${name}-data`);
        strictEqual(volume.options.protect, stack === "production");
        strictEqual(volume.options.retainOnDelete, stack === "production");
        const mounts = byName(program, CONTAINER, name).inputs.mounts as object[];
        deepStrictEqual(mounts[0], { type: "volume", source: `${name}-data`, target });
        deepStrictEqual(mounts[1], {
          type: "volume",
          source: `${name}-config`,
          target:
            { "genesis-grafana": "/etc/grafana/provisioning" }[name] ?? `/etc/${name.slice(8)}`,
          readOnly: true,
        });
      }
      for (const v of program.resources.filter(
        (r) => r.type === VOLUME && r.name.endsWith("-config"),
      )) {
        strictEqual(v.options.protect, false, `${v.name} holds only rendered files`);
      }
    });

    it("uploads exactly the files core/ rendered", () => {
      const uploads = (name: string) =>
        byName(program, CONTAINER, `${name}-config`).maskedInputs.uploads;
      deepStrictEqual(uploads("genesis-prometheus"), [
        { file: "/tmp/genesis-config/prometheus.yml", content: renderPrometheusConfig(config) },
        ...renderPrometheusRules(config).map((f) => ({
          file: `/tmp/genesis-config/rules/${f.fileName}`,
          content: f.content,
        })),
      ]);
      deepStrictEqual(uploads("genesis-alertmanager"), [
        { file: "/tmp/genesis-config/alertmanager.yml", content: renderAlertmanagerConfig(config) },
        ...(stack === "production"
          ? [{ file: "/tmp/genesis-config/secrets/pagerduty-routing-key", content: "[secret]" }]
          : []),
      ]);
      deepStrictEqual(uploads("genesis-grafana"), [
        {
          file: "/tmp/genesis-config/provisioning/datasources/prometheus.yml",
          content: renderGrafanaDatasource(),
        },
        {
          file: "/tmp/genesis-config/provisioning/dashboards/genesis.yml",
          content: renderGrafanaDashboardProvider("/etc/grafana/provisioning/dashboards"),
        },
        {
          file: "/tmp/genesis-config/provisioning/alerting/genesis.yml",
          content: renderGrafanaAlerting(config),
        },
        {
          file: "/tmp/genesis-config/dashboards/genesis-rollout.json",
          content: renderRolloutDashboard(config),
        },
        { file: "/tmp/genesis-config/secrets/admin-password", content: "[secret]" },
      ]);
      deepStrictEqual(uploads("genesis-flagd"), [
        {
          file: "/tmp/genesis-live/flags.json",
          content: renderFlagdFlags(config.rollout.percentage),
        },
      ]);
    });

    it("keeps the secrets out of every input and output in plain text", () => {
      for (const r of program.resources) {
        const wire = JSON.stringify(r.maskedInputs);
        ok(!wire.includes(PASSWORD), `${r.type} ${r.name} carries the password in plain text`);
        ok(
          !wire.includes(ROUTING_KEY),
          `${r.type} ${r.name} carries the routing key in plain text`,
        );
      }
      ok(!JSON.stringify(program.outputs).includes(PASSWORD));
      const init = byName(program, CONTAINER, "genesis-grafana-config");
      deepStrictEqual(init.options.additionalSecretOutputs, ["uploads"]);
      const revealed = init.inputs.uploads as { file: string; content: string }[];
      strictEqual(
        revealed.find((u) => u.file.endsWith("/secrets/admin-password"))?.content,
        PASSWORD,
        "the provider receives the password to place",
      );
      const grafana = byName(program, CONTAINER, "genesis-grafana");
      deepStrictEqual(grafana.inputs.envs, [
        "GF_SECURITY_ADMIN_USER=admin",
        "GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana/provisioning/secrets/admin-password",
        "GF_SECURITY_DISABLE_GRAVATAR=true",
        "GF_USERS_ALLOW_SIGN_UP=false",
        "GF_AUTH_ANONYMOUS_ENABLED=false",
        "GF_ANALYTICS_REPORTING_ENABLED=false",
        "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
        "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES=false",
        "GF_PATHS_PROVISIONING=/etc/grafana/provisioning/provisioning",
        ...(stack === "production"
          ? [
              "GF_SMTP_ENABLED=true",
              "GF_SMTP_HOST=smtp.example.org:587",
              "GF_SMTP_FROM_ADDRESS=alerts@example.org",
              "GF_SMTP_FROM_NAME=Genesis rollout",
              "GF_SMTP_STARTTLS_POLICY=MandatoryStartTLS",
            ]
          : ["GF_SMTP_ENABLED=false"]),
      ]);
    });

    it("gates the flag: the gate waits for the stack, flagd's files wait for the gate", () => {
      const gate = byName(program, GATE, "genesis-rollout");
      strictEqual(gate.inputs.targetPercentage, config.rollout.percentage);
      deepStrictEqual(
        gate.inputs.settings,
        JSON.parse(JSON.stringify(gateSettingsFromConfig(config))),
      );
      ok(typeof gate.inputs.__provider === "string" && gate.inputs.__provider.length > 0);
      const monitoring = program.resources.find(
        (r) => r.type === "genesis:docker:MonitoringStack",
      )!;
      // dependsOn on a component waits for each of its resources.
      const stackChildren = program.resources.filter((r) => r.parent === monitoring.urn);
      strictEqual(stackChildren.length, 18);
      deepStrictEqual([...gate.options.dependsOn].sort(), stackChildren.map((r) => r.urn).sort());
      const init = byName(program, CONTAINER, "genesis-flagd-config");
      ok(init.options.dependsOn.includes(gate.urn), "flagd's flag file depends on the gate");
    });

    it("judges the gate's decision after it: the verdict takes the target and the gate's outputs", () => {
      const gate = byName(program, GATE, "genesis-rollout");
      const verdict = byName(program, VERDICT, "genesis-rollout-verdict");
      deepStrictEqual(verdict.options.dependsOn, [gate.urn]);
      const { __provider, ...inputs } = verdict.inputs;
      // The mock engine's Create of the gate gives its initial decision; the verdict reads it.
      const p = config.rollout.percentage;
      deepStrictEqual(inputs, {
        targetPercentage: p,
        lastDecision: {
          time: "1970-01-01T00:00:00.000Z",
          from: p,
          to: p,
          decision: "initial",
          reason: `gate created at ${p}%; there is no earlier stage to judge`,
          checks: [],
        },
      });
      ok(typeof __provider === "string" && !__provider.includes("axios"), "no network I/O");
    });

    it("exports the environment, percentages, network and service URLs", () => {
      const values = Object.fromEntries(
        Object.entries(program.outputs).map(([k, v]) => [k, v.value]),
      );
      const { liveSince, gateRecords, ...rest } = values;
      strictEqual(liveSince, undefined, "known only after the gate's Create");
      strictEqual(gateRecords, undefined, "known only after the gate's Create");
      deepStrictEqual(rest, {
        environment: stack,
        rolloutPercentage: config.rollout.percentage,
        livePercentage: config.rollout.percentage,
        networkName: "genesis-monitoring",
        prometheusUrl: "http://127.0.0.1:9090",
        grafanaUrl: "http://127.0.0.1:3000",
        alertmanagerUrl: "http://127.0.0.1:9093",
        nodeExporterUrl: "http://127.0.0.1:9100",
        flagdUrl: "http://127.0.0.1:8013",
        appUrl: stack === "staging" ? "http://127.0.0.1:8080" : undefined,
      });
      ok(Object.values(program.outputs).every((o) => !o.secret));
    });

    it("exports the gate's state under the names the CLI reads it by (GATE_OUTPUTS)", () => {
      for (const name of Object.values(GATE_OUTPUTS)) {
        ok(name in program.outputs, `index.ts exports no ${name}`);
      }
    });
  });
}

describe("the program under mocks: refusals", () => {
  it("refuses a secret set in plain text, naming the key and the fix", async () => {
    const base = stagingCapture();
    await rejects(
      captureProgram({
        ...base,
        secrets: {},
        plaintextSecrets: { grafanaAdminPassword: PASSWORD },
      }),
      (e: Error) => {
        ok(e.message.includes("genesis:grafanaAdminPassword"), e.message);
        ok(e.message.includes("--secret"), e.message);
        ok(!e.message.includes(PASSWORD), "the error repeats the secret");
        return true;
      },
    );
  });

  it("refuses production without a digest on an image", async () => {
    const base = productionCapture();
    await rejects(
      captureProgram({
        ...base,
        values: { ...base.values, flagdImage: "ghcr.io/open-feature/flagd:v0.11.1" },
      }),
      /genesis:flagdImage must be pinned by digest in production/,
    );
  });
});
