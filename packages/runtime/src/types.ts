import type { Duplex, Readable } from "node:stream";
import type { OwnerLabels } from "./labels";
import type { NetworkInfo, NetworkSpec } from "./networks";

export interface PortBinding {
  containerPort: number;
  /** Always published on 127.0.0.1: the reverse proxy is the only way in from outside. */
  hostPort: number;
  protocol?: "tcp" | "udp";
}

export interface Mount {
  type: "bind" | "volume";
  source: string;
  target: string;
  readOnly?: boolean;
}

export interface ContainerSpec {
  /** Deterministic and Docker-valid: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`. */
  name: string;
  image: string;
  cmd?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  /** Owner labels; `gantry.managed=true` is always added. */
  owner?: OwnerLabels;
  /** Further `gantry.*` labels. */
  labels?: Record<string, string>;
  /** `bridge`, `host`, `none` or a user network name. */
  networkMode?: string;
  ports?: PortBinding[];
  mounts?: Mount[];
  memoryBytes?: number;
  /** Fractional CPUs, e.g. 1.5. */
  cpus?: number;
  /** Most processes and threads at once; DEFAULT_PIDS_LIMIT when not given. */
  pidsLimit?: number;
  /** Memory the scheduler of a cluster counts the work as taking (one host: ignored). */
  memoryReservationBytes?: number;
  /**
   * The pool of nodes the work belongs on (production, staging, development, or an operator's
   * name); one host has one pool and ignores it.
   */
  pool?: string;
  user?: string;
  workdir?: string;
  tty?: boolean;
}

export interface EngineVersion {
  /** Docker's own field names, as `docker version` reports them. */
  Version: string;
  ApiVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
}

export interface ContainerState {
  id: string;
  name: string;
  image: string;
  running: boolean;
  status: string;
  exitCode: number;
  /** The kernel killed it for going over its memory limit (Docker's State.OOMKilled). */
  oomKilled: boolean;
  labels: Record<string, string>;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ManagedContainer {
  id: string;
  name: string;
  image: string;
  state: string;
  labels: Record<string, string>;
}

export interface LogLine {
  stream: "stdout" | "stderr";
  line: string;
}

export interface LogOptions {
  follow?: boolean;
  /** Unix seconds or a Date: only lines after it. */
  since?: number | Date;
}

export interface ExecOptions {
  tty?: boolean;
  env?: Record<string, string>;
  user?: string;
  workdir?: string;
  /** Written to the command's standard input, which is then closed. */
  stdin?: string | Buffer;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * An attached command: a TTY session (a shell: raw bytes both ways, resizable), or without a TTY
 * its stdout and stderr apart (a command run over SSH, whose input may end).
 */
export interface ExecSession {
  /** The connection: write the command's input here; it closes when the command ends. */
  stream: Duplex;
  /** What the command prints (with a TTY, everything; the stream itself). */
  output: Readable;
  /** Its stderr without a TTY; null with one (the TTY mixes both). */
  errors: Readable | null;
  /** Tells the command its input has ended (without a TTY; with one, nothing). */
  endInput(): void;
  resize(size: { cols: number; rows: number }): Promise<void>;
  /** Resolves with the exit code once the command has ended. */
  exitCode(): Promise<number>;
}

export interface ContainerStats {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

/** A reading of a running container: CPU time used since it started (ns), and memory. */
export interface ContainerUsage {
  cpuUsageNs: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

export type NodeRole = "manager" | "worker";
/** Docker's node states: only `ready` takes work. */
export type NodeState = "ready" | "down" | "disconnected" | "unknown";
/** Docker's availability: `drain` moves its tasks away, `pause` only takes no new ones. */
export type NodeAvailability = "active" | "pause" | "drain";

/** A running piece of Gantry work on a node, by its labels, with what it uses when known. */
export interface NodeWork {
  /** The container's (one host) or service's (cluster) name. */
  name: string;
  project: string | null;
  branch: string | null;
  build: string | null;
  /** `serve` for a serving build; null for one-shot work (install, tests…). */
  role: string | null;
  /** CPU use over a short sample (100 = one CPU); null when it could not be read. */
  cpuPercent: number | null;
  memoryBytes: number | null;
}

/** A machine that runs work: this host alone, or a node of a cluster. */
export interface RuntimeNode {
  id: string;
  hostname: string;
  /** The pool it belongs to (its `gantry.pool` label on a cluster); null when unlabelled. */
  pool: string | null;
  role: NodeRole;
  state: NodeState;
  availability: NodeAvailability;
  /** Where the node answers (its address as the manager knows it); null when not reported. */
  address: string | null;
  cpus: number;
  memoryBytes: number;
  work: NodeWork[];
}

export interface NodesOptions {
  /** Read the work's CPU and memory use (default true). */
  use?: boolean;
}

/** Where a container runs: the node's id and hostname. */
export interface NodePlacement {
  nodeId: string;
  hostname: string;
}

export interface BuildImageOptions {
  buildArgs?: Record<string, string>;
  owner?: OwnerLabels;
  labels?: Record<string, string>;
  /** Each progress line of the build, as the engine reports it. */
  onProgress?: (line: string) => void;
}

export interface RunResult {
  exitCode: number;
  logs: LogLine[];
}

/**
 * A serving container found placed on another node than where it was last seen: its
 * `publishedAddress` changed (ask it again). `from` and `to` are the nodes' addresses.
 */
export interface PlacementMove {
  /** The container's name (as given to createContainer). */
  id: string;
  /**
   * Null when the watch had not seen it before: every serving container at the watch's first
   * look, and one that started and moved between two looks. Where it answered is then unknown.
   */
  from: string | null;
  to: string;
  /** The hostname of the node it runs on now. */
  node: string;
}

/**
 * What Gantry needs from a container engine. Docker implements it today; a Swarm or
 * Kubernetes implementation can follow the same shape.
 */
export interface ContainerRuntime {
  ping(): Promise<void>;
  version(): Promise<EngineVersion>;
  createContainer(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  stop(id: string, timeoutSeconds?: number): Promise<void>;
  remove(id: string, force?: boolean): Promise<void>;
  inspect(id: string): Promise<ContainerState>;
  wait(id: string): Promise<number>;
  logs(id: string, options?: LogOptions): Promise<Readable>;
  exec(id: string, cmd: string[], options?: ExecOptions): Promise<ExecResult>;
  /** A command attached both ways: with a TTY unless `tty` is false. */
  execInteractive(id: string, cmd: string[], options?: Omit<ExecOptions, "stdin">): Promise<ExecSession>;
  stats(id: string): Promise<ContainerStats>;
  /**
   * Where this machine reaches a running container's port published as `hostPort` (`host:port`):
   * the reverse proxy's upstream and the readiness checks' address. One host answers on
   * 127.0.0.1; a cluster on the address of the node the container runs on, which changes when
   * it is started again elsewhere (ask after each start).
   */
  publishedAddress(id: string, hostPort: number): Promise<string>;
  /**
   * Watches where serving containers (`gantry.role=serve`) run, and calls `moved` (one call at a
   * time) each time one is found on another node than before: a cluster rescheduled it by itself
   * (its node drained or lost), or it was started again elsewhere. On one host nothing moves and
   * `moved` is never called. `failed` hears each failed look (the watch goes on). Returns the
   * function that stops watching.
   */
  watchPlacements(
    moved: (move: PlacementMove) => Promise<void>,
    failed?: (error: unknown) => void,
  ): () => Promise<void>;
  /**
   * Readings of many running containers (names or ids) at once, cheaply: `stats` waits a second
   * for a second sample, this does not (CPU time is cumulative; the caller keeps the previous
   * reading). Read from the cgroup files when the engine is on this machine. Containers that
   * are gone or stopped are left out of the map.
   */
  usage(ids: readonly string[]): Promise<Map<string, ContainerUsage>>;
  /**
   * The machines work runs on, with the managed work running on each (nodes.ts). `use: false`
   * leaves out each work's CPU and memory (read on each node's engine): cheap enough to ask
   * every few seconds, and never waits on a node that does not answer.
   */
  nodes(options?: NodesOptions): Promise<RuntimeNode[]>;
  /**
   * Drains a node (its work moves elsewhere, none comes) or makes it take work again. A runtime
   * of one host has nowhere to move work to and refuses (NodeAvailabilityRefused).
   */
  setNodeAvailability(nodeId: string, availability: "active" | "drain"): Promise<RuntimeNode>;
  /** The node a running container is on; null when it is not running. */
  placement(id: string): Promise<NodePlacement | null>;
  listManaged(owner?: OwnerLabels): Promise<ManagedContainer[]>;
  removeManaged(owner?: OwnerLabels): Promise<string[]>;
  imageExists(tag: string): Promise<boolean>;
  /** The image's id (`sha256:…`), or null when the engine has no such image. */
  imageId(reference: string): Promise<string | null>;
  /** Gives an image (by id or reference) one more name `repository:tag`. */
  tagImage(reference: string, repository: string, tag: string): Promise<void>;
  buildImage(contextDir: string, tag: string, options?: BuildImageOptions): Promise<void>;
  run(spec: ContainerSpec): Promise<RunResult>;
  /** A build network (see networks.ts), created when missing. */
  ensureNetwork(spec: NetworkSpec): Promise<NetworkInfo>;
  /** Removes the owner's build networks; returns their names. */
  removeNetworks(owner: OwnerLabels): Promise<string[]>;
}
