// The image of a test Swarm node (./node): built once, reused while its inputs are unchanged.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { docker, dockerQuiet } from "./docker-cli";

export const NODE_IMAGE = "gantry/swarm-node:test";
const BASE_IMAGE = "gantry/base:bookworm";
const contextDir = join(import.meta.dirname, "node");

function inputsHash(baseId: string): string {
  const hash = createHash("sha256").update(baseId);
  for (const file of readdirSync(contextDir).sort())
    hash.update(file).update(readFileSync(join(contextDir, file)));
  return hash.digest("hex").slice(0, 16);
}

export async function ensureNodeImage(): Promise<string> {
  const baseId = await docker(["image", "inspect", "--format", "{{.Id}}", BASE_IMAGE]);
  const hash = inputsHash(baseId);
  const current = await dockerQuiet([
    "image",
    "inspect",
    "--format",
    '{{index .Config.Labels "gantry.inputs"}}',
    NODE_IMAGE,
  ]);
  if (current !== hash) {
    await docker(["build", "--quiet", "--label", `gantry.inputs=${hash}`, "-t", NODE_IMAGE, contextDir]);
  }
  return NODE_IMAGE;
}
