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
import { readFileSync, writeFileSync } from "node:fs";
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

/**
 * dockerode loads its BuildKit session (gRPC and protobuf, about 20 MB of an idle process) when
 * it is imported, for the one call that uses it: an image build with registry credentials
 * (buildImage with authconfig and the BuildKit version). The worker never makes that call, but
 * should it, the session is loaded then: the `require` moves into the function.
 */
const lazyDockerodeSession: Plugin = {
  name: "lazy-dockerode-session",
  setup(b) {
    b.onLoad({ filter: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const eager = "withSession = require('./session'),";
      if (!text.includes(eager)) throw new Error(`dockerode changed: ${eager} not found in ${args.path}`);
      return {
        contents: text.replace(eager, "withSession = (...a) => require('./session')(...a),"),
        loader: "js",
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
  plugins: [sourceUrls, lazyDockerodeSession],
  // Bundled CommonJS code calls require(): give the ES module one.
  banner: {
    js: "import { createRequire as __gantryRequire } from 'node:module'; const require = __gantryRequire(import.meta.url);",
  },
  logLevel: "warning",
});

/**
 * esbuild escapes non-ASCII characters in strings, regular expressions and names, but keeps
 * comments as written (a few dependencies' comments carry "±" or CJK). One such character makes
 * V8 hold the whole bundle's source as a two-byte string: 22 MB of the idle worker's heap for an
 * 11 MB file. Escaped, the source stays one byte per character; in a comment the escape means
 * nothing, and nowhere else is a non-ASCII character left.
 */
const bundle = join(outdir, "main.js");
const text = readFileSync(bundle, "utf8");
const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
if (ascii !== text) writeFileSync(bundle, ascii);
