/**
 * What a restored dump may not do. A plain `pg_dump --no-owner` of one Odoo database holds
 * none of these; an uploaded file that does is hostile or not a single-database dump.
 * Each rule sees a statement with comments removed, whitespace collapsed and upper-cased;
 * `code` has string literals blanked (so a column comment reading "Create user" is harmless),
 * `raw` keeps them (for function bodies and DO blocks, whose strings are code).
 */
export interface SqlRule {
  id: string;
  test: RegExp;
  on: "code" | "raw";
}

const ALLOWED_EXTENSIONS = [
  "PLPGSQL",
  "UNACCENT",
  "PG_TRGM",
  "BTREE_GIN",
  "BTREE_GIST",
  "FUZZYSTRMATCH",
  "UUID-OSSP",
  "PGCRYPTO",
  "VECTOR",
  "POSTGIS",
];

export const allowedExtensions: readonly string[] = ALLOWED_EXTENSIONS.map((e) => e.toLowerCase());

const dangerous: SqlRule[] = [
  { id: "role", test: /\b(CREATE|ALTER|DROP)\s+(ROLE|USER|GROUP)\b/, on: "code" },
  { id: "database", test: /\b(CREATE|ALTER|DROP)\s+DATABASE\b/, on: "code" },
  { id: "alter system", test: /\bALTER\s+SYSTEM\b/, on: "code" },
  { id: "copy program", test: /\bCOPY\b.*\b(FROM|TO)\s+PROGRAM\b/, on: "code" },
  { id: "set role", test: /\bSET\s+((LOCAL|SESSION)\s+)?ROLE\b/, on: "code" },
  { id: "session authorization", test: /\bSESSION\s+AUTHORIZATION\b/, on: "code" },
  {
    id: "file access function",
    test: /\b(LO_IMPORT|LO_EXPORT|PG_READ_FILE|PG_READ_BINARY_FILE|PG_LS_DIR|PG_STAT_FILE|PG_FILE_WRITE|DBLINK\w*)\s*\(/,
    on: "code",
  },
  { id: "load library", test: /^LOAD\b/, on: "code" },
  { id: "untrusted language", test: /\bLANGUAGE\s+'?(C|INTERNAL|PLPYTHON\w*|PLPERLU|PLTCLU)\b/, on: "code" },
  {
    id: "create language",
    test: /\bCREATE\s+(OR\s+REPLACE\s+)?(TRUSTED\s+)?(PROCEDURAL\s+)?LANGUAGE\b/,
    on: "code",
  },
  {
    id: "foreign server",
    test: /\bCREATE\s+(SERVER|SUBSCRIPTION|PUBLICATION|FOREIGN\s+DATA\s+WRAPPER|USER\s+MAPPING)\b/,
    on: "code",
  },
  { id: "set_config role", test: /\bSET_CONFIG\s*\(\s*'(ROLE|SESSION_AUTHORIZATION)'/, on: "raw" },
  // The screener's lexer assumes standard strings, as every pg_dump since 9.1 writes them.
  {
    id: "standard_conforming_strings off",
    test: /\bSTANDARD_CONFORMING_STRINGS\s*(=|TO)\s*'?OFF\b/,
    on: "raw",
  },
];

/** Returns the rule id a statement breaks, or undefined. */
export function forbiddenStatement(code: string, raw: string): string | undefined {
  for (const rule of dangerous) {
    if (rule.test.test(rule.on === "code" ? code : raw)) return rule.id;
  }
  // COPY may only stream through psql (STDIN/STDOUT); a file name would be read or written
  // by the server process itself.
  const copy = /^COPY\b.*\b(FROM|TO)\s+(\S+)/.exec(code);
  if (copy && !/^(STDIN|STDOUT)\b/.test(copy[2]!)) return "copy file";
  const extension = /\bCREATE\s+EXTENSION\s+(IF\s+NOT\s+EXISTS\s+)?("?)([\w-]+)\2/.exec(raw);
  if (extension && !ALLOWED_EXTENSIONS.includes(extension[3]!))
    return `extension ${extension[3]!.toLowerCase()}`;
  // Code bodies: a DO block or a function's body is run later by the server; screen the
  // text inside its strings as if it were a statement.
  if (/^DO\b|\bCREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\b/.test(code)) {
    for (const rule of dangerous) {
      if (rule.test.test(raw)) return `${rule.id} in code body`;
    }
  }
  return undefined;
}
