// `__manifest__.py`: read as a Python dict literal (never executed), then validated.
import { open } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { type LiteralLimits, PythonLiteralError, parsePythonLiteral } from "./python-literal";

export const MANIFEST_FILE = "__manifest__.py";

/** Manifests are small; anything near this size is hostile or broken. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

const stringList = z.array(z.string());

// Defaults are the ones Odoo applies when it loads a manifest (odoo.modules.module).
export const manifestSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().default("1.0"),
  summary: z.string().default(""),
  description: z.string().default(""),
  author: z.string().optional(),
  website: z.string().optional(),
  category: z.string().default("Uncategorized"),
  license: z.string().default("LGPL-3"),
  depends: stringList.default([]),
  data: stringList.default([]),
  demo: stringList.default([]),
  external_dependencies: z
    .looseObject({ python: stringList.optional(), bin: stringList.optional() })
    .default({}),
  installable: z.boolean().default(true),
  // True/False, or (since 17.0) the list of dependencies whose installation triggers it.
  auto_install: z.union([z.boolean(), stringList]).default(false),
  application: z.boolean().default(false),
  sequence: z.number().optional(),
  pre_init_hook: z.string().optional(),
  post_init_hook: z.string().optional(),
  uninstall_hook: z.string().optional(),
  assets: z.record(z.string(), z.unknown()).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = "ManifestError";
  }
}

/** Parses manifest source text: a literal dict, validated against the schema. */
export function parseManifest(source: string, file?: string, limits: Partial<LiteralLimits> = {}): Manifest {
  let value: unknown;
  try {
    value = parsePythonLiteral(source, { maxLength: MAX_MANIFEST_BYTES, ...limits });
  } catch (error) {
    if (error instanceof PythonLiteralError) throw new ManifestError(error.message, file, error.line);
    throw error;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ManifestError("a manifest must be a dict literal", file);
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new ManifestError(`invalid manifest: ${issues.join("; ")}`, file);
  }
  return parsed.data;
}

/** The dependencies Odoo uses for a module: an empty list means `base` (except for base). */
export function effectiveDepends(moduleName: string, manifest: Pick<Manifest, "depends">): string[] {
  if (manifest.depends.length === 0 && moduleName !== "base") return ["base"];
  return [...manifest.depends];
}

/**
 * Reads `<moduleDir>/__manifest__.py`, refusing files over the size bound before reading
 * them whole (a 10 MB manifest never gets into memory).
 */
export async function readManifest(moduleDir: string, limits: { maxBytes?: number } = {}): Promise<Manifest> {
  const file = join(moduleDir, MANIFEST_FILE);
  const maxBytes = limits.maxBytes ?? MAX_MANIFEST_BYTES;
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new ManifestError(`manifest larger than ${maxBytes} bytes (${size})`, file);
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) throw new ManifestError(`manifest larger than ${maxBytes} bytes`, file);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, bytesRead));
    } catch {
      throw new ManifestError("manifest is not valid UTF-8", file);
    }
    return parseManifest(text, file, { maxLength: maxBytes });
  } finally {
    await handle.close();
  }
}
