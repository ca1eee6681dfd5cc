// The boundaries of Gantry's code, checked by `./scripts/test` (lint suite): the package graph
// runs one way, apps -> core -> packages -> config, and the web process never reaches the
// Docker Engine (only workers do; the web reads what they report).
const pkg = (names) => `^packages/(${names})/`;
const lower = "backup|db|git|github|odoo|queue|runtime|secrets|postgres";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "A module that reaches itself through its imports has no clear layer.",
      from: {},
      to: { circular: true },
    },
    {
      name: "packages-below-apps",
      severity: "error",
      comment: "Packages are what the apps are made of; they never import an app.",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "apps-apart",
      severity: "error",
      comment: "The web and the worker are separate processes; they share code only through packages.",
      from: { path: "^apps/([^/]+)/" },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "packages-by-name",
      severity: "error",
      comment: "Code crosses into another package by its name, so its package.json declares the edge.",
      from: { path: "^(apps|packages)/([^/]+)/" },
      to: { path: "^(apps|packages)/", pathNot: "^$1/$2/", dependencyTypes: ["local"] },
    },
    {
      name: "core-above-packages",
      severity: "error",
      comment: "Core composes the packages; a package below it never imports core.",
      from: { path: pkg(lower) },
      to: { path: pkg("core") },
    },
    {
      name: "config-at-the-bottom",
      severity: "error",
      comment: "Config reads the environment and depends on no other Gantry package.",
      from: { path: pkg("config") },
      to: { path: pkg(`core|${lower}`) },
    },
    {
      name: "web-never-docker",
      severity: "error",
      comment: "The web process holds no Docker socket: nothing it loads may reach dockerode.",
      from: { path: "^apps/web/" },
      to: { path: "(^|/)node_modules/(\\.pnpm/)?dockerode|^packages/runtime/", reachable: true },
    },
    {
      name: "core-never-docker",
      severity: "error",
      comment: "Core is loaded by the web too; Docker is driven by the worker alone.",
      from: { path: pkg("core") },
      to: { path: "(^|/)node_modules/(\\.pnpm/)?dockerode|^packages/runtime/", reachable: true },
    },
    {
      name: "declared-dependencies",
      severity: "error",
      comment: "An import of a package its package.json does not declare works by accident.",
      // Test files use the workspace's test runner, declared once at the root.
      from: { path: "^(apps|packages)/", pathNot: "\\.test\\.tsx?$" },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "resolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Generated, not written: Next's build output, the Prisma client, next-env.d.ts.
    exclude: { path: "(^|/)(\\.next|generated)/|next-env\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    // Only the web has a path alias (@/); its tsconfig resolves the rest as the root one would.
    tsConfig: { fileName: require("node:path").join(__dirname, "apps/web/tsconfig.json") },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    combinedDependencies: false,
  },
};
