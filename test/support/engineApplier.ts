/**
 * Stands in for the Docker provider (there is no Pulumi CLI and no provider plugin here):
 * creates on a real engine the docker resources the program registers, exactly as captured
 * under mocks (program/captureProgram), in dependency order, sending each `@pulumi/docker` input
 * to the Engine API field the provider sets (terraform-provider-docker,
 * internal/provider/resource_docker_container_funcs.go, resourceDockerContainerCreate).
 *
 * The mapping is one table per resource type ({@link CONTAINER_FIELDS} and its siblings).
 * An input the table does not know fails the run naming it: a new field is never dropped.
 *
 * A second {@link EngineApplier.apply} with a new capture does what `pulumi up` does with
 * the provider: a container whose inputs changed is replaced (every container input the
 * program uses forces a new container in the provider's schema; the program asks for
 * delete-before-replace), one that did not change is kept, and one no longer declared is
 * deleted. Volumes and the network are kept (their inputs never change here).
 *
 * Not covered (see README, "How this was verified"): pulling (images must exist locally:
 * the digest of a reference is stripped and recorded, not verified), the provider's reads,
 * refresh and drift detection, in-place updates, and resources other than these four types.
 */
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { CapturedResource } from "../../program/captureProgram";
import type { DockerEngine } from "./dockerEngine";

/** Type tokens the applier creates. */
export const CONTAINER_TYPE = "docker:index/container:Container";
export const NETWORK_TYPE = "docker:index/network:Network";
export const VOLUME_TYPE = "docker:index/volume:Volume";
export const IMAGE_TYPE = "docker:index/remoteImage:RemoteImage";

/** The create request of one container, as the provider builds it. */
export interface ContainerRequest {
  /** `?name=` of POST /containers/create. */
  name: string;
  /** The body's `Config` fields (the top level of the body). */
  config: Record<string, unknown>;
  /** The body's `HostConfig`. */
  hostConfig: Record<string, unknown>;
  /** POST /networks/{name}/connect bodies, after create (after leaving `bridge`). */
  networks: { name: string; endpointConfig: { Aliases: string[] } }[];
  /** Files put into the created container, before start (PUT /containers/{id}/archive). */
  uploads: { file: string; content: string; mode: number }[];
  /** Wait until the container is no longer running (POST /containers/{id}/wait). */
  attach: boolean;
}

/** What a field's mapping may read besides its value. */
export interface MappingContext {
  /** The local image reference of an image id the program passes (`image.imageId`). */
  imageRef(imageId: string): string;
}

type FieldMapping = (value: unknown, req: ContainerRequest, ctx: MappingContext) => void;

const str = (v: unknown): string => String(v);
const strings = (v: unknown): string[] => (v as unknown[]).map(String);

/** Refuses keys of a nested input the mapping does not send. */
function only(what: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  const obj = value as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `the applier does not map ${what} field(s) ${unknown.join(", ")}; known: ${known.join(", ")}`,
    );
  }
  return obj;
}

/** A Go duration as the provider parses it (`time.ParseDuration`), in nanoseconds. */
export function durationNs(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (m === null) throw new Error(`the applier cannot read the duration "${text}"`);
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unitMs * 1_000_000;
}

const host = (req: ContainerRequest) => req.hostConfig;

/**
 * `docker.Container` input -> what the provider sends. One entry per input the program
 * uses; each is tested in test/engine/applierMapping.test.ts.
 */
export const CONTAINER_FIELDS: Readonly<Record<string, FieldMapping>> = Object.freeze({
  // ContainerCreate(..., d.Get("name")).
  name: (v, req) => {
    req.name = str(v);
  },
  // config.Image: the provider passes the image id it read; here the local reference.
  image: (v, req, ctx) => {
    req.config.Image = ctx.imageRef(str(v));
  },
  // config.Cmd = command.
  command: (v, req) => {
    req.config.Cmd = strings(v);
  },
  // config.Entrypoint = entrypoint.
  entrypoints: (v, req) => {
    req.config.Entrypoint = strings(v);
  },
  // config.Env = env (only when set: GetOk skips an empty list).
  envs: (v, req) => {
    if (strings(v).length > 0) req.config.Env = strings(v);
  },
  // config.User = user.
  user: (v, req) => {
    req.config.User = str(v);
  },
  // config.Labels = labelSetToMap(labels).
  labels: (v, req) => {
    req.config.Labels = Object.fromEntries(
      (v as unknown[]).map((l) => {
        const o = only("labels[]", l, ["label", "value"]);
        return [str(o.label), str(o.value)];
      }),
    );
  },
  // config.Healthcheck = {Test, Interval, Timeout, StartPeriod, Retries}, durations parsed.
  healthcheck: (v, req) => {
    const h = only("healthcheck", v, ["tests", "interval", "timeout", "startPeriod", "retries"]);
    req.config.Healthcheck = {
      Test: strings(h.tests),
      ...(h.interval !== undefined ? { Interval: durationNs(str(h.interval)) } : {}),
      ...(h.timeout !== undefined ? { Timeout: durationNs(str(h.timeout)) } : {}),
      ...(h.startPeriod !== undefined ? { StartPeriod: durationNs(str(h.startPeriod)) } : {}),
      ...(h.retries !== undefined ? { Retries: Number(h.retries) } : {}),
    };
  },
  // portSetToDockerPorts: config.ExposedPorts and hostConfig.PortBindings.
  ports: (v, req) => {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp?: string; HostPort?: string }[]> = {};
    for (const p of v as unknown[]) {
      const o = only("ports[]", p, ["internal", "external", "ip", "protocol"]);
      const key = `${Number(o.internal)}/${str(o.protocol ?? "tcp")}`;
      exposed[key] = {};
      if (o.external !== undefined || o.ip !== undefined) {
        (bindings[key] ??= []).push({
          ...(o.ip !== undefined ? { HostIp: str(o.ip) } : {}),
          ...(o.external !== undefined ? { HostPort: String(Number(o.external)) } : {}),
        });
      }
    }
    if (Object.keys(exposed).length > 0) req.config.ExposedPorts = exposed;
    if (Object.keys(bindings).length > 0) host(req).PortBindings = bindings;
  },
  // hostConfig.ReadonlyRootfs = read_only.
  readOnly: (v, req) => {
    host(req).ReadonlyRootfs = v === true;
  },
  // hostConfig.Privileged = privileged.
  privileged: (v, req) => {
    host(req).Privileged = v === true;
  },
  // hostConfig.CapAdd / CapDrop = capabilities.add / drop.
  capabilities: (v, req) => {
    const c = only("capabilities", v, ["adds", "drops"]);
    if (c.adds !== undefined) host(req).CapAdd = strings(c.adds);
    if (c.drops !== undefined) host(req).CapDrop = strings(c.drops);
  },
  // hostConfig.SecurityOpt = security_opts (parseSystemPaths keeps these as they are).
  securityOpts: (v, req) => {
    host(req).SecurityOpt = strings(v);
  },
  // hostConfig.IpcMode = ipc_mode.
  ipcMode: (v, req) => {
    host(req).IpcMode = str(v);
  },
  // hostConfig.Memory = memory * 1024 * 1024 (MiB).
  memory: (v, req) => {
    host(req).Memory = Number(v) * 1024 * 1024;
  },
  // hostConfig.MemorySwap = memory_swap * 1024 * 1024 when > 0.
  memorySwap: (v, req) => {
    const swap = Number(v);
    host(req).MemorySwap = swap > 0 ? swap * 1024 * 1024 : swap;
  },
  // hostConfig.RestartPolicy.Name = restart.
  restart: (v, req) => {
    host(req).RestartPolicy = { Name: str(v), MaximumRetryCount: 0 };
  },
  // hostConfig.NetworkMode = network_mode.
  networkMode: (v, req) => {
    host(req).NetworkMode = str(v);
  },
  // After create: NetworkDisconnect("bridge"), then NetworkConnect(name, {Aliases}).
  networksAdvanced: (v, req) => {
    req.networks = (v as unknown[]).map((n) => {
      const o = only("networksAdvanced[]", n, ["name", "aliases"]);
      return { name: str(o.name), endpointConfig: { Aliases: strings(o.aliases ?? []) } };
    });
  },
  // hostConfig.Mounts: {Type, Source, Target, ReadOnly, BindOptions{Propagation}}.
  mounts: (v, req) => {
    host(req).Mounts = (v as unknown[]).map((m) => {
      const o = only("mounts[]", m, ["type", "source", "target", "readOnly", "bindOptions"]);
      const bind =
        o.bindOptions === undefined
          ? undefined
          : only("mounts[].bindOptions", o.bindOptions, ["propagation"]);
      return {
        Type: str(o.type),
        Source: str(o.source),
        Target: str(o.target),
        ReadOnly: o.readOnly === true,
        ...(bind !== undefined ? { BindOptions: { Propagation: str(bind.propagation) } } : {}),
      };
    });
  },
  // hostConfig.Tmpfs = tmpfs (only when set).
  tmpfs: (v, req) => {
    const t = v as Record<string, unknown>;
    if (Object.keys(t).length > 0) {
      host(req).Tmpfs = Object.fromEntries(Object.entries(t).map(([k, x]) => [k, str(x)]));
    }
  },
  // hostConfig.LogConfig.Type = log_driver.
  logDriver: (v, req) => {
    host(req).LogConfig = { ...(host(req).LogConfig as object), Type: str(v) };
  },
  // hostConfig.LogConfig.Config = log_opts.
  logOpts: (v, req) => {
    const opts = Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, str(x)]),
    );
    host(req).LogConfig = { ...(host(req).LogConfig as object), Config: opts };
  },
  // A tar of each file (mode from permissions, else 0644), CopyToContainer(id, "/"), before start.
  uploads: (v, req) => {
    req.uploads = (v as unknown[]).map((u) => {
      const o = only("uploads[]", u, ["file", "content", "permissions", "executable"]);
      const mode =
        o.permissions !== undefined
          ? parseInt(str(o.permissions), 8)
          : o.executable === true
            ? 0o744
            : 0o644;
      return { file: str(o.file), content: str(o.content), mode };
    });
  },
  // must_run is read-time only (the provider still starts the container: `start` defaults true).
  mustRun: () => undefined,
  // attach: ContainerWait(id, "not-running") after start.
  attach: (v, req) => {
    req.attach = v === true;
  },
});

/** `docker.Network` input -> POST /networks/create body field. */
export const NETWORK_FIELDS: Readonly<
  Record<string, (v: unknown, body: Record<string, unknown>) => void>
> = Object.freeze({
  name: (v, b) => {
    b.Name = str(v);
  },
  driver: (v, b) => {
    b.Driver = str(v);
  },
  internal: (v, b) => {
    b.Internal = v === true;
  },
  attachable: (v, b) => {
    b.Attachable = v === true;
  },
  ipv6: (v, b) => {
    b.EnableIPv6 = v === true;
  },
  labels: (v, b) => {
    b.Labels = labelMap(v, "network labels[]");
  },
});

/** `docker.Volume` input -> POST /volumes/create body field. */
export const VOLUME_FIELDS: Readonly<
  Record<string, (v: unknown, body: Record<string, unknown>) => void>
> = Object.freeze({
  name: (v, b) => {
    b.Name = str(v);
  },
  labels: (v, b) => {
    b.Labels = labelMap(v, "volume labels[]");
  },
});

/** `docker.RemoteImage` inputs the applier reads (no pull: the image must exist here). */
export const IMAGE_FIELDS: readonly string[] = Object.freeze(["name", "keepLocally"]);

function labelMap(v: unknown, what: string): Record<string, string> {
  return Object.fromEntries(
    (v as unknown[]).map((l) => {
      const o = only(what, l, ["label", "value"]);
      return [str(o.label), str(o.value)];
    }),
  );
}

/** Builds the create request of a container's inputs, refusing any input it cannot map. */
export function containerRequest(
  resourceName: string,
  inputs: Readonly<Record<string, unknown>>,
  ctx: MappingContext,
): ContainerRequest {
  const unknown = Object.keys(inputs).filter((k) => !(k in CONTAINER_FIELDS));
  if (unknown.length > 0) {
    throw new Error(
      `${resourceName}: the applier does not map ${CONTAINER_TYPE} input(s) ${unknown.join(", ")}; add each to CONTAINER_FIELDS with the Engine API field the provider sets`,
    );
  }
  const req: ContainerRequest = {
    name: resourceName,
    config: {},
    hostConfig: {},
    networks: [],
    uploads: [],
    attach: false,
  };
  for (const [key, value] of Object.entries(inputs)) {
    try {
      CONTAINER_FIELDS[key](value, req, ctx);
    } catch (e) {
      throw new Error(`${resourceName}: input ${key}: ${(e as Error).message}`);
    }
  }
  return req;
}

function bodyOf(
  resourceName: string,
  type: string,
  inputs: Readonly<Record<string, unknown>>,
  table: Readonly<Record<string, (v: unknown, body: Record<string, unknown>) => void>>,
): Record<string, unknown> {
  const unknown = Object.keys(inputs).filter((k) => !(k in table));
  if (unknown.length > 0) {
    throw new Error(
      `${resourceName}: the applier does not map ${type} input(s) ${unknown.join(", ")}`,
    );
  }
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) table[k](v, body);
  return body;
}

/** The network create body of a network's inputs. */
export function networkBody(name: string, inputs: Readonly<Record<string, unknown>>) {
  return { ...bodyOf(name, NETWORK_TYPE, inputs, NETWORK_FIELDS), CheckDuplicate: true };
}

/** The volume create body of a volume's inputs. */
export function volumeBody(name: string, inputs: Readonly<Record<string, unknown>>) {
  return bodyOf(name, VOLUME_TYPE, inputs, VOLUME_FIELDS);
}

/**
 * A reference the engine can tag: `repo:tag@sha256:d` becomes `repo:tag` and its digest is
 * returned beside it (recorded, not verified: the stand-ins have other digests).
 */
export function localReference(reference: string): { tag: string; digest?: string } {
  const at = reference.indexOf("@");
  return at < 0
    ? { tag: reference }
    : { tag: reference.slice(0, at), digest: reference.slice(at + 1) };
}

/** A ustar archive of `files` (what the provider's tar.Writer writes for an upload). */
export function tarOf(files: readonly { file: string; content: string; mode: number }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const f of files) {
    const name = f.file.replace(/^\/+/, "");
    const data = Buffer.from(f.content, "utf8");
    const header = Buffer.alloc(512, 0);
    const put = (text: string, offset: number, length: number) => {
      if (Buffer.byteLength(text) > length) throw new Error(`tar: ${text} is too long`);
      header.write(text, offset, length, "utf8");
    };
    const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, "0") + "\0";
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf("/", name.length - 101 < 0 ? 155 : 155);
      put(name.slice(cut + 1), 0, 100);
      put(name.slice(0, cut), 345, 155);
    } else {
      put(name, 0, 100);
    }
    put(octal(f.mode, 8), 100, 8);
    put(octal(0, 8), 108, 8);
    put(octal(0, 8), 116, 8);
    put(octal(data.length, 12), 124, 12);
    put(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
    header.fill(" ", 148, 156);
    put("0", 156, 1);
    put("ustar\0", 257, 6);
    put("00", 263, 2);
    let sum = 0;
    for (const byte of header) sum += byte;
    put(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512, 0));
  }
  blocks.push(Buffer.alloc(1024, 0));
  return Buffer.concat(blocks);
}

/** What the applier did with one container. */
export interface AppliedContainer {
  /** The engine's container id. */
  readonly id: string;
  /** The exit code, for an attached (one-shot) container. */
  readonly exitCode?: number;
}

/** What one apply did. */
export interface ApplyResult {
  /** Containers by name (all declared and applied, kept or new). */
  readonly containers: Readonly<Record<string, AppliedContainer>>;
  /** Names of containers created by this apply (new or replacing). */
  readonly created: readonly string[];
  /** Names of containers replaced by this apply. */
  readonly replaced: readonly string[];
  /** Images by declared reference: the local tag used and the digest recorded. */
  readonly images: Readonly<Record<string, { tag: string; digest?: string }>>;
  /** Declared resources not created, with the reason given. */
  readonly leftOut: Readonly<Record<string, string>>;
}

/** What to leave out of an apply: resource name -> why (shown in the result). */
export type LeaveOut = Readonly<Record<string, string>>;

/** Creates captured docker resources on an engine; remembers what it applied. */
export class EngineApplier {
  private readonly applied = new Map<string, { inputs: unknown; id: string }>();

  constructor(private readonly engine: DockerEngine) {}

  /**
   * Applies the docker resources of `resources` (a capture of the whole program) except
   * those named in `leaveOut`. Throws naming the resource on the first engine error.
   */
  async apply(
    resources: readonly CapturedResource[],
    leaveOut: LeaveOut = {},
  ): Promise<ApplyResult> {
    const docker = resources.filter((r) => r.type.startsWith("docker:"));
    const known = [CONTAINER_TYPE, NETWORK_TYPE, VOLUME_TYPE, IMAGE_TYPE];
    const strange = docker.filter((r) => !known.includes(r.type));
    if (strange.length > 0) {
      throw new Error(
        `the applier does not create ${strange.map((r) => `${r.type} (${r.name})`).join(", ")}`,
      );
    }
    const missingLeaveOut = Object.keys(leaveOut).filter((n) => !docker.some((r) => r.name === n));
    if (missingLeaveOut.length > 0) {
      throw new Error(
        `leaveOut names resources the program does not declare: ${missingLeaveOut.join(", ")}`,
      );
    }
    const kept = docker.filter((r) => !(r.name in leaveOut));
    const leftOut: Record<string, string> = { ...leaveOut };

    // Images: the program passes `image.imageId`, which the capture's mock derives from the
    // reference (sha256 of the name); map it back to the local tag.
    const images: Record<string, { tag: string; digest?: string }> = {};
    const byImageId = new Map<string, string>();
    for (const r of kept.filter((x) => x.type === IMAGE_TYPE)) {
      const unknown = Object.keys(r.inputs).filter((k) => !IMAGE_FIELDS.includes(k));
      if (unknown.length > 0) {
        throw new Error(
          `${r.name}: the applier does not map ${IMAGE_TYPE} input(s) ${unknown.join(", ")}`,
        );
      }
      const reference = str(r.inputs.name);
      const local = localReference(reference);
      const found = await this.engine.request(
        "GET",
        `/images/${encodeURIComponent(local.tag)}/json`,
      );
      if (found.status !== 200) {
        throw new Error(
          `${r.name}: image ${local.tag} is not on the engine (nothing can be pulled here: build it with images/buildImages.sh)`,
        );
      }
      images[reference] = local;
      byImageId.set(`sha256:${createHash("sha256").update(reference).digest("hex")}`, local.tag);
    }
    const ctx: MappingContext = {
      imageRef: (imageId) => {
        const tag = byImageId.get(imageId);
        if (tag === undefined) throw new Error(`no applied image has the id ${imageId}`);
        return tag;
      },
    };

    for (const r of kept.filter((x) => x.type === NETWORK_TYPE)) {
      if (this.applied.has(r.urn)) continue;
      const out = await this.engine.call<{ Id: string }>(
        "POST",
        "/networks/create",
        networkBody(r.name, r.inputs),
      );
      this.applied.set(r.urn, { inputs: r.inputs, id: out.Id });
    }
    for (const r of kept.filter((x) => x.type === VOLUME_TYPE)) {
      if (this.applied.has(r.urn)) continue;
      const out = await this.engine.call<{ Name: string }>(
        "POST",
        "/volumes/create",
        volumeBody(r.name, r.inputs),
      );
      this.applied.set(r.urn, { inputs: r.inputs, id: out.Name });
    }

    const containers = kept.filter((x) => x.type === CONTAINER_TYPE);
    const requests = new Map(
      containers.map((r) => [r.urn, containerRequest(r.name, r.inputs, ctx)] as const),
    );
    // Containers no longer declared (or now left out) are deleted first.
    for (const [urn, was] of [...this.applied]) {
      if (urn.includes(`$${CONTAINER_TYPE}::`) && !requests.has(urn)) {
        await this.engine.call("DELETE", `/containers/${was.id}?force=true`);
        this.applied.delete(urn);
      }
    }
    const result: Record<string, AppliedContainer> = {};
    const created: string[] = [];
    const replaced: string[] = [];
    for (const r of dependencyOrder(containers)) {
      const req = requests.get(r.urn)!;
      const was = this.applied.get(r.urn);
      if (was !== undefined && isDeepStrictEqual(was.inputs, r.inputs)) {
        result[req.name] = { id: was.id };
        continue;
      }
      if (was !== undefined) {
        // deleteBeforeReplace: the old container goes first (it holds the name and ports).
        await this.engine.call("DELETE", `/containers/${was.id}?force=true`);
        replaced.push(req.name);
      }
      try {
        result[req.name] = await this.createContainer(req);
      } catch (e) {
        throw new Error(`${r.name}: ${(e as Error).message}`);
      }
      this.applied.set(r.urn, { inputs: r.inputs, id: result[req.name].id });
      created.push(req.name);
    }
    return { containers: result, created, replaced, images, leftOut };
  }

  /** Create, connect, upload, start, and wait when attached: the provider's sequence. */
  private async createContainer(req: ContainerRequest): Promise<AppliedContainer> {
    const { Id: id } = await this.engine.call<{ Id: string }>(
      "POST",
      `/containers/create?name=${encodeURIComponent(req.name)}`,
      {
        ...req.config,
        HostConfig: req.hostConfig,
        // The provider creates the container in network_mode and then calls NetworkConnect
        // with the aliases. On Engine 20.10 that second connect to the network the container
        // was created in leaves the container without working DNS (found here: aliases and
        // the embedded resolver did not answer), so the same endpoint settings go in the
        // create request, as `docker run --network N --network-alias A` sends them.
        ...(req.networks.length > 0
          ? {
              NetworkingConfig: {
                EndpointsConfig: Object.fromEntries(
                  req.networks.map((n) => [n.name, n.endpointConfig]),
                ),
              },
            }
          : {}),
      },
    );
    if (req.networks.length > 0) {
      const left = await this.engine.request("POST", "/networks/bridge/disconnect", {
        Container: id,
        Force: false,
      });
      if (
        left.status >= 400 &&
        !JSON.stringify(left.body).includes("is not connected to the network bridge")
      ) {
        throw new Error(
          `disconnect from bridge: HTTP ${left.status}: ${JSON.stringify(left.body)}`,
        );
      }
      for (const n of req.networks) {
        if (n.name === req.hostConfig.NetworkMode) continue; // attached at create
        await this.engine.call("POST", `/networks/${encodeURIComponent(n.name)}/connect`, {
          Container: id,
          EndpointConfig: n.endpointConfig,
        });
      }
    }
    if (req.uploads.length > 0) {
      const answer = await this.engine.request(
        "PUT",
        `/containers/${id}/archive?path=%2F`,
        undefined,
        {
          data: tarOf(req.uploads),
          contentType: "application/x-tar",
        },
      );
      if (answer.status >= 400) {
        throw new Error(`upload: HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    }
    await this.engine.call("POST", `/containers/${id}/start`);
    if (!req.attach) return { id };
    const waited = await this.engine.call<{ StatusCode: number }>(
      "POST",
      `/containers/${id}/wait?condition=not-running`,
    );
    return { id, exitCode: waited.StatusCode };
  }
}

/** Containers ordered so each comes after its `dependsOn` (registration order otherwise). */
function dependencyOrder(containers: readonly CapturedResource[]): CapturedResource[] {
  const byUrn = new Map(containers.map((c) => [c.urn, c]));
  const done = new Set<string>();
  const out: CapturedResource[] = [];
  const visit = (c: CapturedResource, path: string[]) => {
    if (done.has(c.urn)) return;
    if (path.includes(c.urn)) throw new Error(`dependency cycle: ${[...path, c.urn].join(" -> ")}`);
    for (const d of c.options.dependsOn) {
      const dep = byUrn.get(d);
      if (dep !== undefined) visit(dep, [...path, c.urn]);
    }
    done.add(c.urn);
    out.push(c);
  };
  for (const c of containers) visit(c, []);
  return out;
}
