import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BackupError } from "../errors";
import { screenSqlStream, screenSqlText } from "./screen";

// A real `pg_dump --no-owner` (15.18) of a small database: \restrict lines, an extension, a
// function body, a column comment reading like SQL, COPY rows that look like meta-commands.
const realDump = readFileSync(new URL("./fixtures/pg_dump-15.sql", import.meta.url), "utf8");

function refusal(text: string): string {
  try {
    screenSqlText(text);
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe("SQL_FORBIDDEN");
    return (error as BackupError).message;
  }
  throw new Error(`accepted: ${text}`);
}

describe("screenSqlText", () => {
  it("accepts a real plain pg_dump and counts its COPY rows", () => {
    const result = screenSqlText(realDump);
    expect(result.copyBlocks).toBe(1);
    expect(result.copyRows.get("public.t")).toBe(2);
    expect(result.dumpedBy).toBe("15.18");
  });

  it("gives the same result whatever the chunking", async () => {
    const bytes = Buffer.from(realDump);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const result = await screenSqlStream(Readable.from(chunks));
    expect(result.copyRows.get("public.t")).toBe(2);
    expect(result.statements).toBe(screenSqlText(realDump).statements);
  });

  it.each([
    ["\\connect other", "\\connect"],
    ["\\c other", "\\c"],
    ["\\! rm -rf /", "\\!"],
    ["\\i /etc/passwd", "\\i"],
    ["\\include x.sql", "\\include"],
    ["\\o /tmp/out", "\\o"],
    ["SELECT 1 \\gexec", "\\gexec"],
    ["CREATE ROLE evil SUPERUSER;", "ROLE"],
    ["alter role gantry password 'x';", "ROLE"],
    ["DROP ROLE gantry;", "ROLE"],
    ["CREATE USER evil;", "ROLE"],
    ["CREATE DATABASE x;", "DATABASE"],
    ["DROP DATABASE gantry;", "DATABASE"],
    ["ALTER SYSTEM SET log_statement = 'all';", "ALTER SYSTEM"],
    ["COPY t FROM PROGRAM 'id';", "COPY PROGRAM"],
    ["COPY (SELECT 1) TO PROGRAM 'sh';", "COPY PROGRAM"],
    ["COPY t FROM '/etc/passwd';", "COPY FILE"],
    ["SELECT lo_import('/etc/passwd');", "FILE ACCESS"],
    ["SELECT pg_catalog.lo_export(1, '/tmp/x');", "FILE ACCESS"],
    ["CREATE EXTENSION plpython3u;", "EXTENSION"],
    ["CREATE EXTENSION IF NOT EXISTS dblink WITH SCHEMA public;", "EXTENSION"],
    ["SET ROLE postgres;", "SET ROLE"],
    ["SET SESSION AUTHORIZATION postgres;", "SESSION AUTHORIZATION"],
    ["SELECT pg_catalog.set_config('role', 'postgres', false);", "SET_CONFIG"],
    ["SET standard_conforming_strings = off;", "STANDARD_CONFORMING"],
    ["DO $$ BEGIN EXECUTE 'CREATE ROLE x'; END $$;", "CODE BODY"],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE c AS '/tmp/x.so', 'f';", "LANGUAGE"],
    ["SELECT 1", "unterminated"],
  ])("refuses %s", (text, expected) => {
    expect(refusal(text)).toContain(expected);
  });

  it("does not let a string hide a fake COPY block", () => {
    // psql reads this as one SELECT whose string spans the COPY line, then a CREATE ROLE.
    const text = "SELECT 'x\nCOPY public.t (a) FROM stdin;\n'; CREATE ROLE evil;\n\\.\n";
    expect(refusal(text)).toContain("ROLE");
  });

  it("screens what follows the end of a COPY block", () => {
    const text = "COPY public.t (a) FROM stdin;\nCREATE ROLE in_data\n\\.\nDROP DATABASE gantry;\n";
    expect(refusal(text)).toContain("DATABASE");
    expect(
      screenSqlText("COPY public.t (a) FROM stdin;\nCREATE ROLE in_data\n\\.\n").copyRows.get("public.t"),
    ).toBe(1);
  });

  it("handles quotes, E-strings, dollar tags and comments", () => {
    const ok = [
      "SELECT E'it\\'s \\\\connect';",
      `SELECT "weird""name" FROM t;`,
      "SELECT $tag$ \\connect ; $ $tag$;",
      "/* \\connect /* nested */ CREATE ROLE x */ SELECT 1;",
      "-- CREATE ROLE x\nSELECT 1; -- \\!",
      "COMMENT ON COLUMN t.c IS 'Create user; set role';",
    ].join("\n");
    expect(screenSqlText(ok).statements).toBe(6);
    expect(refusal("SELECT 'a'; \\! ls")).toContain("\\!");
    expect(refusal("SELECT E'\\''; CREATE ROLE x;")).toContain("ROLE");
  });
});
