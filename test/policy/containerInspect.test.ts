/** policy/containerInspect: each check's verdict and reason on docker inspect JSON. */
import { deepStrictEqual } from "node:assert/strict";
import { ContainerInspect, judgeContainerInspect } from "../../policy/containerInspect";

const EXPECT = {
  network: "genesis-monitoring",
  publishAddress: "127.0.0.1",
  secretValues: ["s3cret"],
};

const GOOD: ContainerInspect = {
  Name: "/genesis-prometheus",
  Config: { User: "65534:65534", Env: ["PATH=/bin"], Labels: { "genesis.stack": "staging" } },
  HostConfig: {
    NetworkMode: "genesis-monitoring",
    ReadonlyRootfs: true,
    Privileged: false,
    CapAdd: null,
    CapDrop: ["ALL"],
    SecurityOpt: ["no-new-privileges:true"],
    Memory: 1073741824,
    PortBindings: { "9090/tcp": [{ HostIp: "127.0.0.1", HostPort: "9090" }] },
  },
  NetworkSettings: {
    Networks: { "genesis-monitoring": {} },
    Ports: { "9090/tcp": [{ HostIp: "127.0.0.1", HostPort: "9090" }] },
  },
};

describe("policy/containerInspect: the seed's security checks on docker inspect", () => {
  it("a hardened container passes every check, with reasons naming the fields", () => {
    deepStrictEqual(judgeContainerInspect(GOOD, EXPECT), [
      {
        check: "network",
        verdict: "pass",
        reason:
          'HostConfig.NetworkMode is "genesis-monitoring" and NetworkSettings.Networks is ["genesis-monitoring"]; must be "genesis-monitoring" only (never host)',
      },
      {
        check: "read-only root",
        verdict: "pass",
        reason: "HostConfig.ReadonlyRootfs is true; must be true",
      },
      {
        check: "not privileged",
        verdict: "pass",
        reason: "HostConfig.Privileged is false; must be false",
      },
      {
        check: "capabilities dropped",
        verdict: "pass",
        reason: 'HostConfig.CapDrop is ["ALL"] and CapAdd []; must drop ALL and add none',
      },
      {
        check: "no-new-privileges",
        verdict: "pass",
        reason:
          'HostConfig.SecurityOpt is ["no-new-privileges:true"]; must hold no-new-privileges:true',
      },
      {
        check: "non-root user",
        verdict: "pass",
        reason: 'Config.User is "65534:65534"; must name a non-root user',
      },
      {
        check: "memory limit",
        verdict: "pass",
        reason: "HostConfig.Memory is 1073741824; must be a limit above 0",
      },
      { check: "ports on loopback", verdict: "pass", reason: "2 binding(s), all on 127.0.0.1" },
      {
        check: "secrets absent",
        verdict: "pass",
        reason: "no secret value in Config.Env or Config.Labels",
      },
    ]);
  });

  const failing = (c: ContainerInspect) =>
    judgeContainerInspect(c, EXPECT)
      .filter((f) => f.verdict === "fail")
      .map((f) => [f.check, f.reason]);

  const CASES: [string, ContainerInspect, [string, string][]][] = [
    [
      "host network",
      {
        ...GOOD,
        HostConfig: { ...GOOD.HostConfig, NetworkMode: "host" },
        NetworkSettings: { ...GOOD.NetworkSettings, Networks: { host: {} } },
      },
      [
        [
          "network",
          'HostConfig.NetworkMode is "host" and NetworkSettings.Networks is ["host"]; must be "genesis-monitoring" only (never host)',
        ],
      ],
    ],
    [
      "writable root, privileged, a capability added, no no-new-privileges, root, no memory limit",
      {
        ...GOOD,
        Config: { ...GOOD.Config, User: "" },
        HostConfig: {
          ...GOOD.HostConfig,
          ReadonlyRootfs: false,
          Privileged: true,
          CapAdd: ["NET_ADMIN"],
          SecurityOpt: null,
          Memory: 0,
        },
      },
      [
        ["read-only root", "HostConfig.ReadonlyRootfs is false; must be true"],
        ["not privileged", "HostConfig.Privileged is true; must be false"],
        [
          "capabilities dropped",
          'HostConfig.CapDrop is ["ALL"] and CapAdd ["NET_ADMIN"]; must drop ALL and add none',
        ],
        ["no-new-privileges", "HostConfig.SecurityOpt is []; must hold no-new-privileges:true"],
        ["non-root user", 'Config.User is ""; must name a non-root user'],
        ["memory limit", "HostConfig.Memory is 0; must be a limit above 0"],
      ],
    ],
    [
      "a port on every address",
      {
        ...GOOD,
        NetworkSettings: {
          ...GOOD.NetworkSettings,
          Ports: { "9090/tcp": [{ HostIp: "0.0.0.0", HostPort: "9090" }] },
        },
      },
      [["ports on loopback", 'NetworkSettings.Ports 9090/tcp on "0.0.0.0"; must be 127.0.0.1']],
    ],
    [
      "a secret in the environment and a label",
      { ...GOOD, Config: { ...GOOD.Config, Env: ["KEY=s3cret"], Labels: { k: "x-s3cret" } } },
      [["secrets absent", "a secret value appears in Config.Env, Config.Labels"]],
    ],
  ];
  for (const [name, inspect, expected] of CASES) {
    it(`fails: ${name}`, () => {
      deepStrictEqual(failing(inspect), expected);
    });
  }
});
