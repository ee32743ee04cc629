import { deepStrictEqual, strictEqual, throws, ok } from "node:assert/strict";
import {
  ConfigError,
  parseStackConfig,
  RawStackConfig,
  SecretPresence,
} from "../../../core/config/stackConfig";

const DIGEST = "a".repeat(64);
const pinned = (image: string) => `${image}@sha256:${DIGEST}`;

const staging = (
  values: Record<string, unknown> = {},
  secrets: Record<string, SecretPresence> = {},
): RawStackConfig => ({
  values: { environment: "staging", ...values },
  secrets: { grafanaAdminPassword: "encrypted", ...secrets },
});

const productionValues = {
  environment: "production",
  grafanaImage: pinned("grafana/grafana:11.3.0"),
  alertmanagerImage: pinned("prom/alertmanager:v0.27.0"),
  nodeExporterImage: pinned("prom/node-exporter:v1.8.2"),
  flagdImage: pinned("ghcr.io/open-feature/flagd:v0.11.1"),
  deploymentLeadEmail: "lead@example.org",
  smtpSmarthost: "smtp.example.org:587",
  smtpFrom: "alerts@example.org",
};

function problemsOf(raw: RawStackConfig): readonly string[] {
  try {
    parseStackConfig(raw);
  } catch (e) {
    ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
  throw new Error("expected the configuration to be refused");
}

describe("parseStackConfig", () => {
  it("applies every default to a minimal staging stack", () => {
    const cfg = parseStackConfig(staging());
    deepStrictEqual(cfg.rollout, {
      percentage: 0,
      steps: [0, 5, 10, 25, 50, 75, 100],
      allowStepSkip: false,
      autoRollback: false,
      cooldownSeconds: 300,
      overrideReason: "",
    });
    deepStrictEqual(cfg.slo, {
      errorRateThresholdPercent: 1,
      latencyP95ThresholdMs: 500,
      errorRateObjectivePercent: 0.1,
      latencyP95ObjectiveMs: 200,
      validationWindowSeconds: 300,
      minRequestCount: 100,
      canaryErrorMarginPercent: 0.5,
    });
    deepStrictEqual(cfg.health, {
      failureLimit: 5,
      appHealthUrl: "http://127.0.0.1:8080/health",
      prometheusUrl: "http://127.0.0.1:9090",
      grafanaUrl: "http://127.0.0.1:3000",
      alertmanagerUrl: "http://127.0.0.1:9093",
      nodeExporterUrl: "http://127.0.0.1:9100",
    });
    strictEqual(cfg.platform, "docker");
    strictEqual(cfg.monitoring.scrapeIntervalSeconds, 15);
    deepStrictEqual(cfg.secrets, {
      grafanaAdminPassword: true,
      pagerDutyRoutingKey: false,
      smtpPassword: false,
    });
  });

  it("reads Pulumi's string values as the types they declare", () => {
    const cfg = parseStackConfig(
      staging({
        rolloutPercentage: "25",
        rolloutSteps: "[0,25,100]",
        errorRateThresholdPercent: "1.0",
        allowStepSkip: "true",
        validationWindowSeconds: "60",
        cooldownSeconds: "120",
      }),
    );
    strictEqual(cfg.rollout.percentage, 25);
    deepStrictEqual(cfg.rollout.steps, [0, 25, 100]);
    strictEqual(cfg.slo.errorRateThresholdPercent, 1);
    strictEqual(cfg.rollout.allowStepSkip, true);
    strictEqual(cfg.rollout.cooldownSeconds, 120);
  });

  it("returns a deeply frozen object", () => {
    const cfg = parseStackConfig(staging());
    ok(Object.isFrozen(cfg));
    ok(Object.isFrozen(cfg.rollout.steps));
    ok(Object.isFrozen(cfg.monitoring.images));
  });

  it("accepts a production stack with every image pinned and every required value", () => {
    const cfg = parseStackConfig({
      values: productionValues,
      secrets: { grafanaAdminPassword: "encrypted", pagerDutyRoutingKey: "encrypted" },
    });
    strictEqual(cfg.environment, "production");
    strictEqual(cfg.monitoring.images.grafana, pinned("grafana/grafana:11.3.0"));
  });

  it("reads the roles and the sign-off requirements, 48 hours and no approvals by default", () => {
    const defaults = parseStackConfig(staging());
    deepStrictEqual(defaults.roles, { deploymentLead: "", onCall: "", securityLead: "" });
    deepStrictEqual(defaults.signoff, {
      requiredHours: 48,
      approvals: [],
      regressionTolerancePercent: 10,
    });
    const cfg = parseStackConfig(
      staging({
        deploymentLeadEmail: "lead@example.org",
        onCallEmail: "oncall@example.org",
        securityLeadEmail: "security@example.org",
        signoffHours: "24",
        signoffApprovals: '["on-call","deployment-lead","on-call"]',
        signoffRegressionTolerancePercent: "5",
      }),
    );
    deepStrictEqual(cfg.roles, {
      deploymentLead: "lead@example.org",
      onCall: "oncall@example.org",
      securityLead: "security@example.org",
    });
    deepStrictEqual(cfg.signoff, {
      requiredHours: 24,
      approvals: ["on-call", "deployment-lead"],
      regressionTolerancePercent: 5,
    });
  });

  const cases: { name: string; raw: RawStackConfig; problems: string[] }[] = [
    {
      name: "an unknown sign-off approval, a bad on-call address and zero sign-off hours",
      raw: staging({
        signoffApprovals: ["on-call", "cto"],
        onCallEmail: "nobody",
        signoffHours: 0,
      }),
      problems: [
        'genesis:onCallEmail must be an e-mail address; got "nobody"',
        "genesis:signoffHours must be a whole number of hours from 1 to 8760; got 0",
        'genesis:signoffApprovals must be a list of deployment-lead, on-call, security-lead; got ["on-call","cto"]',
      ],
    },
    {
      name: "a percentage above 100",
      raw: staging({ rolloutPercentage: 150 }),
      problems: ["genesis:rolloutPercentage must be a whole number from 0 to 100; got 150"],
    },
    {
      name: "a negative percentage",
      raw: staging({ rolloutPercentage: "-5" }),
      problems: ['genesis:rolloutPercentage must be a whole number from 0 to 100; got "-5"'],
    },
    {
      name: "a fractional percentage",
      raw: staging({ rolloutPercentage: "7.5" }),
      problems: ['genesis:rolloutPercentage must be a whole number from 0 to 100; got "7.5"'],
    },
    {
      name: "a percentage that is not a step",
      raw: staging({ rolloutPercentage: 30 }),
      problems: ["genesis:rolloutPercentage must be one of 0,5,10,25,50,75,100; got 30"],
    },
    {
      name: "steps out of order",
      raw: staging({ rolloutSteps: [0, 10, 5, 100] }),
      problems: [
        "genesis:rolloutSteps must be strictly ascending whole numbers starting at 0 and ending at 100; got [0,10,5,100]",
      ],
    },
    {
      name: "steps that do not start at 0",
      raw: staging({ rolloutSteps: "[5,50,100]", rolloutPercentage: 5 }),
      problems: [
        "genesis:rolloutSteps must be strictly ascending whole numbers starting at 0 and ending at 100; got [5,50,100]",
      ],
    },
    {
      name: "steps that do not end at 100",
      raw: staging({ rolloutSteps: [0, 50, 90] }),
      problems: [
        "genesis:rolloutSteps must be strictly ascending whole numbers starting at 0 and ending at 100; got [0,50,90]",
      ],
    },
    {
      name: "a repeated step",
      raw: staging({ rolloutSteps: [0, 50, 50, 100] }),
      problems: [
        "genesis:rolloutSteps must be strictly ascending whole numbers starting at 0 and ending at 100; got [0,50,50,100]",
      ],
    },
    {
      name: "steps that are not numbers",
      raw: staging({ rolloutSteps: "0,5,100" }),
      problems: [
        'genesis:rolloutSteps must be a list of whole numbers such as [0,5,10,25,50,75,100]; got "0,5,100"',
      ],
    },
    {
      name: "a zero threshold",
      raw: staging({ errorRateThresholdPercent: "0" }),
      problems: [
        'genesis:errorRateThresholdPercent must be a positive number of percent, at most 100 (for example 1.0); got "0"',
      ],
    },
    {
      name: "a negative threshold",
      raw: staging({ errorRateThresholdPercent: -1 }),
      problems: [
        "genesis:errorRateThresholdPercent must be a positive number of percent, at most 100 (for example 1.0); got -1",
      ],
    },
    {
      name: "a threshold that is not a number",
      raw: staging({ errorRateThresholdPercent: "one" }),
      problems: [
        'genesis:errorRateThresholdPercent must be a positive number of percent, at most 100 (for example 1.0); got "one"',
      ],
    },
    {
      name: "a zero latency threshold",
      raw: staging({ latencyP95ThresholdMs: 0 }),
      problems: [
        "genesis:latencyP95ThresholdMs must be a positive whole number of milliseconds; got 0",
      ],
    },
    {
      name: "an error rate objective equal to its trigger",
      raw: staging({ errorRateObjectivePercent: "1.0" }),
      problems: [
        "genesis:errorRateObjectivePercent must be below genesis:errorRateThresholdPercent (1%): an objective is stricter than its rollback trigger; got 1%",
      ],
    },
    {
      name: "objectives above their triggers (both reported at once)",
      raw: staging({
        errorRateThresholdPercent: "0.5",
        errorRateObjectivePercent: "0.75",
        latencyP95ThresholdMs: 300,
        latencyP95ObjectiveMs: 400,
      }),
      problems: [
        "genesis:errorRateObjectivePercent must be below genesis:errorRateThresholdPercent (0.5%): an objective is stricter than its rollback trigger; got 0.75%",
        "genesis:latencyP95ObjectiveMs must be below genesis:latencyP95ThresholdMs (300 ms): an objective is stricter than its rollback trigger; got 400 ms",
      ],
    },
    {
      name: "a default objective above a lowered trigger",
      raw: staging({ latencyP95ThresholdMs: 150 }),
      problems: [
        "genesis:latencyP95ObjectiveMs must be below genesis:latencyP95ThresholdMs (150 ms): an objective is stricter than its rollback trigger; got 200 ms",
      ],
    },
    {
      name: "an objective that is not a number",
      raw: staging({ errorRateObjectivePercent: "low" }),
      problems: [
        'genesis:errorRateObjectivePercent must be a positive number of percent, at most 100 (for example 0.1); got "low"',
      ],
    },
    {
      name: "a negative regression tolerance",
      raw: staging({ signoffRegressionTolerancePercent: -5 }),
      problems: [
        "genesis:signoffRegressionTolerancePercent must be a whole number of percent from 0 to 1000; got -5",
      ],
    },
    {
      name: "a window shorter than 4 scrapes",
      raw: staging({ validationWindowSeconds: 30, scrapeIntervalSeconds: 15 }),
      problems: [
        "genesis:validationWindowSeconds must be at least 4 scrape intervals (4 x genesis:scrapeIntervalSeconds 15 = 60); got 30",
      ],
    },
    {
      name: "an unknown environment",
      raw: staging({ environment: "qa" }),
      problems: ['genesis:environment must be one of staging, production; got "qa"'],
    },
    {
      name: "an unknown platform",
      raw: staging({ platform: "nomad" }),
      problems: ['genesis:platform must be one of docker, kubernetes; got "nomad"'],
    },
    {
      name: "a missing environment",
      raw: { values: {}, secrets: { grafanaAdminPassword: "encrypted" } },
      problems: ["genesis:environment is required: one of staging, production; got nothing"],
    },
    {
      name: "a mistyped key, suggesting the nearest known key",
      raw: staging({ rolloutPercentag: 5 }),
      problems: [
        "genesis:rolloutPercentag is not a known key; got 5; did you mean genesis:rolloutPercentage?",
      ],
    },
    {
      name: "an unknown key near no known key",
      raw: staging({ colour: "blue" }),
      problems: [
        'genesis:colour is not a known key; got "blue"; known keys are listed in Pulumi.yaml',
      ],
    },
    {
      name: "an unknown encrypted key, without its ciphertext",
      raw: staging({ grafanaAdminPasword: { secure: "v1:AAAA" } }),
      problems: [
        "genesis:grafanaAdminPasword is not a known key; got an encrypted value; did you mean genesis:grafanaAdminPassword?",
      ],
    },
    {
      name: "a mistyped namespace",
      raw: { ...staging(), otherKeys: { "gensis:rolloutPercentage": 5 } },
      problems: [
        "gensis:rolloutPercentage is not a key this program reads: its namespace gensis is none of genesis, pulumi, docker, kubernetes, command; got 5; did you mean genesis:rolloutPercentage?",
      ],
    },
    {
      name: "a key without a namespace",
      raw: { ...staging(), otherKeys: { rolloutPercentage: 5 } },
      problems: [
        "rolloutPercentage has no namespace (a stack file key is <namespace>:<name>); got 5; did you mean genesis:rolloutPercentage?",
      ],
    },
    {
      name: "a mistyped provider namespace, and a namespace this program does not use",
      raw: {
        ...staging(),
        otherKeys: {
          "dokcer:host": "unix:///var/run/docker.sock",
          "aws:region": "eu-west-1",
          "docker:host": "unix:///run/docker.sock",
          "kubernetes:context": "kind",
          "pulumi:disable-default-providers": ["*"],
          "command:x": "y",
        },
      },
      problems: [
        'aws:region is not a key this program reads: its namespace aws is none of genesis, pulumi, docker, kubernetes, command; got "eu-west-1"',
        'dokcer:host is not a key this program reads: its namespace dokcer is none of genesis, pulumi, docker, kubernetes, command; got "unix:///var/run/docker.sock"; did you mean docker:host?',
      ],
    },
    {
      name: "a production stack file without genesis:rolloutPercentage (never a default of 0)",
      raw: {
        values: productionValues,
        secrets: { grafanaAdminPassword: "encrypted", pagerDutyRoutingKey: "encrypted" },
        stackKeys: ["environment", "platform"],
      },
      problems: [
        "genesis:rolloutPercentage is required in production: set the live stage explicitly (one of 0,5,10,25,50,75,100) with pulumi config set genesis:rolloutPercentage <percent>; got nothing",
      ],
    },
    {
      name: "a secret in plain text",
      raw: staging({}, { grafanaAdminPassword: "plaintext" }),
      problems: [
        "genesis:grafanaAdminPassword is a secret and must be set with pulumi config set --secret genesis:grafanaAdminPassword <value>; got a plain-text value",
      ],
    },
    {
      name: "a missing Grafana password",
      raw: { values: { environment: "staging" }, secrets: {} },
      problems: [
        "genesis:grafanaAdminPassword is required: set it with pulumi config set --secret genesis:grafanaAdminPassword <password>; got nothing",
      ],
    },
    {
      name: "a bad metrics target and health URL",
      raw: staging({ appMetricsTarget: "genesis-app", appHealthUrl: "ftp://x/health" }),
      problems: [
        'genesis:appMetricsTarget must be host:port; got "genesis-app"',
        'genesis:appHealthUrl must be an http(s) URL; got "ftp://x/health"',
      ],
    },
    {
      name: "an unpinned image in production",
      raw: {
        values: { ...productionValues, grafanaImage: "grafana/grafana:11.3.0" },
        secrets: { grafanaAdminPassword: "encrypted", pagerDutyRoutingKey: "encrypted" },
      },
      problems: [
        'genesis:grafanaImage must be pinned by digest in production (repository:tag@sha256:<64 hex>); got "grafana/grafana:11.3.0"; look the digest up with: docker buildx imagetools inspect grafana/grafana:11.3.0',
      ],
    },
    {
      name: "missing production secrets and addresses",
      raw: {
        values: { ...productionValues, deploymentLeadEmail: "", smtpUsername: "alerts" },
        secrets: { grafanaAdminPassword: "encrypted" },
      },
      problems: [
        "genesis:deploymentLeadEmail is required in production: an e-mail address; got nothing",
        "genesis:pagerDutyRoutingKey is required in production: set it with pulumi config set --secret genesis:pagerDutyRoutingKey <routing key>; got nothing",
        "genesis:smtpPassword is required in production when genesis:smtpUsername is set: set it with pulumi config set --secret genesis:smtpPassword <password>; got nothing",
      ],
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}, naming the key, the value and what is allowed`, () => {
      deepStrictEqual(problemsOf(c.raw), c.problems);
    });
  }

  it("accepts a production stack file that sets genesis:rolloutPercentage, and staging without it", () => {
    const secrets = {
      grafanaAdminPassword: "encrypted",
      pagerDutyRoutingKey: "encrypted",
    } as const;
    strictEqual(
      parseStackConfig({ values: productionValues, secrets, stackKeys: ["rolloutPercentage"] })
        .rollout.percentage,
      0,
    );
    strictEqual(parseStackConfig({ ...staging(), stackKeys: [] }).rollout.percentage, 0);
  });

  it("reports a typo and a missing production stage together with the other problems", () => {
    deepStrictEqual(
      problemsOf({
        values: { ...productionValues, deploymentLeadEmail: "", rolloutPercentag: 5 },
        secrets: { grafanaAdminPassword: "encrypted", pagerDutyRoutingKey: "encrypted" },
        otherKeys: { "gensis:autoRollback": true },
        stackKeys: ["environment", "rolloutPercentag"],
      }),
      [
        "genesis:rolloutPercentag is not a known key; got 5; did you mean genesis:rolloutPercentage?",
        "gensis:autoRollback is not a key this program reads: its namespace gensis is none of genesis, pulumi, docker, kubernetes, command; got true; did you mean genesis:autoRollback?",
        "genesis:deploymentLeadEmail is required in production: an e-mail address; got nothing",
        "genesis:rolloutPercentage is required in production: set the live stage explicitly (one of 0,5,10,25,50,75,100) with pulumi config set genesis:rolloutPercentage <percent>; got nothing",
      ],
    );
  });

  it("reports every problem of one input at once", () => {
    deepStrictEqual(
      problemsOf(
        staging({
          environment: "qa",
          rolloutPercentage: 150,
          errorRateThresholdPercent: "-1",
          validationWindowSeconds: 10,
        }),
      ),
      [
        'genesis:environment must be one of staging, production; got "qa"',
        "genesis:rolloutPercentage must be a whole number from 0 to 100; got 150",
        'genesis:errorRateThresholdPercent must be a positive number of percent, at most 100 (for example 1.0); got "-1"',
        "genesis:validationWindowSeconds must be at least 4 scrape intervals (4 x genesis:scrapeIntervalSeconds 15 = 60); got 10",
      ],
    );
  });

  it("puts every problem into the error message, one per line", () => {
    throws(() => parseStackConfig(staging({ rolloutPercentage: 150, platform: "nomad" })), {
      name: "ConfigError",
      message:
        'invalid stack configuration:\n- genesis:platform must be one of docker, kubernetes; got "nomad"\n- genesis:rolloutPercentage must be a whole number from 0 to 100; got 150',
    });
  });
});
