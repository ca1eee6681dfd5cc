import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BackupError } from "../errors";
import { SqlScreener, screenSqlStream, screenSqlText } from "./screen";

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
    ["\\copy t to '/tmp/x'", "\\copy"],
    ["SELECT 1 \\gexec", "\\gexec"],
    ["CREATE ROLE evil SUPERUSER;", "statement CREATE ROLE"],
    ["alter role gantry password 'x';", "statement ALTER ROLE"],
    ["DROP ROLE gantry;", "statement DROP ROLE"],
    ["CREATE USER evil;", "statement CREATE USER"],
    ["CREATE DATABASE x;", "statement CREATE DATABASE"],
    ["DROP DATABASE gantry;", "statement DROP DATABASE"],
    ["ALTER SYSTEM SET log_statement = 'all';", "statement ALTER SYSTEM"],
    ["GRANT pg_execute_server_program TO PUBLIC;", "pg_execute_server_program"],
    ["GRANT gantry TO PUBLIC;", "statement GRANT GANTRY"],
    ["COPY t FROM PROGRAM 'id';", "statement COPY"],
    ["COPY (SELECT 1) TO PROGRAM 'sh';", "statement COPY"],
    ["COPY t FROM '/etc/passwd';", "statement COPY"],
    ["COPY public.t (a) FROM stdin WITH (FORMAT binary);", "COPY … FROM stdin not in pg_dump's form"],
    ["SELECT lo_import('/etc/passwd');", "lo_import"],
    ["SELECT pg_catalog.lo_export(1, '/tmp/x');", "lo_export"],
    ["SELECT 1;", "statement SELECT 1"],
    ["UPDATE pg_authid SET rolsuper = true;", "pg_authid"],
    ["UPDATE res_users SET password = 'x';", "statement UPDATE"],
    [`CREATE TABLE public.t (a text DEFAULT "pg_read_file"('/etc/passwd'));`, "pg_read_file"],
    ["CREATE TABLE public.t AS SELECT 1;", "statement CREATE TABLE"],
    ["CREATE TABLE public.t (a) AS SELECT 1;", "CREATE TABLE … AS"],
    ["CREATE EXTENSION plpython3u;", "extension plpython3u"],
    ["CREATE EXTENSION IF NOT EXISTS dblink WITH SCHEMA public;", "extension dblink"],
    ["CREATE TABLE public.t (a int);\nCREATE EXTENSION pg_trgm;", "after the dump's own objects"],
    ["CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION public.f();", "statement CREATE EVENT"],
    ["SET ROLE postgres;", "statement SET ROLE"],
    ["SET SESSION AUTHORIZATION postgres;", "statement SET SESSION"],
    ["SELECT pg_catalog.set_config('role', 'postgres', false);", "set_config"],
    ["SET standard_conforming_strings = off;", "statement SET STANDARD_CONFORMING_STRINGS"],
    ["SET client_encoding = 'SJIS';", "statement SET CLIENT_ENCODING"],
    ["DO $$ BEGIN EXECUTE 'COP'||'Y x TO PROG'||'RAM ''id'''; END $$;", "statement DO"],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE c AS '/tmp/x.so', 'f';", "language c"],
    [`CREATE FUNCTION public.f() RETURNS void LANGUAGE "c" AS '/tmp/x.so', 'f';`, "language c"],
    ["CREATE FUNCTION public.f() RETURNS int LANGUAGE plperlu AS $$ 1 $$;", "language plperlu"],
    [
      "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\nEND;",
      "body is not a string",
    ],
    ["CREATE FUNCTION public.begin() RETURNS int LANGUAGE sql AS $$ select 1 $$;", "BEGIN, CASE or END"],
    [
      "CREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql SECURITY DEFINER AS $$ begin return 1; end $$;",
      "SECURITY DEFINER",
    ],
    ["CREATE TABLE public.t (a int DEFAULT :'x');", "psql variable"],
    ["SET lock_timeout = 0; SELECT 1;", "a second statement"],
    ["BEGIN;", "statement BEGIN"],
    ["COMMIT;", "statement COMMIT"],
    ["SELECT 1", "unterminated"],
  ])("refuses %s", (text, expected) => {
    expect(refusal(text)).toContain(expected);
  });

  it("names the refused line", () => {
    expect(refusal("SET lock_timeout = 0;\n\n-- x\nCREATE ROLE evil;\n")).toMatch(/^dump\.sql line 4: /);
  });

  it("refuses NUL bytes, and bytes that are not UTF-8 outside COPY data", () => {
    expect(refusal("SET lock_timeout = 0;\nCOMMENT ON TABLE public.t IS 'a\0b';\n")).toContain(
      "line 2: a NUL",
    );
    const latin = Buffer.concat([
      Buffer.from("COPY public.t (a) FROM stdin;\n"),
      Buffer.from([0xc4, 10]),
      Buffer.from("\\.\nCOMMENT ON TABLE public.t IS '"),
      Buffer.from([0xc4, 0x27]),
      Buffer.from("';\n"),
    ]);
    const screener = new SqlScreener();
    expect(() => {
      screener.push(latin);
      screener.end();
    }).toThrow(/line 4: a line that is not UTF-8/);
  });

  it("does not let a string hide a fake COPY block", () => {
    // psql reads this as one SELECT whose string spans the COPY line, then a CREATE ROLE.
    const text =
      "COMMENT ON TABLE public.t IS 'x\nCOPY public.t (a) FROM stdin;\n';\nCREATE ROLE evil;\n\\.\n";
    expect(refusal(text)).toContain("CREATE ROLE");
  });

  it("screens what follows the end of a COPY block", () => {
    const text = "COPY public.t (a) FROM stdin;\nCREATE ROLE in_data\n\\.\nDROP DATABASE gantry;\n";
    expect(refusal(text)).toContain("DROP DATABASE");
    expect(
      screenSqlText("COPY public.t (a) FROM stdin;\nCREATE ROLE in_data\n\\.\n").copyRows.get("public.t"),
    ).toBe(1);
  });

  it("handles quotes, E-strings, dollar tags and comments", () => {
    const ok = [
      "COMMENT ON TABLE public.a IS E'it\\'s \\\\connect';",
      `COMMENT ON TABLE public."weird""name" IS 'x';`,
      "CREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql AS $tag$ \\connect ; $ COPY x TO PROGRAM 'id'; $tag$;",
      "/* \\connect /* nested */ CREATE ROLE x */ SET lock_timeout = 0;",
      "-- CREATE ROLE x\nSET lock_timeout = 0; -- \\!",
      "COMMENT ON COLUMN public.t.c IS 'Create user''s; set role';",
    ].join("\n");
    expect(screenSqlText(ok).statements).toBe(6);
    expect(refusal("SET lock_timeout = 0;\n\\! ls")).toContain("\\!");
    expect(refusal("COMMENT ON TABLE public.a IS E'\\'';\nCREATE ROLE x;")).toContain("CREATE ROLE");
  });

  it("accepts pg_dump's ownership, ACL and object statements", () => {
    const ok = [
      "CREATE SCHEMA extra;",
      "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;",
      "ALTER SCHEMA extra OWNER TO odoo;",
      "CREATE TABLE extra.t (id integer NOT NULL, n numeric GENERATED ALWAYS AS ((id * 2)) STORED);",
      "ALTER TABLE extra.t OWNER TO odoo;",
      "CREATE TYPE public.mood AS ENUM ('a', 'b');",
      "CREATE DOMAIN public.pos AS integer CHECK ((VALUE > 0));",
      "CREATE VIEW public.v AS SELECT t.id FROM extra.t;",
      "CREATE MATERIALIZED VIEW public.m AS SELECT 1 AS x WITH NO DATA;",
      "CREATE FUNCTION public.g(a integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ select a $$;",
      "ALTER FUNCTION public.g(a integer) OWNER TO odoo;",
      "CREATE INDEX t_idx ON extra.t USING gin (id);",
      "ALTER TABLE ONLY extra.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);",
      "CREATE TRIGGER tr AFTER INSERT ON extra.t FOR EACH ROW EXECUTE FUNCTION public.f();",
      "REVOKE ALL ON SCHEMA public FROM PUBLIC;",
      "GRANT SELECT,INSERT ON TABLE extra.t TO odoo_ro;",
      "ALTER DEFAULT PRIVILEGES FOR ROLE odoo IN SCHEMA public GRANT SELECT ON TABLES TO odoo_ro;",
      "REFRESH MATERIALIZED VIEW public.m;",
      "SELECT pg_catalog.setval('public.t_id_seq', 42, false);",
      "CREATE OPERATOR extra.= (FUNCTION = public.g, LEFTARG = integer, RIGHTARG = integer);",
      "CREATE OPERATOR public.<-> (FUNCTION = public.g, LEFTARG = integer, RIGHTARG = integer);",
    ].join("\n");
    expect(screenSqlText(ok).statements).toBe(21);
  });
});
