import { describe, expect, it } from "vitest";
import { buildLogComplete } from "./log-tail";

const serving = { status: "DONE", servingAt: new Date(), cleanedAt: null };

describe("when a build log's tail ends", () => {
  it("never while the build serves, for the logs serving writes", () => {
    for (const file of ["odoo.log", "access.log", "pg_slow_queries.log", "webshell.log"] as const)
      expect(buildLogComplete(serving, file)).toBe(false);
  });

  it("once the build ended, for a phase's log; once cleaned, for every log", () => {
    expect(buildLogComplete(serving, "install.log")).toBe(true);
    expect(buildLogComplete({ ...serving, status: "RUNNING" }, "install.log")).toBe(false);
    expect(buildLogComplete({ ...serving, cleanedAt: new Date() }, "odoo.log")).toBe(true);
    expect(buildLogComplete({ ...serving, status: "CANCELLED" }, "odoo.log")).toBe(true);
  });
});
