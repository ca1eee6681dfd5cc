import { describe, expect, it } from "vitest";
import { databaseConnectionLost, databaseLostReason } from "./database-lost";

describe("databaseConnectionLost", () => {
  it("finds psycopg2's and the server's words for a lost server", () => {
    expect(
      databaseConnectionLost("psycopg2.OperationalError: server closed the connection unexpectedly"),
    ).toBe("server closed the connection unexpectedly");
    expect(databaseConnectionLost("FATAL:  terminating connection due to administrator command")).toBe(
      "terminating connection due to administrator command",
    );
    expect(databaseConnectionLost("FATAL:  the database system is starting up")).toBe(
      "the database system is starting up",
    );
    expect(
      databaseConnectionLost('connection to server at "10.213.0.1", port 5433 failed: Connection refused'),
    ).toMatch(/^connection to server at/);
  });

  it("leaves ordinary failures alone", () => {
    expect(databaseConnectionLost("FAIL: test_budget (odoo.addons.acme_base.tests)")).toBeNull();
    expect(databaseConnectionLost('psycopg2.errors.UndefinedTable: relation "x" does not exist')).toBeNull();
  });

  it("says what happened and what to do", () => {
    const reason = databaseLostReason("server closed the connection unexpectedly");
    expect(reason).toContain("database server");
    expect(reason).toContain("restarted");
    expect(reason).toContain("build again");
  });
});
