import type { Readable } from "node:stream";
import Docker from "dockerode";
import { cgroupUsage } from "./cgroup-usage";
import { containerCreateOptions } from "./container-config";
import { dockerOptionsFromHost } from "./docker-host";
import { statusOf, tolerate } from "./engine-errors";
import { execAttached, execCollect } from "./exec";
import { buildImageFromDir } from "./image-build";
import { managedFilters, managedLabel, type OwnerLabels } from "./labels";
import { checkLocalAvailability, listLocalNode, localPlacement } from "./local-node";
import { collectLines, DemuxLines, RawLines } from "./log-lines";
import { ensureNetwork, type NetworkInfo, type NetworkSpec, removeNetworks } from "./networks";
import { summarizeStats, usageOf } from "./stats";
import type {
  BuildImageOptions,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  ContainerStats,
  ContainerUsage,
  EngineVersion,
  ExecOptions,
  ExecResult,
  ExecSession,
  LogOptions,
  ManagedContainer,
  NodePlacement,
  NodesOptions,
  RunResult,
  RuntimeNode,
} from "./types";

export interface DockerRuntimeOptions {
  /** A DOCKER_HOST-style address (`unix:///var/run/docker.sock`, `tcp://host:2375`). */
  host?: string;
  /** Or dockerode's own options, for anything the address form cannot say. */
  docker?: Docker.DockerOptions;
}

/** Stats requests in flight at once in `usage`. */
const USAGE_LANES = 8;

/** ContainerRuntime on a Docker Engine, through dockerode. */
export class DockerRuntime implements ContainerRuntime {
  readonly docker: Docker;

  constructor(options: DockerRuntimeOptions = {}) {
    const connection = options.docker ?? (options.host ? dockerOptionsFromHost(options.host) : undefined);
    this.docker = new Docker(connection);
  }

  async ping(): Promise<void> {
    await this.docker.ping();
  }

  async version(): Promise<EngineVersion> {
    const v = await this.docker.version();
    return {
      Version: v.Version,
      ApiVersion: v.ApiVersion,
      Os: v.Os,
      Arch: v.Arch,
      KernelVersion: v.KernelVersion,
    };
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const container = await this.docker.createContainer(containerCreateOptions(spec));
    return container.id;
  }

  async start(id: string): Promise<void> {
    await tolerate([304], () => this.docker.getContainer(id).start());
  }

  async stop(id: string, timeoutSeconds = 10): Promise<void> {
    await tolerate([304], () => this.docker.getContainer(id).stop({ t: timeoutSeconds }));
  }

  async remove(id: string, force = false): Promise<void> {
    await tolerate([404], () => this.docker.getContainer(id).remove({ force, v: true }));
  }

  async inspect(id: string): Promise<ContainerState> {
    const info = await this.docker.getContainer(id).inspect();
    const time = (value: string) => (value && !value.startsWith("0001-") ? value : null);
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ""),
      image: info.Config.Image,
      running: info.State.Running,
      status: info.State.Status,
      exitCode: info.State.ExitCode,
      oomKilled: info.State.OOMKilled === true,
      labels: info.Config.Labels ?? {},
      startedAt: time(info.State.StartedAt),
      finishedAt: time(info.State.FinishedAt),
    };
  }

  async wait(id: string): Promise<number> {
    const result = (await this.docker.getContainer(id).wait()) as { StatusCode: number };
    return result.StatusCode;
  }

  /** Object-mode stream of `{ stream, line }`; with `follow` it stays open while the container runs. */
  async logs(id: string, options: LogOptions = {}): Promise<Readable> {
    const container = this.docker.getContainer(id);
    const tty = (await container.inspect()).Config.Tty;
    const since = options.since instanceof Date ? Math.floor(options.since.getTime() / 1000) : options.since;
    const lines = tty ? new RawLines() : new DemuxLines();
    const base = { stdout: true, stderr: true, since: since ?? 0 };
    if (options.follow) {
      const raw = await container.logs({ ...base, follow: true });
      raw.on("error", (error) => lines.destroy(error));
      raw.pipe(lines);
    } else {
      lines.end(await container.logs({ ...base, follow: false }));
    }
    return lines;
  }

  exec(id: string, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execCollect(this.docker.getContainer(id), cmd, options);
  }

  execInteractive(id: string, cmd: string[], options: Omit<ExecOptions, "stdin"> = {}): Promise<ExecSession> {
    return execAttached(this.docker, this.docker.getContainer(id), cmd, options);
  }

  async stats(id: string): Promise<ContainerStats> {
    return summarizeStats(await this.docker.getContainer(id).stats({ stream: false }));
  }

  /** Ports are published on this machine's loopback only (container-config.ts). */
  async publishedAddress(_id: string, hostPort: number): Promise<string> {
    return `127.0.0.1:${hostPort}`;
  }

  /** One host: a container never runs anywhere else. */
  watchPlacements(): () => Promise<void> {
    return async () => {};
  }

  async usage(ids: readonly string[]): Promise<Map<string, ContainerUsage>> {
    const found = new Map<string, ContainerUsage>();
    if (ids.length === 0) return found;
    // One list call turns names into the full ids the cgroup files are named by.
    const fullIds = new Map<string, string>();
    for (const c of await this.docker.listContainers()) {
      fullIds.set(c.Id, c.Id);
      for (const name of c.Names) fullIds.set(name.replace(/^\//, ""), c.Id);
    }
    const fromEngine: string[] = [];
    for (const id of ids) {
      const fullId = fullIds.get(id);
      if (!fullId) continue; // not running
      const reading = await cgroupUsage(fullId);
      if (reading) found.set(id, reading);
      else fromEngine.push(id);
    }
    // An engine on another machine: its stats endpoint, a few requests in flight.
    let next = 0;
    const lane = async () => {
      while (next < fromEngine.length) {
        const id = fromEngine[next++] as string;
        let raw: Docker.ContainerStats;
        try {
          raw = await this.docker
            .getContainer(id)
            .stats({ stream: false, "one-shot": true } as { stream: false });
        } catch (error) {
          if (statusOf(error) === 404) continue; // removed since it was listed
          throw error;
        }
        // A stopped container answers with an empty reading (its time is the zero date).
        if (raw.read && !raw.read.startsWith("0001")) found.set(id, usageOf(raw));
      }
    };
    await Promise.all(Array.from({ length: Math.min(USAGE_LANES, fromEngine.length) }, lane));
    return found;
  }

  /** This host alone (local-node.ts). */
  async nodes(options: NodesOptions = {}): Promise<RuntimeNode[]> {
    const use =
      options.use === false
        ? async () => new Map<string, ContainerUsage>()
        : (ids: readonly string[]) => this.usage(ids);
    return [await listLocalNode(this.docker, use)];
  }

  async setNodeAvailability(nodeId: string, availability: "active" | "drain"): Promise<RuntimeNode> {
    const [node] = await this.nodes();
    return checkLocalAvailability(node as RuntimeNode, nodeId, availability);
  }

  placement(id: string): Promise<NodePlacement | null> {
    return localPlacement(this.docker, id);
  }

  async listManaged(owner: OwnerLabels = {}): Promise<ManagedContainer[]> {
    const found = await this.docker.listContainers({ all: true, filters: { label: managedFilters(owner) } });
    // The filter is the engine's; checking the label again keeps a wrong filter from ever
    // handing an unmanaged container to a caller that removes what it gets.
    return found
      .filter((c) => c.Labels?.[managedLabel] === "true")
      .map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? "").replace(/^\//, ""),
        image: c.Image,
        state: c.State,
        labels: c.Labels,
      }));
  }

  ensureNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    return ensureNetwork(this.docker, spec);
  }

  removeNetworks(owner: OwnerLabels): Promise<string[]> {
    return removeNetworks(this.docker, owner);
  }

  async removeManaged(owner: OwnerLabels = {}): Promise<string[]> {
    const containers = await this.listManaged(owner);
    for (const container of containers) await this.remove(container.id, true);
    return containers.map((c) => c.id);
  }

  async imageExists(tag: string): Promise<boolean> {
    try {
      await this.docker.getImage(tag).inspect();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async imageId(reference: string): Promise<string | null> {
    try {
      return (await this.docker.getImage(reference).inspect()).Id;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async tagImage(reference: string, repository: string, tag: string): Promise<void> {
    await this.docker.getImage(reference).tag({ repo: repository, tag });
  }

  buildImage(contextDir: string, tag: string, options: BuildImageOptions = {}): Promise<void> {
    return buildImageFromDir(this.docker, contextDir, tag, options);
  }

  /** Create, start, wait for the end, collect the logs, remove: for short one-off commands. */
  async run(spec: ContainerSpec): Promise<RunResult> {
    const id = await this.createContainer(spec);
    try {
      await this.start(id);
      const exitCode = await this.wait(id);
      const logs = await collectLines(await this.logs(id));
      return { exitCode, logs };
    } finally {
      await this.remove(id, true);
    }
  }
}
