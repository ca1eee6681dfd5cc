// Phase "image": the Odoo image of the branch's series. When the repository has a
// requirements.txt that the image does not already satisfy, a derived image with them
// installed by pip, cached by the hash of requirements + base image; pip's output (and its
// failure, e.g. no index reachable) goes to pip.log and fails the build, never swallowed.
import { createHash } from "node:crypto";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { config, ifExists } from "@gantry/config";
import { branchImage, revisionOf } from "@gantry/core";
import type { ContainerRuntime } from "@gantry/runtime";
import { odooLimits } from "../shared/limits";

export interface ImageResult {
  image: string;
  derived: boolean;
  requirements: string[];
  /** The revision of the series' image underneath (packages/core odoo-versions). */
  revision: string;
}

// Reads requirement lines and reports which ones the image's Python already has; prints
// one line per requirement like pip does, exits 3 when something is missing.
const CHECK_SCRIPT = `
import re, sys
from importlib import metadata
missing = 0
for raw in sys.argv[1:]:
    name = re.split(r"[<>=!~;\\[ ]", raw, 1)[0].strip()
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        try:
            version = metadata.version(name.replace("-", "_"))
        except metadata.PackageNotFoundError:
            version = None
    ok = version is not None
    if ok:
        try:
            from packaging.requirements import Requirement
            ok = Requirement(raw).specifier.contains(version, prereleases=True)
        except ImportError:
            pass
    if ok:
        print(f"Requirement already satisfied: {raw} ({version})")
    else:
        missing += 1
        print(f"Requirement not satisfied by the image: {raw}" + (f" (found {version})" if version else ""))
sys.exit(3 if missing else 0)
`;

export function requirementLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter((line) => line.length > 0);
}

export async function prepareImage(input: {
  runtime: ContainerRuntime;
  series: string;
  /** A revision the branch is pinned to; null follows the series' latest image. */
  pinnedRevision: string | null;
  src: string;
  pipLog: string;
  containerName: string;
  owner: { project: string; branch: string; build: string };
  /** The build's pool: its requirements check runs there, like the rest of its work. */
  pool: string;
}): Promise<ImageResult> {
  const base = branchImage(input.series, input.pinnedRevision);
  const imageId = await input.runtime.imageId(base);
  if (!imageId) {
    throw new Error(
      input.pinnedRevision
        ? `the pinned revision ${input.pinnedRevision} of Odoo ${input.series} (${base}) is not on this Docker Engine: pin another revision, or follow the latest`
        : `image ${base} is missing on this Docker Engine (build it with docker/build-images)`,
    );
  }
  const revision = revisionOf(imageId);
  const text = await ifExists(readFile(join(input.src, "requirements.txt"), "utf8"));
  const requirements = text === undefined ? [] : requirementLines(text);
  if (requirements.length === 0) return { image: base, derived: false, requirements, revision };
  if (requirements.some((line) => line.startsWith("-"))) {
    // Options (-r, -e, --index-url) need pip itself: no shortcut through the image's packages.
    return buildDerived(input, base, revision, text ?? "", requirements);
  }
  const check = await input.runtime.run({
    name: input.containerName,
    image: base,
    entrypoint: ["python3", "-c", CHECK_SCRIPT],
    cmd: requirements,
    owner: input.owner,
    labels: { "gantry.role": "requirements" },
    networkMode: "none",
    pool: input.pool,
    ...odooLimits(false),
  });
  await appendFile(input.pipLog, `${check.logs.map((l) => l.line).join("\n")}\n`);
  if (check.exitCode === 0) {
    await appendFile(input.pipLog, `${base} already satisfies requirements.txt: no derived image needed\n`);
    return { image: base, derived: false, requirements, revision };
  }
  return buildDerived(input, base, revision, text ?? "", requirements);
}

async function buildDerived(
  input: Parameters<typeof prepareImage>[0],
  base: string,
  revision: string,
  text: string,
  requirements: string[],
): Promise<ImageResult> {
  // Keyed by the revision too: a new image under the same tag gets its own derived image.
  const hash = createHash("sha256").update(`${base}@${revision}\n${text}`).digest("hex").slice(0, 16);
  const tag = `${config().ODOO_IMAGE}-req:${input.series}-${hash}`;
  if (await input.runtime.imageExists(tag)) {
    await appendFile(input.pipLog, `using cached image ${tag} (requirements + ${base})\n`);
    return { image: tag, derived: true, requirements, revision };
  }
  const context = await mkdtemp(join(tmpdir(), "gantry-req-"));
  try {
    await writeFile(join(context, "requirements.txt"), text);
    await writeFile(
      join(context, "Dockerfile"),
      [
        `FROM ${base}`,
        "USER root",
        "COPY requirements.txt /tmp/gantry-requirements.txt",
        "RUN python3 -m pip install --no-cache-dir -r /tmp/gantry-requirements.txt",
        "USER odoo",
        "",
      ].join("\n"),
    );
    await appendFile(input.pipLog, `building ${tag}: pip install -r requirements.txt on ${base}\n`);
    try {
      await input.runtime.buildImage(context, tag, {
        labels: { "gantry.requirements": hash },
        onProgress: (line) => void appendFile(input.pipLog, line.endsWith("\n") ? line : `${line}\n`),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await appendFile(input.pipLog, `pip install failed: ${message}\n`);
      throw new Error(`requirements.txt could not be installed (see pip.log): ${message}`);
    }
    return { image: tag, derived: true, requirements, revision };
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
