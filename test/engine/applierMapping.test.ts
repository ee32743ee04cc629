/**
 * The applier's mapping from `@pulumi/docker` inputs to the Engine API fields the Docker
 * provider sets: one test per field of CONTAINER_FIELDS (and the network and volume tables),
 * and the refusal of an input no table knows. Pure: no engine.
 */
import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  CONTAINER_FIELDS,
  ContainerRequest,
  containerRequest,
  localReference,
  networkBody,
  tarOf,
  volumeBody,
} from "../support/engineApplier";

const ctx = { imageRef: (id: string) => (id === "sha256:abc" ? "prom/prometheus:v2.55.1" : "?") };
const map = (key: string, value: unknown): ContainerRequest =>
  containerRequest("c", { [key]: value }, ctx);

/** Each field: its input value and the part of the request it must produce. */
const CASES: Record<string, { value: unknown; expect: Partial<ContainerRequest> }> = {
  name: { value: "genesis-prometheus", expect: { name: "genesis-prometheus" } },
  image: { value: "sha256:abc", expect: { config: { Image: "prom/prometheus:v2.55.1" } } },
  command: { value: ["--a", "b"], expect: { config: { Cmd: ["--a", "b"] } } },
  entrypoints: { value: ["/bin/sh", "-c"], expect: { config: { Entrypoint: ["/bin/sh", "-c"] } } },
  envs: { value: ["A=1"], expect: { config: { Env: ["A=1"] } } },
  user: { value: "65534:65534", expect: { config: { User: "65534:65534" } } },
  labels: {
    value: [{ label: "genesis.stack", value: "staging" }],
    expect: { config: { Labels: { "genesis.stack": "staging" } } },
  },
  healthcheck: {
    value: {
      tests: ["CMD", "true"],
      interval: "15s",
      timeout: "5s",
      startPeriod: "30s",
      retries: 3,
    },
    expect: {
      config: {
        Healthcheck: {
          Test: ["CMD", "true"],
          Interval: 15e9,
          Timeout: 5e9,
          StartPeriod: 30e9,
          Retries: 3,
        },
      },
    },
  },
  ports: {
    value: [{ internal: 9090, external: 9090, ip: "127.0.0.1", protocol: "tcp" }],
    expect: {
      config: { ExposedPorts: { "9090/tcp": {} } },
      hostConfig: { PortBindings: { "9090/tcp": [{ HostIp: "127.0.0.1", HostPort: "9090" }] } },
    },
  },
  readOnly: { value: true, expect: { hostConfig: { ReadonlyRootfs: true } } },
  privileged: { value: false, expect: { hostConfig: { Privileged: false } } },
  capabilities: { value: { drops: ["ALL"] }, expect: { hostConfig: { CapDrop: ["ALL"] } } },
  securityOpts: {
    value: ["no-new-privileges:true"],
    expect: { hostConfig: { SecurityOpt: ["no-new-privileges:true"] } },
  },
  ipcMode: { value: "private", expect: { hostConfig: { IpcMode: "private" } } },
  memory: { value: 256, expect: { hostConfig: { Memory: 256 * 1024 * 1024 } } },
  memorySwap: { value: 256, expect: { hostConfig: { MemorySwap: 256 * 1024 * 1024 } } },
  restart: {
    value: "unless-stopped",
    expect: { hostConfig: { RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 } } },
  },
  networkMode: {
    value: "genesis-monitoring",
    expect: { hostConfig: { NetworkMode: "genesis-monitoring" } },
  },
  networksAdvanced: {
    value: [{ name: "genesis-monitoring", aliases: ["prometheus"] }],
    expect: {
      networks: [{ name: "genesis-monitoring", endpointConfig: { Aliases: ["prometheus"] } }],
    },
  },
  mounts: {
    value: [
      { type: "volume", source: "v", target: "/d", readOnly: true },
      {
        type: "bind",
        source: "/proc",
        target: "/host/proc",
        readOnly: true,
        bindOptions: { propagation: "rslave" },
      },
    ],
    expect: {
      hostConfig: {
        Mounts: [
          { Type: "volume", Source: "v", Target: "/d", ReadOnly: true },
          {
            Type: "bind",
            Source: "/proc",
            Target: "/host/proc",
            ReadOnly: true,
            BindOptions: { Propagation: "rslave" },
          },
        ],
      },
    },
  },
  tmpfs: {
    value: { "/tmp": "rw,noexec" },
    expect: { hostConfig: { Tmpfs: { "/tmp": "rw,noexec" } } },
  },
  logDriver: { value: "json-file", expect: { hostConfig: { LogConfig: { Type: "json-file" } } } },
  logOpts: {
    value: { "max-size": "10m" },
    expect: { hostConfig: { LogConfig: { Config: { "max-size": "10m" } } } },
  },
  uploads: {
    value: [{ file: "/tmp/genesis-config/a.yml", content: "x: 1\n" }],
    expect: { uploads: [{ file: "/tmp/genesis-config/a.yml", content: "x: 1\n", mode: 0o644 }] },
  },
  mustRun: { value: false, expect: {} },
  attach: { value: true, expect: { attach: true } },
};

describe("engine applier: @pulumi/docker inputs -> Engine API fields (the Docker provider's mapping)", () => {
  const empty = (): ContainerRequest => ({
    name: "c",
    config: {},
    hostConfig: {},
    networks: [],
    uploads: [],
    attach: false,
  });

  it("every field of the table has a case here, and every case a field", () => {
    deepStrictEqual(Object.keys(CASES).sort(), Object.keys(CONTAINER_FIELDS).sort());
  });

  for (const [field, c] of Object.entries(CASES)) {
    it(`container input ${field}`, () => {
      deepStrictEqual(map(field, c.value), { ...empty(), ...c.expect });
    });
  }

  it("an input the table does not know fails the run, naming it and the resource", () => {
    throws(() => containerRequest("genesis-x", { name: "x", gpus: "all", cpus: "1" }, ctx), {
      message:
        "genesis-x: the applier does not map docker:index/container:Container input(s) gpus, cpus; add each to CONTAINER_FIELDS with the Engine API field the provider sets",
    });
  });

  it("a nested field the mapping does not send fails too (a mount's volumeOptions)", () => {
    throws(
      () => map("mounts", [{ type: "volume", source: "v", target: "/d", volumeOptions: {} }]),
      {
        message:
          "c: input mounts: the applier does not map mounts[] field(s) volumeOptions; known: type, source, target, readOnly, bindOptions",
      },
    );
  });

  it("network and volume inputs map to their create bodies; unknown ones fail", () => {
    deepStrictEqual(
      networkBody("n", {
        name: "genesis-monitoring",
        driver: "bridge",
        internal: false,
        attachable: false,
        ipv6: false,
        labels: [{ label: "genesis.stack", value: "staging" }],
      }),
      {
        Name: "genesis-monitoring",
        Driver: "bridge",
        Internal: false,
        Attachable: false,
        EnableIPv6: false,
        Labels: { "genesis.stack": "staging" },
        CheckDuplicate: true,
      },
    );
    deepStrictEqual(volumeBody("v", { name: "d", labels: [] }), { Name: "d", Labels: {} });
    throws(() => volumeBody("v", { name: "d", driver: "local" }), {
      message: "v: the applier does not map docker:index/volume:Volume input(s) driver",
    });
  });

  it("an image reference with a digest is tagged without it; the digest is recorded", () => {
    deepStrictEqual(localReference("prom/prometheus:v2.55.1@sha256:ab"), {
      tag: "prom/prometheus:v2.55.1",
      digest: "sha256:ab",
    });
    deepStrictEqual(localReference("genesis-app:local"), { tag: "genesis-app:local" });
  });

  it("an upload is a ustar archive holding the file at its path with its mode", () => {
    const tar = tarOf([{ file: "/tmp/a.txt", content: "hello", mode: 0o644 }]);
    strictEqual(tar.length, 512 + 512 + 1024);
    strictEqual(tar.subarray(0, 9).toString(), "tmp/a.txt");
    strictEqual(tar.subarray(100, 107).toString(), "0000644");
    strictEqual(tar.subarray(257, 262).toString(), "ustar");
    strictEqual(tar.subarray(512, 517).toString(), "hello");
  });
});
