import type { Readable } from "node:stream";
import Docker from "dockerode";
import { dockerOptionsFromHost } from "../docker-host";
import { DockerRuntime } from "../docker-runtime";
import { statusOf, tolerate } from "../engine-errors";
import { managedFilters, managedLabel, type OwnerLabels } from "../labels";
import { collectLines } from "../log-lines";
import type { NetworkInfo, NetworkSpec } from "../networks";
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
  PlacementMove,
  RunResult,
  RuntimeNode,
} from "../types";
import { nodeView } from "./node-address";
import { listSwarmNodes, parseNode, updateAvailability } from "./nodes";
import { ensureOverlay, removeOverlays } from "./overlays";
import { chooseNode, pinnedTo } from "./placement";
import { watchPlacements } from "./placement-watch";
import { ImagePublisher, type RegistryAddresses } from "./registry";
import { serviceLogs } from "./service-logs";
import { kindOf, serviceCreateOptions } from "./service-spec";
import {
  containerSpecOf,
  exitCodeOf,
  isTerminal,
  latestTask,
  type ServiceInfo,
  serviceTasks,
  type TaskView,
} from "./tasks";

export interface SwarmRuntimeOptions {
  /** DOCKER_HOST-style address of a manager node's engine. */
  manager: string;
  /** The engine images are built on and pushed from (this machine's). */
  builder?: string;
  registry?: RegistryAddresses;
  /** Engines of the nodes by hostname, for work on a task's own container (exec, stats). */
  nodes?: Record<string, string>;
  /**
   * The address at which tasks reach this machine's services (the build database clusters, the
   * mail catcher), on the ports the machine serves them on: the `gateway` of every build network.
   */
  hostAddress?: string;
  /** How often task states are read while waiting. */
  pollMs?: number;
  /**
   * How often serving tasks' nodes are read for watchPlacements: a moved build answers through
   * its route again at most this long after its new task runs.
   */
  placementPollMs?: number;
}

/** What `wait` answers for work stopped before it ended (a container stopped by SIGKILL). */
const STOPPED_EXIT_CODE = 137;

/**
 * ContainerRuntime on a Docker Swarm: each "container" is a service of the same name. Serving
 * work scales between 0 and 1 replica; one-shot work is a replicated job, created when started
 * (a job runs as soon as it exists).
 */
export class SwarmRuntime implements ContainerRuntime {
  private readonly manager: Docker;
  private readonly builder: DockerRuntime;
  private readonly images: ImagePublisher;
  private readonly pending = new Map<string, { options: Docker.CreateServiceOptions; pool?: string }>();
  private readonly pollMs: number;
  /** One placement at a time: each choice sees the task of the one before (placement.ts). */
  private placing: Promise<void> = Promise.resolve();

  constructor(private readonly options: SwarmRuntimeOptions) {
    this.manager = new Docker(dockerOptionsFromHost(options.manager));
    this.builder = new DockerRuntime({ host: options.builder });
    this.images = new ImagePublisher(this.builder.docker, options.registry);
    // Every one-shot run waits on task states this way (install, tests, each check): at 250 ms
    // a development build spent about 0.8 s more on the Swarm than on one host in its runs.
    this.pollMs = options.pollMs ?? 100;
  }

  async ping(): Promise<void> {
    await this.manager.ping();
  }

  async version(): Promise<EngineVersion> {
    const v = await this.manager.version();
    return {
      Version: v.Version,
      ApiVersion: v.ApiVersion,
      Os: v.Os,
      Arch: v.Arch,
      KernelVersion: v.KernelVersion,
    };
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const options = serviceCreateOptions(spec, await this.images.publish(spec.image));
    if (kindOf(spec) === "job") this.pending.set(spec.name, { options, pool: spec.pool });
    else await this.manager.createService(options);
    return spec.name;
  }

  async start(id: string): Promise<void> {
    const job = this.pending.get(id);
    if (job) {
      this.pending.delete(id);
      await this.startJob(job.options, job.pool);
      return;
    }
    await this.scale(id, 1);
  }

  async stop(id: string, _timeoutSeconds = 10): Promise<void> {
    if (this.pending.delete(id)) return;
    const service = await this.serviceOf(id);
    if (!service) return;
    if (service.Spec?.Mode?.ReplicatedJob) {
      // A job cannot be scaled down: stopping it is removing it (`wait` then answers 137).
      await tolerate([404], () => this.manager.getService(service.ID).remove());
      return;
    }
    await this.scale(id, 0);
    while (true) {
      const task = await latestTask(this.manager, service.ID);
      if (!task || isTerminal(task)) return;
      await this.pause();
    }
  }

  async remove(id: string, _force = false): Promise<void> {
    this.pending.delete(id);
    const service = await this.serviceOf(id);
    if (!service) return;
    const tasks = await serviceTasks(this.manager, service.ID);
    await tolerate([404], () => this.manager.getService(service.ID).remove());
    // Removing a service removes its tasks' containers, except those of a finished job, which
    // the node's engine keeps: they are removed there (when its engine is known).
    for (const task of tasks) {
      if (!task.nodeId || !task.containerId) continue;
      const runtime = await this.nodeRuntime(task.nodeId).catch(() => null);
      // 409: the node's agent is removing it already, which is the end sought.
      if (runtime) await tolerate([409], () => runtime.remove(task.containerId as string, true));
    }
  }

  async inspect(id: string): Promise<ContainerState> {
    const service = await this.serviceOf(id);
    if (!service) throw Object.assign(new Error(`no such service: ${id}`), { statusCode: 404 });
    const task = await latestTask(this.manager, service.ID);
    const running = task?.state === "running";
    return {
      id: service.ID,
      name: service.Spec?.Name ?? id,
      image: containerSpecOf(service)?.Image ?? "",
      running,
      status: task ? (running ? "running" : isTerminal(task) ? "exited" : "created") : "created",
      exitCode: task && isTerminal(task) ? exitCodeOf(task) : 0,
      // The task reports an exit code only; 137 with a memory limit is the likeliest OOM kill.
      oomKilled: false,
      labels: service.Spec?.Labels ?? {},
      startedAt: task?.startedAt ?? null,
      finishedAt: task && isTerminal(task) ? task.createdAt : null,
    };
  }

  async wait(id: string): Promise<number> {
    while (true) {
      const service = await this.serviceOf(id);
      if (!service) return STOPPED_EXIT_CODE;
      const task = await latestTask(this.manager, service.ID);
      if (task && isTerminal(task)) return exitCodeOf(task);
      await this.pause();
    }
  }

  async logs(id: string, options: LogOptions = {}): Promise<Readable> {
    const service = await this.serviceOf(id);
    if (!service) throw Object.assign(new Error(`no such service: ${id}`), { statusCode: 404 });
    return serviceLogs(this.manager, service, options, {
      ended: async () => {
        const task = await latestTask(this.manager, service.ID).catch(() => null);
        return task === null ? false : isTerminal(task);
      },
      pollMs: this.pollMs,
    });
  }

  async exec(id: string, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const { runtime, containerId } = await this.onNode(id);
    return runtime.exec(containerId, cmd, options);
  }

  async execInteractive(
    id: string,
    cmd: string[],
    options: Omit<ExecOptions, "stdin"> = {},
  ): Promise<ExecSession> {
    const { runtime, containerId } = await this.onNode(id);
    return runtime.execInteractive(containerId, cmd, options);
  }

  async stats(id: string): Promise<ContainerStats> {
    const { runtime, containerId } = await this.onNode(id);
    return runtime.stats(containerId);
  }

  /**
   * A serving task publishes its port in `host` mode on its own node (service-spec.ts): the
   * address is that node's, as the manager knows it.
   */
  async publishedAddress(id: string, hostPort: number): Promise<string> {
    const { nodeId } = await this.runningTask(id);
    return `${(await nodeView(this.manager, nodeId)).address}:${hostPort}`;
  }

  /** Running serving tasks read on the manager every `placementPollMs` (placement-watch.ts). */
  watchPlacements(
    moved: (move: PlacementMove) => Promise<void>,
    failed: (error: unknown) => void = () => {},
  ): () => Promise<void> {
    return watchPlacements(this.manager, this.options.placementPollMs ?? 2000, moved, failed);
  }

  /** Every node with its pool and Gantry's running tasks (their use read on the node's engine). */
  nodes(options: NodesOptions = {}): Promise<RuntimeNode[]> {
    return listSwarmNodes(this.manager, (hostname) => {
      const host = this.options.nodes?.[hostname];
      if (!host || options.use === false) return null;
      const engine = new DockerRuntime({ host });
      return (ids) => engine.usage(ids);
    });
  }

  async setNodeAvailability(nodeId: string, availability: "active" | "drain"): Promise<RuntimeNode> {
    await updateAvailability(this.manager, nodeId, availability);
    const node = (await this.nodes()).find((n) => n.id === nodeId || n.hostname === nodeId);
    if (!node) throw Object.assign(new Error(`no such node: ${nodeId}`), { statusCode: 404 });
    return node;
  }

  async placement(id: string): Promise<NodePlacement | null> {
    const task = await this.runningTask(id).catch((error: unknown) => {
      if (statusOf(error) === 409 || statusOf(error) === 404) return null;
      throw error;
    });
    if (!task) return null;
    const node = parseNode(await this.manager.getNode(task.nodeId).inspect());
    return { nodeId: node.ID, hostname: node.Description.Hostname || node.ID };
  }

  async usage(ids: readonly string[]): Promise<Map<string, ContainerUsage>> {
    const found = new Map<string, ContainerUsage>();
    for (const id of ids) {
      const located = await this.onNode(id).catch(() => null);
      if (!located) continue;
      const reading = (await located.runtime.usage([located.containerId])).get(located.containerId);
      if (reading) found.set(id, reading);
    }
    return found;
  }

  async listManaged(owner: OwnerLabels = {}): Promise<ManagedContainer[]> {
    const services = await this.manager.listServices({ filters: { label: managedFilters(owner) } });
    const managed = services.filter((s) => s.Spec?.Labels?.[managedLabel] === "true");
    const found: ManagedContainer[] = [];
    for (const service of managed) {
      const task = await latestTask(this.manager, service.ID);
      found.push({
        id: service.ID,
        name: service.Spec?.Name ?? service.ID,
        image: containerSpecOf(service)?.Image ?? "",
        state: task?.state === "running" ? "running" : task && !isTerminal(task) ? "created" : "exited",
        labels: service.Spec?.Labels ?? {},
      });
    }
    return found;
  }

  async removeManaged(owner: OwnerLabels = {}): Promise<string[]> {
    const services = await this.listManaged(owner);
    for (const service of services) await this.remove(service.id, true);
    return services.map((s) => s.id);
  }

  imageExists(tag: string): Promise<boolean> {
    return this.builder.imageExists(tag);
  }

  imageId(reference: string): Promise<string | null> {
    return this.builder.imageId(reference);
  }

  tagImage(reference: string, repository: string, tag: string): Promise<void> {
    return this.builder.tagImage(reference, repository, tag);
  }

  async buildImage(contextDir: string, tag: string, options: BuildImageOptions = {}): Promise<void> {
    await this.builder.buildImage(contextDir, tag, options);
    await this.images.publish(tag);
  }

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

  async ensureNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    const info = await ensureOverlay(this.manager, spec);
    // An overlay's own gateway is no address of this machine's: tasks reach its services at the
    // configured address instead (through the node's docker_gwbridge).
    return this.options.hostAddress ? { ...info, gateway: this.options.hostAddress } : info;
  }

  removeNetworks(owner: OwnerLabels): Promise<string[]> {
    return removeOverlays(this.manager, owner);
  }

  /**
   * One-shot work of a pool goes to the pool's node with the most free memory (placement.ts);
   * serving work is left to Swarm within its pool, so that Swarm can move it when its node is
   * drained or lost. Placements are made one after the other and each waits for its task to
   * exist, so that the next choice counts it.
   */
  private async startJob(options: Docker.CreateServiceOptions, pool: string | undefined): Promise<void> {
    if (!pool) {
      await this.manager.createService(options);
      return;
    }
    const placed = this.placing.then(async () => {
      const node = await chooseNode(this.manager, pool);
      // No node of the pool can take it now: created as it is, it waits in Swarm for one.
      const service = await this.manager.createService(node ? pinnedTo(options, node) : options);
      for (let poll = 0; poll < 50 && (await serviceTasks(this.manager, service.id)).length === 0; poll++) {
        await this.pause();
      }
    });
    this.placing = placed.catch(() => undefined);
    await placed;
  }

  private async serviceOf(id: string): Promise<ServiceInfo | null> {
    try {
      return (await this.manager.getService(id).inspect()) as ServiceInfo;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  private async scale(id: string, replicas: number): Promise<void> {
    // The manager bumps a new service's version itself (its network allocated): an update made
    // from the version read just before is then refused as out of sequence, and is read again.
    for (let attempt = 0; ; attempt += 1) {
      const service = await this.serviceOf(id);
      if (!service) throw Object.assign(new Error(`no such service: ${id}`), { statusCode: 404 });
      try {
        await this.manager.getService(service.ID).update({
          ...service.Spec,
          Mode: { Replicated: { Replicas: replicas } },
          version: service.Version?.Index,
        });
        return;
      } catch (error) {
        if (attempt >= 5 || !/out of sequence/.test(String(error))) throw error;
      }
    }
  }

  /** The service's running task, with its node and container. */
  private async runningTask(id: string): Promise<{ nodeId: string; containerId: string }> {
    const service = await this.serviceOf(id);
    const task: TaskView | null = service ? await latestTask(this.manager, service.ID) : null;
    if (task?.state !== "running" || !task.nodeId || !task.containerId) {
      throw Object.assign(new Error(`${id} is not running`), { statusCode: 409 });
    }
    return { nodeId: task.nodeId, containerId: task.containerId };
  }

  /** The engine of the node that runs the service's task, and the task's container there. */
  private async onNode(id: string): Promise<{ runtime: DockerRuntime; containerId: string }> {
    const { nodeId, containerId } = await this.runningTask(id);
    return { runtime: await this.nodeRuntime(nodeId), containerId };
  }

  private async nodeRuntime(nodeId: string): Promise<DockerRuntime> {
    const node = await this.manager.getNode(nodeId).inspect();
    const host = this.options.nodes?.[node.Description?.Hostname ?? ""];
    if (!host) throw new Error(`no engine address is configured for node ${node.Description?.Hostname}`);
    return new DockerRuntime({ host });
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.pollMs));
  }
}
