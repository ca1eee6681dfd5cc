import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BackupError } from "../errors";
import { RESET_LINE, SqlGate } from "./gate";

const realDump = readFileSync(new URL("./fixtures/pg_dump-15.sql", import.meta.url));

/** Feeds `chunks` and returns everything released, the refusal if any, and the screen result. */
function feed(chunks: Buffer[]) {
  const gate = new SqlGate();
  const released: Buffer[] = [];
  try {
    for (const chunk of chunks) released.push(...gate.push(chunk));
    const { rest, result } = gate.end();
    released.push(...rest);
    return { released: Buffer.concat(released).toString(), result, refusal: undefined };
  } catch (error) {
    return { released: Buffer.concat(released).toString(), result: undefined, refusal: error as BackupError };
  }
}

function split(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= bytes.length) break;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) chunks.push(bytes.subarray(at));
  return chunks;
}

const RESET = RESET_LINE.toString();

describe("SqlGate", () => {
  it("holds a statement back until its end was screened", () => {
    const gate = new SqlGate();
    expect(Buffer.concat(gate.push(Buffer.from("CREATE TABLE t (\n  id integer\n"))).toString()).toBe("");
    expect(Buffer.concat(gate.push(Buffer.from(");\nCOPY t (id) FROM stdin;\n1\n2"))).toString()).toBe(
      `CREATE TABLE t (\n  id integer\n);\n${RESET}COPY t (id) FROM stdin;\n1\n`,
    );
    expect(Buffer.concat(gate.push(Buffer.from("\n\\.\n"))).toString()).toBe(`2\n\\.\n${RESET}`);
  });

  it("never releases any part of a refused statement, nor what follows it", () => {
    const dump = Buffer.from(
      "CREATE TABLE a (x int);\nCOPY (SELECT 1)\n  TO PROGRAM 'id'\n;\nCREATE TABLE b (x int);\n",
    );
    for (let size = 1; size <= dump.length; size++) {
      const { released, refusal } = feed(split(dump, Array(dump.length).fill(size)));
      expect(refusal?.code).toBe("SQL_FORBIDDEN");
      // At most the statement before it (less when one chunk held both: push then throws).
      expect(`CREATE TABLE a (x int);\n${RESET}`.startsWith(released)).toBe(true);
      if (size === 1) expect(released).toBe(`CREATE TABLE a (x int);\n${RESET}`);
    }
  });

  it("keeps an unterminated last statement back, and refuses it at the end", () => {
    const { released, refusal } = feed([Buffer.from("SET lock_timeout = 0;\nCOPY t TO PROGRAM 'id'")]);
    expect(released).toBe(`SET lock_timeout = 0;\n${RESET}`);
    expect(refusal?.code).toBe("SQL_FORBIDDEN");
  });

  it("leaves out pg_dump's restrict lines and ownership statements, pins settings after each statement", () => {
    const { released } = feed([
      Buffer.from(
        "\\restrict abc\nCREATE TABLE public.t (a int);\n-- Owner\nALTER TABLE public.t\n    OWNER TO odoo;\n\\unrestrict abc\n",
      ),
    ]);
    expect(released).toBe(`CREATE TABLE public.t (a int);\n${RESET}-- Owner\n`);
  });

  it("releases the dump with the same edits, whatever the chunking", () => {
    const whole = feed([realDump]);
    expect(whole.refusal).toBeUndefined();
    expect(whole.released).not.toContain("restrict");
    // One reset after each statement and after each COPY block's data.
    expect(whole.released.split(RESET).length - 1).toBe(whole.result!.statements);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 200 }), (sizes) => {
        const { released, result, refusal } = feed(split(realDump, sizes));
        expect(refusal).toBeUndefined();
        expect(released).toBe(whole.released);
        expect(result?.copyRows.get("public.t")).toBe(2);
      }),
      { numRuns: 100 },
    );
  });
});
