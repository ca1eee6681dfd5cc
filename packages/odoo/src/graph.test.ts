import { describe, expect, it } from "vitest";
import { fullInstallImageModules, GraphError, type GraphModule, ModuleGraph, planInstall } from "./graph";
import { templateKey } from "./template-key";

function mod(name: string, depends: string[], extra: Partial<GraphModule> = {}): GraphModule {
  return { name, depends, installable: true, autoInstall: false, origin: "repository", ...extra };
}

function graphError(run: () => unknown): GraphError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error("expected a GraphError");
}

const checkout = [
  mod("my_sale", ["sale_management", "web_responsive"]),
  mod("my_stock", ["my_sale", "stock"]),
  mod("my_report", ["my_stock"]),
  mod("my_old", ["base"], { installable: false }),
  mod("my_bridge", ["my_sale", "my_stock"], { autoInstall: true }),
  mod("web_responsive", ["web"], { origin: "submodule" }),
  mod("web_dialog", ["web"], { origin: "submodule" }),
];

const standard = new Map<string, string[]>([
  ["base", []],
  ["web", ["base"]],
  ["mail", ["base", "web"]],
  ["product", ["mail"]],
  ["sale", ["product"]],
  ["sale_management", ["sale"]],
  ["stock", ["product"]],
]);

describe("ModuleGraph", () => {
  it("orders installs dependencies first, stably", () => {
    const graph = new ModuleGraph(checkout, { standard });
    const order = graph.installOrder(["my_report"]);
    for (const [dep, mod] of [
      ["base", "web"],
      ["sale", "sale_management"],
      ["web_responsive", "my_sale"],
      ["my_sale", "my_stock"],
      ["stock", "my_stock"],
      ["my_stock", "my_report"],
    ]) {
      expect(order.indexOf(dep as string)).toBeLessThan(order.indexOf(mod as string));
    }
    expect(order.at(-1)).toBe("my_report");
    expect(graph.installOrder(["my_report"])).toEqual(order);
  });

  it("computes the dependency closure and tells standard modules from the checkout's", () => {
    const graph = new ModuleGraph(checkout, { standard });
    expect([...graph.closure(["my_stock"])].sort()).toEqual(
      [
        "base",
        "mail",
        "my_sale",
        "my_stock",
        "product",
        "sale",
        "sale_management",
        "stock",
        "web",
        "web_responsive",
      ].sort(),
    );
    expect(graph.isStandard("sale")).toBe(true);
    expect(graph.isStandard("not_anywhere")).toBe(true);
    expect(graph.isStandard("web_responsive")).toBe(false);
  });

  it("reports missing dependencies by name when the image's modules are known", () => {
    const graph = new ModuleGraph([...checkout, mod("my_hr", ["hr_holidays", "nope"])], { standard });
    const error = graphError(() => graph.installOrder(["my_hr"]));
    expect(error.kind).toBe("missing");
    expect(error.message).toBe("missing dependencies: my_hr depends on hr_holidays; my_hr depends on nope");
  });

  it("assumes unknown dependencies come from the image when it is not described", () => {
    const graph = new ModuleGraph([mod("my_hr", ["hr_holidays"])]);
    expect(graph.installOrder(["my_hr"])).toEqual(["hr_holidays", "my_hr"]);
  });

  it("reports cycles naming the modules", () => {
    const graph = new ModuleGraph([mod("a", ["b"]), mod("b", ["c"]), mod("c", ["a"]), mod("d", ["a"])]);
    const error = graphError(() => graph.installOrder(["d"]));
    expect(error.kind).toBe("cycle");
    expect(error.message).toBe("dependency cycle: a -> b -> c -> a");
    expect(error.modules).toEqual(["a", "b", "c"]);
  });

  it("refuses modules that depend on a non-installable one", () => {
    const graph = new ModuleGraph([...checkout, mod("my_new", ["my_old"])], { standard });
    const error = graphError(() => graph.installOrder(["my_new"]));
    expect(error.kind).toBe("not-installable");
    expect(error.message).toContain("my_new depends on my_old");
  });

  it("finds the checkout modules Odoo auto-installs", () => {
    const graph = new ModuleGraph(checkout, { standard });
    expect(graph.autoInstalled(graph.closure(["my_stock"]))).toEqual(["my_bridge"]);
    expect(graph.autoInstalled(graph.closure(["my_sale"]))).toEqual([]);
    const listed = new ModuleGraph([mod("x", ["sale", "stock"], { autoInstall: ["sale"] })], { standard });
    expect(listed.autoInstalled(listed.closure(["sale"]))).toEqual(["x"]);
  });
});

describe("planInstall", () => {
  const graph = new ModuleGraph(checkout, { standard });

  it("only my modules: the repository's installable modules, not the submodules'", () => {
    const plan = planInstall(graph, { mode: "mine" });
    expect(plan.modules).toEqual(["my_sale", "my_stock", "my_bridge", "my_report"]);
    expect(plan.dependencies).toEqual(["web_responsive"]);
    expect([...plan.standard].sort()).toEqual([
      "base",
      "mail",
      "product",
      "sale",
      "sale_management",
      "stock",
      "web",
    ]);
  });

  it("full installation: every installable module found", () => {
    const plan = planInstall(graph, { mode: "full" });
    expect([...plan.modules].sort()).toEqual(
      ["my_bridge", "my_report", "my_sale", "my_stock", "web_dialog", "web_responsive"].sort(),
    );
    expect(plan.dependencies).toEqual([]);
  });

  it("a given list, validated", () => {
    const plan = planInstall(graph, { mode: "list", modules: ["my_sale", "stock"] });
    expect(plan.modules).toEqual(["my_sale", "stock"]);
    expect(plan.dependencies).toEqual(["web_responsive"]);
    expect(graphError(() => planInstall(graph, { mode: "list", modules: ["ok", "rm -rf /"] })).kind).toBe(
      "invalid-name",
    );
    expect(graphError(() => planInstall(graph, { mode: "list", modules: ["my_old"] })).kind).toBe(
      "not-installable",
    );
    expect(graphError(() => planInstall(graph, { mode: "list", modules: ["hr"] })).kind).toBe("missing");
    expect(graphError(() => planInstall(graph, { mode: "list", modules: [] })).kind).toBe("empty");
  });
});

describe("templateKey", () => {
  it("is stable for the same set, whatever the order, and differs with series, demo, image, modules or owner", () => {
    const a = templateKey({ series: "17.0", demo: true, modules: ["sale", "stock", "base"] });
    const b = templateKey({ series: "17.0", demo: true, modules: ["stock", "sale", "sale"] });
    expect(a).toEqual(b);
    expect(a.modules).toEqual(["base", "sale", "stock"]);
    expect(a.databaseName).toMatch(/^tpl_17_0_demo_[0-9a-f]{16}$/);
    const others = [
      templateKey({ series: "18.0", demo: true, modules: ["sale", "stock"] }),
      templateKey({ series: "17.0", demo: false, modules: ["sale", "stock"] }),
      templateKey({ series: "17.0", demo: true, modules: ["sale"] }),
      templateKey({ series: "17.0", demo: true, modules: ["sale", "stock"], image: "sha256:abc" }),
      templateKey({ series: "17.0", demo: true, modules: ["sale", "stock"], owner: "0123456789ab" }),
    ];
    for (const other of others) expect(other.hash).not.toBe(a.hash);
    expect(templateKey({ series: "saas-18.3", demo: false, modules: [] }).databaseName).toMatch(
      /^tpl_saas_18_3_nodemo_/,
    );
  });

  it("two branches with the same dependency set share a template", () => {
    const plan1 = planInstall(new ModuleGraph([mod("one", ["sale"])], { standard }), { mode: "mine" });
    const plan2 = planInstall(
      new ModuleGraph([mod("two", ["sale_management"]), mod("three", ["sale"])], { standard }),
      {
        mode: "mine",
      },
    );
    const plan3 = planInstall(new ModuleGraph([mod("four", ["sale_management"])], { standard }), {
      mode: "mine",
    });
    const key = (standardModules: string[]) =>
      templateKey({ series: "18.0", demo: true, modules: standardModules }).hash;
    expect(key(plan2.standard)).toBe(key(plan3.standard));
    expect(key(plan1.standard)).not.toBe(key(plan2.standard));
  });
});

describe("fullInstallImageModules", () => {
  it("keeps the image's modules, not Odoo's own test modules nor malformed names", () => {
    expect(
      fullInstallImageModules(["account", "test_mail", "sale", "l10n_be", "bad name", "stock_test"]),
    ).toEqual(["account", "sale", "l10n_be", "stock_test"]);
  });
});
