/**
 * Judges a running container from `docker inspect` (Engine API GET /containers/{id}/json)
 * against the seed's security checks: the same rules the policy pack applies to the
 * program's inputs, applied to what the engine actually runs. Pure: plain JSON in, one
 * verdict per check out, each with a reason naming the field and the value seen. Used by
 * `genesis inspect` on the deployment host and by the engine tests.
 */

/** The part of `docker inspect`'s JSON the checks read. */
export interface ContainerInspect {
  readonly Name: string;
  readonly Config: {
    readonly User?: string;
    readonly Env?: readonly string[] | null;
    readonly Labels?: Readonly<Record<string, string>> | null;
  };
  readonly HostConfig: {
    readonly NetworkMode?: string;
    readonly ReadonlyRootfs?: boolean;
    readonly Privileged?: boolean;
    readonly CapAdd?: readonly string[] | null;
    readonly CapDrop?: readonly string[] | null;
    readonly SecurityOpt?: readonly string[] | null;
    readonly Memory?: number;
    readonly PidMode?: string;
    readonly PortBindings?: Readonly<
      Record<string, readonly { readonly HostIp?: string; readonly HostPort?: string }[] | null>
    > | null;
  };
  readonly NetworkSettings: {
    readonly Networks?: Readonly<Record<string, unknown>> | null;
    readonly Ports?: Readonly<
      Record<string, readonly { readonly HostIp?: string; readonly HostPort?: string }[] | null>
    > | null;
  };
}

/** The names of the checks, in the order they are reported. */
export type InspectCheckName =
  | "network"
  | "read-only root"
  | "not privileged"
  | "capabilities dropped"
  | "no-new-privileges"
  | "non-root user"
  | "memory limit"
  | "ports on loopback"
  | "secrets absent";

/** One check's verdict. */
export interface InspectFinding {
  /** The check. */
  readonly check: InspectCheckName;
  /** Whether the container satisfies it. */
  readonly verdict: "pass" | "fail";
  /** Why, naming the inspected field and value. */
  readonly reason: string;
}

/** What the container is judged against. */
export interface InspectExpectations {
  /** The user-defined bridge network it must be on, and only on. */
  readonly network: string;
  /** The only address a port may be published on. */
  readonly publishAddress: string;
  /** Secret values that must appear in neither the environment nor the labels. */
  readonly secretValues: readonly string[];
}

/** An environment entry whose name says it holds a secret, with its value inline. */
const INLINE_SECRET =
  /^(?![A-Za-z0-9_]*_FILE=)[A-Za-z0-9_]*(PASSWORD|SECRET|TOKEN|ROUTING_KEY|API_KEY)[A-Za-z0-9_]*=(?!$)/;

/** The expected container names absent from what the engine reported, and every finding. */
export interface StackInspectReport {
  /** Containers the stack declares that the engine does not run. */
  readonly missing: readonly string[];
  /** Each running container's findings, by name, in the declared order. */
  readonly containers: readonly { readonly name: string; readonly findings: InspectFinding[] }[];
  /** Whether every declared container runs and passes every check. */
  readonly pass: boolean;
}

/**
 * Judges a stack's service containers: `names` (what the stack declares), `inspected` (what
 * `docker inspect` returned for them); a declared container that is not running fails.
 */
export function judgeStackContainers(
  names: readonly string[],
  inspected: readonly ContainerInspect[],
  expect: InspectExpectations,
): StackInspectReport {
  const byName = new Map(inspected.map((i) => [i.Name.replace(/^\//, ""), i]));
  const missing = names.filter((n) => !byName.has(n));
  const containers = names
    .filter((n) => byName.has(n))
    .map((name) => ({ name, findings: judgeContainerInspect(byName.get(name)!, expect) }));
  const pass =
    missing.length === 0 && containers.every((c) => c.findings.every((f) => f.verdict === "pass"));
  return { missing, containers, pass };
}

const finding = (check: InspectCheckName, ok: boolean, reason: string): InspectFinding => ({
  check,
  verdict: ok ? "pass" : "fail",
  reason,
});

const json = (v: unknown): string => JSON.stringify(v ?? null);

/** Judges one container's inspect JSON; returns every check's verdict. */
export function judgeContainerInspect(
  inspect: ContainerInspect,
  expect: InspectExpectations,
): InspectFinding[] {
  const host = inspect.HostConfig;
  const networks = Object.keys(inspect.NetworkSettings.Networks ?? {}).sort();
  const mode = host.NetworkMode ?? "";
  const capDrop = host.CapDrop ?? [];
  const capAdd = host.CapAdd ?? [];
  const secOpts = host.SecurityOpt ?? [];
  const user = inspect.Config.User ?? "";
  const uid = user.split(":")[0];
  const bindings = [
    ...Object.entries(host.PortBindings ?? {}).flatMap(([port, b]) =>
      (b ?? []).map((x) => ({ where: "HostConfig.PortBindings", port, ip: x.HostIp ?? "" })),
    ),
    ...Object.entries(inspect.NetworkSettings.Ports ?? {}).flatMap(([port, b]) =>
      (b ?? []).map((x) => ({ where: "NetworkSettings.Ports", port, ip: x.HostIp ?? "" })),
    ),
  ];
  const wrongBindings = bindings.filter((b) => b.ip !== expect.publishAddress);
  const env = inspect.Config.Env ?? [];
  const labels = Object.entries(inspect.Config.Labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const leaks = [
    ...expect.secretValues
      .filter((s) => s !== "")
      .flatMap((s) => [
        ...(env.some((e) => e.includes(s)) ? ["Config.Env"] : []),
        ...(labels.some((l) => l.includes(s)) ? ["Config.Labels"] : []),
      ]),
    // Without the values (an operator's command cannot decrypt them): a secret-named
    // variable must point at a file, never hold the secret inline.
    ...env
      .filter((e) => INLINE_SECRET.test(e))
      .map((e) => `Config.Env (${e.slice(0, e.indexOf("="))} inline)`),
  ];
  const onlyNetwork = mode === expect.network && json(networks) === json([expect.network]);
  return [
    finding(
      "network",
      onlyNetwork,
      `HostConfig.NetworkMode is ${json(mode)} and NetworkSettings.Networks is ${json(networks)}; must be ${json(expect.network)} only (never host)`,
    ),
    finding(
      "read-only root",
      host.ReadonlyRootfs === true,
      `HostConfig.ReadonlyRootfs is ${json(host.ReadonlyRootfs)}; must be true`,
    ),
    finding(
      "not privileged",
      host.Privileged !== true,
      `HostConfig.Privileged is ${json(host.Privileged)}; must be false`,
    ),
    finding(
      "capabilities dropped",
      capDrop.includes("ALL") && capAdd.length === 0,
      `HostConfig.CapDrop is ${json(capDrop)} and CapAdd ${json(capAdd)}; must drop ALL and add none`,
    ),
    finding(
      "no-new-privileges",
      secOpts.some((o) => o === "no-new-privileges:true" || o === "no-new-privileges"),
      `HostConfig.SecurityOpt is ${json(secOpts)}; must hold no-new-privileges:true`,
    ),
    finding(
      "non-root user",
      user !== "" && uid !== "0" && uid !== "root",
      `Config.User is ${json(user)}; must name a non-root user`,
    ),
    finding(
      "memory limit",
      (host.Memory ?? 0) > 0,
      `HostConfig.Memory is ${json(host.Memory)}; must be a limit above 0`,
    ),
    finding(
      "ports on loopback",
      wrongBindings.length === 0,
      wrongBindings.length === 0
        ? `${bindings.length} binding(s), all on ${expect.publishAddress}`
        : `${wrongBindings.map((b) => `${b.where} ${b.port} on ${json(b.ip)}`).join(", ")}; must be ${expect.publishAddress}`,
    ),
    finding(
      "secrets absent",
      leaks.length === 0,
      leaks.length === 0
        ? `no secret value in Config.Env or Config.Labels`
        : `a secret value appears in ${[...new Set(leaks)].join(", ")}`,
    ),
  ];
}
