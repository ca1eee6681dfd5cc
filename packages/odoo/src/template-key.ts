// Development builds clone a template database holding the image's modules they need
// (with or without demo data), then install only the repository's modules. Two builds with
// the same set share a template: the key is a hash of what makes the database different.
import { createHash } from "node:crypto";
import { parseSeries, type Series, seriesName } from "./series";

export interface TemplateKeyInput {
  series: Series | string;
  demo: boolean;
  /** The non-repository modules needed (InstallPlan.standard); order and duplicates do not matter. */
  modules: Iterable<string>;
  /** The image (id or digest) the template is built with: another image, another template. */
  image?: string;
  /**
   * The Gantry instance that owns it (instanceId): instances sharing a database cluster never
   * share, nor drop and rebuild, each other's templates.
   */
  owner?: string;
}

export interface TemplateKey {
  /** sha256 hex of the canonical description. */
  hash: string;
  /** A PostgreSQL-safe database name (lowercase, under 63 bytes). */
  databaseName: string;
  series: string;
  demo: boolean;
  modules: string[];
}

export function templateKey(input: TemplateKeyInput): TemplateKey {
  const series = seriesName(typeof input.series === "string" ? parseSeries(input.series) : input.series);
  // base is always there: `-i base` is how a database starts.
  const modules = [...new Set(["base", ...input.modules])].sort();
  const canonical = JSON.stringify({
    v: 1,
    series,
    demo: input.demo,
    image: input.image ?? null,
    modules,
    ...(input.owner ? { owner: input.owner } : {}),
  });
  const hash = createHash("sha256").update(canonical).digest("hex");
  const tag = series.replace(/[^0-9a-z]+/g, "_");
  return {
    hash,
    databaseName: `tpl_${tag}_${input.demo ? "demo" : "nodemo"}_${hash.slice(0, 16)}`,
    series,
    demo: input.demo,
    modules,
  };
}
