// scripts/deployLocal.sh (the README's main command), run by bash with recording stand-ins
// for the `pulumi` and `docker` executables on PATH: neither exists on this machine, so
// these tests prove the script's own logic (order of steps, refusals, where the secret
// goes), not Pulumi's or Docker's behaviour. The script is also checked by shellcheck.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts/deployLocal.sh");

const PULUMI = `#!/usr/bin/env bash
echo "pulumi $*" >> "$CALL_LOG"
case "$1 $2" in
  "config get")
    case "$3" in
      genesis:grafanaAdminPassword) [ -n "\${FAKE_PASSWORD_SET:-}" ] && echo set && exit 0; exit 1 ;;
      genesis:appEnabled) echo "\${FAKE_APP_ENABLED:-true}" ;;
      genesis:appImage) echo genesis-app:local ;;
    esac ;;
  "config set")
    value="$(cat)"
    echo "stdin length \${#value}" >> "$CALL_LOG"
    printf '%s' "$value" > "$CALL_LOG.secret" ;;
esac
exit 0
`;

const DOCKER = `#!/usr/bin/env bash
echo "docker $*" >> "$CALL_LOG"
case "$1" in
  info) [ -n "\${FAKE_DOCKER_DOWN:-}" ] && exit 1; exit 0 ;;
  image) exit 1 ;;
esac
exit 0
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
  secret: string;
  backend: string;
}

function run(args: string[], env: Record<string, string> = {}, withPulumi = true): Run {
  const dir = mkdtempSync(path.join(tmpdir(), "genesis-deploy-"));
  try {
    const bin = path.join(dir, "bin");
    spawnSync("mkdir", ["-p", bin]);
    if (withPulumi) writeFileSync(path.join(bin, "pulumi"), PULUMI);
    writeFileSync(path.join(bin, "docker"), DOCKER);
    for (const f of ["pulumi", "docker"]) {
      if (existsSync(path.join(bin, f))) chmodSync(path.join(bin, f), 0o755);
    }
    const log = path.join(dir, "calls.log");
    writeFileSync(log, "");
    const r = spawnSync("bash", [SCRIPT, ...args], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        HOME: dir,
        CALL_LOG: log,
        ...env,
      },
    });
    const secretFile = `${log}.secret`;
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      calls: readFileSync(log, "utf8").split("\n").filter(Boolean),
      secret: existsSync(secretFile) ? readFileSync(secretFile, "utf8") : "",
      backend: `file://${path.join(dir, ".genesis/pulumi-state")}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("scripts/deployLocal.sh, with recording stand-ins for pulumi and docker", () => {
  it("selects the stack on a local file backend, sets a generated password, builds the app, runs up", () => {
    const r = run([], { PULUMI_CONFIG_PASSPHRASE: "test-passphrase" });
    strictEqual(r.status, 0, r.stderr);
    deepStrictEqual(r.calls, [
      "docker info",
      "pulumi stack select --create staging --non-interactive",
      "pulumi config get genesis:grafanaAdminPassword --stack staging",
      "pulumi config set --secret genesis:grafanaAdminPassword --stack staging",
      `stdin length ${r.secret.length}`,
      "pulumi config get genesis:appEnabled --stack staging",
      "pulumi config get genesis:appImage --stack staging",
      "docker image inspect genesis-app:local",
      "docker build -f app/Dockerfile -t genesis-app:local .",
      "pulumi up --stack staging",
    ]);
    ok(r.secret.length >= 24, "the generated password is at least 24 characters");
    ok(!r.calls.some((c) => c.includes(r.secret)), "the password never appears on a command line");
    ok(!r.stdout.includes(r.secret), "the password is never printed");
    ok(r.stdout.includes(`state in ${r.backend}`), r.stdout);
  });

  it("keeps an existing password and passes extra arguments to pulumi up", () => {
    const r = run(["production", "--yes"], {
      PULUMI_CONFIG_PASSPHRASE: "p",
      FAKE_PASSWORD_SET: "1",
      FAKE_APP_ENABLED: "false",
    });
    strictEqual(r.status, 0, r.stderr);
    ok(!r.calls.some((c) => c.startsWith("pulumi config set")));
    ok(!r.calls.some((c) => c.startsWith("docker build")));
    strictEqual(r.calls[r.calls.length - 1], "pulumi up --stack production --yes");
  });

  const refusals: {
    name: string;
    args: string[];
    env: Record<string, string>;
    pulumi?: boolean;
    message: string;
  }[] = [
    {
      name: "no passphrase for the local backend's secrets",
      args: [],
      env: {},
      message:
        "deploy:local: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE: the local backend encrypts this stack's secrets with it\n",
    },
    {
      name: "the Docker engine down",
      args: [],
      env: { PULUMI_CONFIG_PASSPHRASE: "p", FAKE_DOCKER_DOWN: "1" },
      message:
        "deploy:local: the Docker engine is not reachable ('docker info' failed); start it or set DOCKER_HOST\n",
    },
    {
      name: "a stack without a stack file",
      args: ["qa"],
      env: { PULUMI_CONFIG_PASSPHRASE: "p" },
      message: "deploy:local: no stack file Pulumi.qa.yaml; stacks here: staging, production\n",
    },
    {
      name: "no Pulumi CLI",
      args: [],
      env: { PULUMI_CONFIG_PASSPHRASE: "p" },
      pulumi: false,
      message:
        "deploy:local: the Pulumi CLI is not on PATH; install it (https://www.pulumi.com/docs/install/)\n",
    },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}, before touching any stack`, () => {
      const r = run(c.args, c.env, c.pulumi ?? true);
      strictEqual(r.status, 1);
      strictEqual(r.stderr, c.message);
      ok(!r.calls.some((call) => call.startsWith("pulumi")), r.calls.join("\n"));
    });
  }

  it("passes shellcheck, as does the CI script", () => {
    const r = spawnSync("shellcheck", [SCRIPT, path.join(ROOT, ".ci/run")], { encoding: "utf8" });
    if (r.error) throw r.error;
    strictEqual(r.status, 0, r.stdout + r.stderr);
  });
});
