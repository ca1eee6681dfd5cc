// A ContainerSpec as a Swarm service. Serving work is a replicated service created with no
// replica (asleep) and scaled to one to run; one-shot work is a `replicated-job` that runs once
// to completion. Limits and labels are the ones a container gets on one host.
import type Docker from "dockerode";
import { DEFAULT_PIDS_LIMIT } from "../container-config";
import { buildLabels } from "../labels";
import { assertContainerName } from "../names";
import type { ContainerSpec } from "../types";

/** The node label that names a node's pool (production, staging, development, …). */
export const POOL_NODE_LABEL = "gantry.pool";

/** Serving work carries this role label; everything else runs once. */
export const SERVE_ROLE = "serve";

export type ServiceKind = "serve" | "job";

export function kindOf(spec: ContainerSpec): ServiceKind {
  return spec.labels?.["gantry.role"] === SERVE_ROLE ? "serve" : "job";
}

const envKeyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const poolPattern = /^[a-z0-9][a-z0-9_-]*$/;
const singleHostModes = new Set(["bridge", "host", "none", "default"]);

function envList(env: Record<string, string> = {}): string[] {
  return Object.entries(env).map(([key, value]) => {
    if (!envKeyPattern.test(key)) throw new Error(`invalid environment variable name ${JSON.stringify(key)}`);
    return `${key}=${value}`;
  });
}

/** `image` is the reference the nodes pull (the registry's). */
export function serviceCreateOptions(spec: ContainerSpec, image: string): Docker.CreateServiceOptions {
  const kind = kindOf(spec);
  const labels = buildLabels(spec.owner, { ...spec.labels, "gantry.kind": kind });
  if (spec.pool !== undefined && !poolPattern.test(spec.pool)) {
    throw new Error(`invalid pool ${JSON.stringify(spec.pool)}`);
  }
  const network = spec.networkMode && !singleHostModes.has(spec.networkMode) ? spec.networkMode : undefined;
  return {
    Name: assertContainerName(spec.name),
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Command: spec.entrypoint,
        Args: spec.cmd,
        Env: envList(spec.env),
        Labels: labels,
        User: spec.user,
        Dir: spec.workdir,
        TTY: spec.tty ?? false,
        Mounts: (spec.mounts ?? []).map((mount) => ({
          Type: mount.type,
          Source: mount.source,
          Target: mount.target,
          ReadOnly: mount.readOnly ?? false,
        })),
        // As on one host: pushed code runs with no capability (API 1.41 has no
        // no-new-privileges for services; dropping every capability is the part it has).
        CapabilityDrop: ["ALL"],
      },
      Resources: {
        Limits: {
          MemoryBytes: spec.memoryBytes,
          NanoCPUs: spec.cpus === undefined ? undefined : Math.round(spec.cpus * 1e9),
          Pids: spec.pidsLimit ?? DEFAULT_PIDS_LIMIT,
        },
        // What the scheduler counts a task as taking, so work spreads by free memory.
        Reservations: { MemoryBytes: spec.memoryReservationBytes },
      },
      // A serving build comes back when it dies or its node goes; one-shot work never reruns.
      RestartPolicy: kind === "serve" ? { Condition: "any", Delay: 1e9 } : { Condition: "none" },
      Placement: spec.pool ? { Constraints: [`node.labels.${POOL_NODE_LABEL}==${spec.pool}`] } : {},
      Networks: network ? [{ Target: network }] : [],
    },
    Mode:
      kind === "serve"
        ? { Replicated: { Replicas: 0 } }
        : { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } },
    // `host` mode: the port opens on the task's own node only, which the runtime reports as the
    // upstream (publishedAddress). Not the routing mesh: its `ingress` network is one network
    // joined by every service that publishes through it, where builds of all projects would
    // reach each other.
    EndpointSpec: {
      Ports: (spec.ports ?? []).map((port) => ({
        Protocol: port.protocol ?? "tcp",
        TargetPort: port.containerPort,
        PublishedPort: port.hostPort,
        PublishMode: "host" as const,
      })),
    },
  };
}
