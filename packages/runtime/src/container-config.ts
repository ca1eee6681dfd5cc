import type { ContainerCreateOptions } from "dockerode";
import { buildLabels } from "./labels";
import { assertContainerName } from "./names";
import type { ContainerSpec } from "./types";

/**
 * Every container of Gantry runs code someone pushed, so it starts with no capabilities and
 * cannot gain privileges (setuid binaries, file capabilities); Odoo runs as an ordinary user
 * and needs none. Its process count is bounded so a fork bomb stays inside its container.
 */
export const DEFAULT_PIDS_LIMIT = 512;

const envKeyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

function envList(env: Record<string, string> = {}): string[] {
  return Object.entries(env).map(([key, value]) => {
    if (!envKeyPattern.test(key)) throw new Error(`invalid environment variable name ${JSON.stringify(key)}`);
    return `${key}=${value}`;
  });
}

/** Translates a spec into the engine's create options; ports only ever bind 127.0.0.1. */
export function containerCreateOptions(spec: ContainerSpec): ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports ?? []) {
    const key = `${port.containerPort}/${port.protocol ?? "tcp"}`;
    exposed[key] = {};
    bindings[key] = [...(bindings[key] ?? []), { HostIp: "127.0.0.1", HostPort: String(port.hostPort) }];
  }
  return {
    name: assertContainerName(spec.name),
    Image: spec.image,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    Env: envList(spec.env),
    Labels: buildLabels(spec.owner, spec.labels),
    User: spec.user,
    WorkingDir: spec.workdir,
    Tty: spec.tty ?? false,
    ExposedPorts: exposed,
    HostConfig: {
      NetworkMode: spec.networkMode,
      PortBindings: bindings,
      Mounts: (spec.mounts ?? []).map((mount) => ({
        Type: mount.type,
        Source: mount.source,
        Target: mount.target,
        ReadOnly: mount.readOnly ?? false,
      })),
      Memory: spec.memoryBytes,
      // Swap would let a container outgrow its memory limit: the limit is memory and swap.
      MemorySwap: spec.memoryBytes,
      NanoCpus: spec.cpus === undefined ? undefined : Math.round(spec.cpus * 1e9),
      PidsLimit: spec.pidsLimit ?? DEFAULT_PIDS_LIMIT,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges:true"],
    },
  };
}
