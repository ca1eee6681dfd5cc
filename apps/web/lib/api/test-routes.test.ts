import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pageExtensions } from "../../next.config";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "../../app");
const files = readdirSync(appDir, { recursive: true, encoding: "utf8" });

/** What Next makes of a file name with these extensions: its route name, or null. */
function routeName(file: string, extensions: string[]): string | null {
  const base = file.split(/[/\\]/).pop() ?? "";
  const match = new RegExp(`\\.(?:${extensions.map((e) => e.replace(/\./g, "\\.")).join("|")})$`).exec(base);
  return match ? base.slice(0, match.index) : null;
}

describe("test-only routes", () => {
  it("are compiled into a test-mode build only", () => {
    expect(routeName("api/v1/test/users/route.testonly.ts", pageExtensions(true))).toBe("route");
    expect(routeName("api/v1/test/users/route.testonly.ts", pageExtensions(false))).toBe("route.testonly");
    expect(routeName("api/v1/projects/route.ts", pageExtensions(false))).toBe("route");
  });

  it("are every route that only test mode may answer", () => {
    const guarded = files.filter(
      (file) => /\.tsx?$/.test(file) && readFileSync(join(appDir, file), "utf8").includes("testModeOnly("),
    );
    expect(guarded.length).toBeGreaterThan(0);
    for (const file of guarded) expect(file).toMatch(/route\.testonly\.ts$/);
  });
});
