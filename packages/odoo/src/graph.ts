// The module dependency graph of a checkout, plus what the image provides ("standard"
// modules: every dependency not found in the checkout). Orders installs, finds missing
// dependencies and cycles, and picks the modules to install for a branch setting.
import type { DiscoveredModule } from "./addons";
import { effectiveDepends } from "./manifest";

export type ModuleOrigin = "repository" | "submodule" | "standard";

export interface GraphModule {
  name: string;
  depends: string[];
  installable: boolean;
  autoInstall: boolean | string[];
  origin: ModuleOrigin;
}

export class GraphError extends Error {
  constructor(
    message: string,
    readonly kind: "missing" | "cycle" | "not-installable" | "invalid-name" | "empty",
    readonly modules: string[],
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export const MODULE_NAME_PATTERN = /^[A-Za-z0-9_]{1,128}$/;

export interface GraphOptions {
  /**
   * What the image provides: module names, or names with their dependencies (then the
   * closure follows them). Without it, every dependency outside the checkout is assumed
   * to be provided by the image and nothing can be reported missing.
   */
  standard?: Iterable<string> | ReadonlyMap<string, readonly string[]>;
}

export class ModuleGraph {
  private readonly modules = new Map<string, GraphModule>();
  private readonly standardKnown: boolean;

  constructor(checkoutModules: readonly GraphModule[], options: GraphOptions = {}) {
    // The first occurrence wins, as in Odoo's addons path.
    for (const module of checkoutModules)
      if (!this.modules.has(module.name)) this.modules.set(module.name, module);
    this.standardKnown = options.standard !== undefined;
    const standard = options.standard;
    if (standard !== undefined) {
      const entries: [string, readonly string[] | undefined][] =
        standard instanceof Map
          ? [...standard.entries()]
          : [...(standard as Iterable<string>)].map((n) => [n, undefined]);
      for (const [name, depends] of entries) {
        if (this.modules.has(name)) continue;
        const deps = depends ? effectiveDepends(name, { depends: [...depends] }) : [];
        this.modules.set(name, {
          name,
          depends: deps,
          installable: true,
          autoInstall: false,
          origin: "standard",
        });
      }
    }
  }

  static fromDiscovery(modules: readonly DiscoveredModule[], options: GraphOptions = {}): ModuleGraph {
    return new ModuleGraph(
      modules.map((module) => ({
        name: module.name,
        depends: effectiveDepends(module.name, module.manifest),
        installable: module.manifest.installable,
        autoInstall: module.manifest.auto_install,
        origin: module.fromSubmodule ? "submodule" : "repository",
      })),
      options,
    );
  }

  get(name: string): GraphModule | undefined {
    return this.modules.get(name);
  }

  /** Modules of the checkout (repository and submodules), in name order. */
  checkoutModules(): GraphModule[] {
    return [...this.modules.values()].filter((m) => m.origin !== "standard").sort(byName);
  }

  /** Whether a module is provided by the image rather than the checkout. */
  isStandard(name: string): boolean {
    const module = this.modules.get(name);
    return module === undefined || module.origin === "standard";
  }

  private isKnown(name: string): boolean {
    return this.modules.has(name) || !this.standardKnown;
  }

  /** The modules plus all their dependencies, transitively. Throws on missing or non-installable ones. */
  closure(names: Iterable<string>): Set<string> {
    const result = new Set<string>();
    const missing: string[] = [];
    const notInstallable: string[] = [];
    const stack = [...names].map((name) => ({ name, from: undefined as string | undefined }));
    while (stack.length > 0) {
      const { name, from } = stack.pop() as { name: string; from: string | undefined };
      if (result.has(name)) continue;
      if (!this.isKnown(name)) {
        missing.push(from ? `${from} depends on ${name}` : name);
        continue;
      }
      const module = this.modules.get(name);
      if (module && !module.installable) {
        notInstallable.push(from ? `${from} depends on ${name}` : name);
        continue;
      }
      result.add(name);
      for (const dep of module?.depends ?? []) stack.push({ name: dep, from: name });
    }
    if (missing.length > 0) {
      throw new GraphError(`missing dependencies: ${missing.sort().join("; ")}`, "missing", missing);
    }
    if (notInstallable.length > 0) {
      throw new GraphError(
        `not installable: ${notInstallable.sort().join("; ")}`,
        "not-installable",
        notInstallable,
      );
    }
    return result;
  }

  /**
   * Dependencies first; ties broken by name so the order is stable. Throws GraphError
   * naming the modules of a cycle.
   */
  installOrder(names: Iterable<string>): string[] {
    const set = this.closure(names);
    const order: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const path: string[] = [];
    const visit = (name: string): void => {
      const seen = state.get(name);
      if (seen === "done") return;
      if (seen === "visiting") {
        const cycle = [...path.slice(path.indexOf(name)), name];
        throw new GraphError(`dependency cycle: ${cycle.join(" -> ")}`, "cycle", cycle.slice(0, -1));
      }
      state.set(name, "visiting");
      path.push(name);
      for (const dep of [...(this.modules.get(name)?.depends ?? [])].sort()) if (set.has(dep)) visit(dep);
      path.pop();
      state.set(name, "done");
      order.push(name);
    };
    for (const name of [...set].sort()) visit(name);
    return order;
  }

  /**
   * Checkout modules Odoo would install on its own once `installed` is: `auto_install: True`
   * when all dependencies are there, or a list naming the ones that trigger it.
   */
  autoInstalled(installed: Iterable<string>): string[] {
    const have = new Set(installed);
    let changed = true;
    while (changed) {
      changed = false;
      for (const module of this.modules.values()) {
        if (module.origin === "standard" || have.has(module.name) || !module.installable) continue;
        if (module.autoInstall === false) continue;
        const triggers = module.autoInstall === true ? module.depends : module.autoInstall;
        if (triggers.every((dep) => have.has(dep)) && module.depends.every((dep) => this.isKnown(dep))) {
          for (const dep of this.closure([module.name])) have.add(dep);
          changed = true;
        }
      }
    }
    const before = new Set(installed);
    return [...have].filter((name) => !before.has(name) && !this.isStandard(name)).sort();
  }
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export type InstallSetting =
  | { mode: "mine" }
  | { mode: "full" }
  | { mode: "list"; modules: readonly string[] };

export interface InstallPlan {
  /** The modules asked for (what `-i` gets, and whose tests run), in install order. */
  modules: string[];
  /** Checkout modules needed by them but not asked for (e.g. from submodules), in install order. */
  dependencies: string[];
  /** Image modules in the closure: what a template database holds. Always includes base. */
  standard: string[];
  /** The whole closure, dependencies first. */
  order: string[];
}

/** Picks and orders the modules to install for a branch's setting. */
export function planInstall(graph: ModuleGraph, setting: InstallSetting): InstallPlan {
  let selected: string[];
  switch (setting.mode) {
    case "mine":
      // The repository's own installable modules, not those of submodules.
      selected = graph
        .checkoutModules()
        .filter((m) => m.origin === "repository" && m.installable)
        .map((m) => m.name);
      break;
    case "full":
      selected = graph
        .checkoutModules()
        .filter((m) => m.installable)
        .map((m) => m.name);
      break;
    case "list": {
      const invalid = setting.modules.filter((name) => !MODULE_NAME_PATTERN.test(name));
      if (invalid.length > 0) {
        throw new GraphError(
          `invalid module names: ${invalid.map((n) => JSON.stringify(n)).join(", ")}`,
          "invalid-name",
          invalid,
        );
      }
      const notInstallable = setting.modules.filter((name) => graph.get(name)?.installable === false);
      if (notInstallable.length > 0) {
        throw new GraphError(
          `not installable: ${notInstallable.join(", ")}`,
          "not-installable",
          notInstallable,
        );
      }
      selected = [...new Set(setting.modules)];
      if (selected.length === 0) throw new GraphError("the module list is empty", "empty", []);
      break;
    }
  }
  const order = graph.installOrder(selected.length > 0 ? selected : ["base"]);
  const chosen = new Set(selected);
  return {
    modules: order.filter((name) => chosen.has(name)),
    dependencies: order.filter((name) => !chosen.has(name) && !graph.isStandard(name)),
    standard: [...new Set(["base", ...order.filter((name) => !chosen.has(name) && graph.isStandard(name))])],
    order,
  };
}

/**
 * The image's modules a full installation adds: those Odoo listed as installable and not
 * installed, except Odoo's own test modules (`test_*`, category Hidden/Tests), which the image
 * ships for Odoo's CI and no database of a project holds (the official 18.0 image has 45).
 */
export function fullInstallImageModules(uninstalled: readonly string[]): string[] {
  return uninstalled.filter((name) => MODULE_NAME_PATTERN.test(name) && !name.startsWith("test_"));
}
