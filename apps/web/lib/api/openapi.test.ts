import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openapiDocument } from "./openapi";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "../../app");
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every app/api route file as [OpenAPI path, exported HTTP methods]. */
function routeFiles(): [string, string[]][] {
  const files = readdirSync(join(appDir, "api"), { recursive: true, encoding: "utf8" })
    .filter((file) => /(^|[/\\])route(\.testonly)?\.ts$/.test(file))
    .map((file) => join(appDir, "api", file));
  return files
    .map((file): [string, string[]] => {
      const segments = relative(appDir, dirname(file)).split(sep);
      const path = `/${segments.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}`;
      const source = readFileSync(file, "utf8");
      const exported = methods.filter((m) =>
        new RegExp(`export (const|async function|function) ${m}\\b`).test(source),
      );
      return [path, exported];
    })
    .filter(([path]) => !path.includes("[...")); // the JSON 404 fallback is no endpoint
}

describe("OpenAPI document", () => {
  const document = openapiDocument();

  it("is an OpenAPI 3.1 document with the error schema", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components?.schemas?.Error).toBeDefined();
  });

  it("has every route file under app/api with each method it exports", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const [path, exported] of files) {
      expect(exported.length, `${path} exports no HTTP method`).toBeGreaterThan(0);
      for (const method of exported) {
        expect(document.paths?.[path]?.[method.toLowerCase() as "get"], `${method} ${path}`).toBeDefined();
      }
    }
  });

  it("documents no endpoint that has no route file", () => {
    const served = new Set(routeFiles().flatMap(([path, ms]) => ms.map((m) => `${m.toLowerCase()} ${path}`)));
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of Object.keys(item ?? {}))
        expect(served, `${method} ${path}`).toContain(`${method} ${path}`);
    }
  });

  it("documents the error answers with the shared error schema", () => {
    const operation = document.paths?.["/api/v1/system/diagnostics/{jobId}"]?.get;
    const notFound = operation?.responses?.["404"] as { content: Record<string, { schema: unknown }> };
    expect(notFound.content["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Error" });
    expect(operation?.parameters).toEqual([
      expect.objectContaining({ name: "jobId", in: "path", required: true }),
    ]);
  });
});
