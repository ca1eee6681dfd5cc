import { describe, expect, it } from "vitest";
import { MAX_STATEMENT_CHARS, parseSlowQuery } from "./slow-log";

// A jsonlog entry as PostgreSQL 15 writes it (fields trimmed).
const entry = (message: string, dbname = "gantry_b_abc", user = "gantry_b_abc") =>
  JSON.stringify({
    timestamp: "2026-12-07 00:15:54.123 UTC",
    user,
    dbname,
    pid: 1234,
    error_severity: "LOG",
    message,
    backend_type: "client backend",
  });

describe("slow statements from PostgreSQL's JSON log", () => {
  it("reads the duration, database, role and statement", () => {
    const query = parseSlowQuery(entry("duration: 1501.617 ms  statement: SELECT pg_sleep(1.5)"));
    expect(query).toEqual({
      at: new Date("2026-12-07T00:15:54.123Z"),
      database: "gantry_b_abc",
      user: "gantry_b_abc",
      durationMs: 1501.617,
      statement: "SELECT pg_sleep(1.5)",
    });
  });

  it("reads the extended protocol's execute entries", () => {
    expect(parseSlowQuery(entry("duration: 2000.1 ms  execute <unnamed>: SELECT 1"))?.statement).toBe(
      "SELECT 1",
    );
  });

  it("keeps a statement with newlines inside its own entry, capped", () => {
    const forged = `SELECT 1 /*\n2026-12-07 00:00:00 UTC [1] gantry_b_victim@gantry_b_victim LOG: duration: 1 ms statement: x */${"y".repeat(5000)}`;
    const query = parseSlowQuery(entry(`duration: 1200.0 ms  statement: ${forged}`, "gantry_b_tenant"));
    expect(query?.database).toBe("gantry_b_tenant");
    expect(query?.statement.length).toBe(MAX_STATEMENT_CHARS);
  });

  it("skips every other entry", () => {
    expect(parseSlowQuery(entry("connection authorized: user=x database=y"))).toBeNull();
    expect(parseSlowQuery(JSON.stringify({ message: "duration: 1 ms  statement: x" }))).toBeNull();
    expect(parseSlowQuery("2026-12-07 00:15:54.123 UTC [1] LOG:  duration: 1 ms  statement: x")).toBeNull();
  });
});
