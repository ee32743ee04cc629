/**
 * The Docker monitoring stack under Pulumi mocks: it places exactly the files the container
 * specs list (the rendered rules, routing and Grafana provisioning; secrets from their
 * Pulumi secrets, only when set), and configures Grafana's provisioning path and SMTP without
 * any secret in its environment.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { dockerMonitoringView } from "../../../core/config/componentViews";
import { monitoringContainerSpecs } from "../../../core/monitoring/containerSpecs";
import { completedStack, StackName } from "../../support/stacks";

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** The key Pulumi marks a secret value with on the wire. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const SECRET_VALUES = {
  grafanaAdminPassword: "admin-secret-value",
  pagerDutyRoutingKey: "routing-secret-value",
  smtpPassword: "smtp-secret-value",
};

/** Declares the stack for `stack` under mocks; resolves to every registered resource. */
async function declare(stack: StackName): Promise<Registered[]> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, name: args.inputs.name ?? args.name },
        };
      },
      call(args) {
        return args.inputs;
      },
    },
    "genesis",
    stack,
    false,
  );
  const { DockerMonitoringStack } = await import("../../../components/docker/monitoringStack");
  const config = completedStack(stack);
  const monitoring = new DockerMonitoringStack("genesis", {
    view: dockerMonitoringView(config),
    secrets: {
      grafanaAdminPassword: pulumi.secret(SECRET_VALUES.grafanaAdminPassword),
      ...(config.secrets.pagerDutyRoutingKey
        ? { pagerDutyRoutingKey: pulumi.secret(SECRET_VALUES.pagerDutyRoutingKey) }
        : {}),
      ...(config.secrets.smtpPassword
        ? { smtpPassword: pulumi.secret(SECRET_VALUES.smtpPassword) }
        : {}),
    },
  });
  await Promise.all(
    Object.values(monitoring.containers).map(
      (c) => new Promise<void>((resolve) => c.urn.apply(() => resolve())),
    ),
  );
  // Each service container depends on its config-init container, so that one registered first.
  return registered;
}

for (const stack of ["staging", "production"] as const) {
  describe(`DockerMonitoringStack under mocks, ${stack} stack`, () => {
    let resources: Registered[];
    before(async () => {
      resources = await declare(stack);
    });
    const container = (name: string) => {
      const r = resources.find(
        (x) => x.type === "docker:index/container:Container" && x.name === name,
      );
      if (r === undefined) throw new Error(`no container ${name}`);
      return r.inputs;
    };

    it("uploads exactly the files of each spec into its config-init container", () => {
      for (const spec of monitoringContainerSpecs(completedStack(stack))) {
        if (spec.config === undefined) continue;
        const raw = container(`genesis-${spec.service.host}-config`).uploads;
        // With a secret among them, the engine receives the uploads as one secret value.
        const hasSecret = spec.config.files.some((f) => "secret" in f);
        const wrapped = raw !== null && typeof raw === "object" && SECRET_SIG in raw;
        deepStrictEqual(wrapped, hasSecret, `${spec.service.host}: uploads marked secret`);
        const uploads = (wrapped ? (raw as unknown as { value: unknown }).value : raw) as {
          file: string;
          content: string;
        }[];
        deepStrictEqual(
          uploads.map((u) => u.file),
          spec.config.files.map((f) => `/tmp/genesis-config/${f.path}`),
        );
        for (const [i, f] of spec.config.files.entries()) {
          const expected =
            "secret" in f ? SECRET_VALUES[f.secret] : "content" in f ? f.content : undefined;
          deepStrictEqual(uploads[i].content, expected, f.path);
        }
      }
    });

    it("points Grafana at its provisioning directory and keeps secrets out of every environment", () => {
      const envs = container("genesis-grafana").envs as string[];
      ok(
        envs.includes("GF_PATHS_PROVISIONING=/etc/grafana/provisioning/provisioning"),
        envs.join("\n"),
      );
      ok(
        envs.includes(
          "GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana/provisioning/secrets/admin-password",
        ),
      );
      if (stack === "production") {
        ok(envs.includes("GF_SMTP_ENABLED=true"));
        ok(envs.includes("GF_SMTP_PASSWORD__FILE=/etc/grafana/provisioning/secrets/smtp-password"));
      } else {
        ok(envs.includes("GF_SMTP_ENABLED=false"));
      }
      const everyEnv = JSON.stringify(
        resources
          .filter((r) => r.type === "docker:index/container:Container")
          .map((r) => r.inputs.envs),
      );
      for (const v of Object.values(SECRET_VALUES)) ok(!everyEnv.includes(v), v);
    });
  });
}
