// A service's tasks, read from the manager: the latest one stands for "the container" of the
// service (its state, exit code, node and container id).
import type Docker from "dockerode";

/** The parts of a service's inspection Gantry reads. */
export interface ServiceInfo {
  ID: string;
  Version?: { Index?: number };
  Spec?: Docker.ServiceSpec;
}

/** The service's container spec (a service of Gantry's never runs a plugin). */
export function containerSpecOf(service: ServiceInfo): Docker.ContainerSpec | undefined {
  const template = service.Spec?.TaskTemplate;
  return template && "ContainerSpec" in template ? template.ContainerSpec : undefined;
}

export interface TaskView {
  id: string;
  state: string;
  desiredState: string;
  nodeId: string | null;
  containerId: string | null;
  exitCode: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
}

/** States after which a task never runs again (Swarm starts a new task instead). */
const terminal = new Set(["complete", "failed", "shutdown", "rejected", "orphaned", "remove"]);

export function isTerminal(task: TaskView): boolean {
  return isTerminalState(task.state);
}

export function isTerminalState(state: string): boolean {
  return terminal.has(state);
}

interface RawTask {
  ID: string;
  CreatedAt: string;
  Version?: { Index?: number };
  NodeID?: string;
  DesiredState?: string;
  Status?: {
    State?: string;
    Timestamp?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

function view(task: RawTask): TaskView {
  const state = task.Status?.State ?? "new";
  return {
    id: task.ID,
    state,
    desiredState: task.DesiredState ?? "",
    nodeId: task.NodeID || null,
    containerId: task.Status?.ContainerStatus?.ContainerID || null,
    exitCode: task.Status?.ContainerStatus?.ExitCode ?? null,
    error: task.Status?.Err || null,
    createdAt: task.CreatedAt,
    startedAt: state === "running" ? (task.Status?.Timestamp ?? null) : null,
  };
}

/** The service's tasks, newest first. */
export async function serviceTasks(docker: Docker, serviceId: string): Promise<TaskView[]> {
  const tasks = (await docker.listTasks({ filters: { service: [serviceId] } })) as RawTask[];
  // Swarm filters services by name prefix too: keep only this service's own tasks.
  const own = tasks.filter((t) => (t as { ServiceID?: string }).ServiceID === serviceId);
  own.sort(
    (a, b) => b.CreatedAt.localeCompare(a.CreatedAt) || (b.Version?.Index ?? 0) - (a.Version?.Index ?? 0),
  );
  return own.map(view);
}

/** The service's newest task, or null before the scheduler made one. */
export async function latestTask(docker: Docker, serviceId: string): Promise<TaskView | null> {
  return (await serviceTasks(docker, serviceId))[0] ?? null;
}

/** A finished task's exit code; a task that never started (rejected, no node) counts as failed. */
export function exitCodeOf(task: TaskView): number {
  if (task.exitCode !== null) return task.exitCode;
  return task.state === "complete" ? 0 : 1;
}
