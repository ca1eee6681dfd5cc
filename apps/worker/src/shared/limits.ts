// What an Odoo container may use. Every container that runs a project's code gets a memory and
// CPU limit (install and tests too, not only serving): a module that leaks or spins stays inside
// its share. Production's share is its own setting; upgrades work on copies of production.
import { config } from "@gantry/config";
import type { ContainerSpec } from "@gantry/runtime";

const MB = 1024 * 1024;

export interface Limits {
  memoryBytes: number;
  cpus: number;
}

export function odooLimits(production: boolean): Limits {
  const c = config();
  return production
    ? { memoryBytes: c.BUILD_PROD_MEMORY_MB * MB, cpus: c.BUILD_PROD_CPUS }
    : { memoryBytes: c.BUILD_MEMORY_MB * MB, cpus: c.BUILD_CPUS };
}

/** The spec with the given limits where it names none. */
export function withLimits(spec: ContainerSpec, production = false): ContainerSpec {
  const limits = odooLimits(production);
  return { ...spec, memoryBytes: spec.memoryBytes ?? limits.memoryBytes, cpus: spec.cpus ?? limits.cpus };
}
