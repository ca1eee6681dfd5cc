/**
 * Compiles the worker and the workspace packages it imports into one ES module, dist/main.js,
 * run by plain `node` in production (no TypeScript loader in front of it: less memory, no
 * start-up compilation). `pnpm --filter @gantry/worker build`; turbo runs it with `build`.
 *
 * The worker's own npm dependencies stay external: Node loads them from apps/worker/node_modules
 * as it does in development (native addons, worker threads and files read beside their code
 * stay where their packages expect them). The dependencies of the workspace packages, which
 * the worker's node_modules does not hold, are bundled.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "dist");
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};
const external = [
  ...Object.entries(pkg.dependencies)
    .filter(([, version]) => !version.startsWith("workspace:"))
    .map(([name]) => name),
  // ssh2's optional native addon, loaded by dockerode's modem when present.
  "cpu-features",
];

/**
 * Modules find files beside their source through `import.meta.url` (the shell's rc file, the
 * Gantry addon, the migrations folder). In one bundle every module would see dist/main.js
 * instead: each such module gets its own source file's URL back, written relative to the
 * bundle, so an installed copy of the tree resolves them within itself.
 */
const sourceUrls: Plugin = {
  name: "source-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const fromBundle = relative(outdir, args.path).split("\\").join("/");
      return {
        contents: text.replaceAll(
          "import.meta.url",
          `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
        ),
        loader: "ts",
      };
    });
  },
};

await build({
  entryPoints: [join(here, "src/main.ts")],
  outfile: join(outdir, "main.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external,
  plugins: [sourceUrls],
  // Bundled CommonJS code calls require(): give the ES module one.
  banner: {
    js: "import { createRequire as __gantryRequire } from 'node:module'; const require = __gantryRequire(import.meta.url);",
  },
  logLevel: "warning",
});
