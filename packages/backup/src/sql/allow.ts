/**
 * What a restored dump may say: an allow-list of the statements plain pg_dump (PostgreSQL
 * 12 to 17) writes for one database, in the shapes it writes them. Anything else is refused.
 *
 * Each statement arrives twice, comments removed, whitespace collapsed, upper-cased: `code`
 * with every string literal and dollar-quoted body blanked to `''` (a column comment reading
 * "DROP TABLE" is text), `raw` with them kept. Decisions are taken on the statement's head
 * and, for the few statements whose literals matter (SET, the preamble's set_config, setval,
 * a function's language), on `raw`. Function bodies are not judged: plpgsql may say anything,
 * and what makes a hostile body harmless is the unprivileged role that runs the restore.
 *
 * Ownership statements (`ALTER … OWNER TO`, `ALTER DEFAULT PRIVILEGES FOR ROLE`) are accepted
 * and skipped: who owns the restored objects is Gantry's decision (the build's role), never the
 * dump's, and the restore role could not take another role's name anyway.
 */
export type Verdict = { run: true } | { skip: true } | { refuse: string };

/** Extensions a dump may create. Odoo itself needs unaccent (--unaccent) and pg_trgm. */
export const ALLOWED_EXTENSIONS: readonly string[] = [
  "plpgsql",
  "unaccent",
  "pg_trgm",
  "btree_gin",
  "btree_gist",
  "fuzzystrmatch",
  "uuid-ossp",
  "pgcrypto",
  "vector",
];

const ID = String.raw`(?:"(?:[^"]|"")+"|[A-Z_\u0080-\uFFFF][A-Z0-9_$\u0080-\uFFFF]*)`;
const QN = `${ID}(?:\\.${ID}){0,2}`;
const re = (source: string) => new RegExp(source);

/** Session settings pg_dump's preamble (and its per-object SETs) writes, with plain values. */
const settings = re(
  `^SET (STATEMENT_TIMEOUT|LOCK_TIMEOUT|IDLE_IN_TRANSACTION_SESSION_TIMEOUT|TRANSACTION_TIMEOUT|CLIENT_MIN_MESSAGES|ROW_SECURITY|CHECK_FUNCTION_BODIES|XMLOPTION|DEFAULT_TABLESPACE|DEFAULT_TABLE_ACCESS_METHOD|DEFAULT_WITH_OIDS) (=|TO) ('[A-Z0-9_]*'|[A-Z0-9_]+)$`,
);
/** The lexer (and psql's, kept in step) reads UTF-8 with standard strings: nothing else. */
const pinned = /^SET (CLIENT_ENCODING (=|TO) '?UTF8'?|STANDARD_CONFORMING_STRINGS (=|TO) '?ON'?)$/;
const searchPath = /^SELECT PG_CATALOG\.SET_CONFIG\('SEARCH_PATH', '', FALSE\)$/;
const setval = /^SELECT PG_CATALOG\.SETVAL\('(?:[^']|'')+', -?\d+, (TRUE|FALSE)\)$/;
const ownerTo = re(`^ALTER [A-Z ]+ .* OWNER TO ${ID}$`);
const defaultPrivileges = /^ALTER DEFAULT PRIVILEGES FOR (ROLE|USER) /;

const privilege =
  "(?:ALL(?: PRIVILEGES)?|SELECT|INSERT|UPDATE|DELETE|TRUNCATE|REFERENCES|TRIGGER|USAGE|CREATE|EXECUTE|MAINTAIN)(?: ?\\([^)]*\\))?";
const grantee = `(?:PUBLIC|GROUP ${ID}|${ID})`;
const acl = re(
  `^(?:GRANT|REVOKE(?: GRANT OPTION FOR)?) ${privilege}(?:, ?${privilege})* ON (?:TABLE|SEQUENCE|SCHEMA|FUNCTION|PROCEDURE|ROUTINE|TYPE|DOMAIN) .+ (?:TO|FROM) ${grantee}(?:, ?${grantee})*(?: WITH GRANT OPTION)?(?: GRANTED BY ${ID})?$`,
);

/** Statement heads that create or change this database's own objects. */
const objectHeads: [RegExp, string][] = [
  [re(`^CREATE SCHEMA (IF NOT EXISTS )?${ID}$`), "schema"],
  [re(`^CREATE (UNLOGGED )?TABLE ${QN} ?(\\(|PARTITION OF |OF )`), "table"],
  [re(`^CREATE SEQUENCE ${QN}( |$)`), "sequence"],
  [re(`^CREATE (OR REPLACE )?(RECURSIVE )?VIEW ${QN}`), "view"],
  [re(`^CREATE MATERIALIZED VIEW ${QN}`), "view"],
  [re(`^REFRESH MATERIALIZED VIEW ${QN}$`), "view"],
  [re(`^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?(${ID} )?ON (ONLY )?${QN} `), "index"],
  [re(`^CREATE (OR REPLACE )?(FUNCTION|PROCEDURE) ${QN} ?\\(`), "function"],
  [re(`^CREATE (OR REPLACE )?AGGREGATE ${QN} ?\\(`), "aggregate"],
  // A schema's own operators (pg_dump: CREATE OPERATOR schema.=(FUNCTION = …, …)); what they
  // call is a function of the dump, created with the restore role's rights like every other.
  [re(`^CREATE OPERATOR (${ID}\\.)?[-+*/<>=~!@#%^&|\`?]+ ?\\(`), "operator"],
  [
    re(
      `^CREATE (CONSTRAINT )?TRIGGER ${ID} (BEFORE|AFTER|INSTEAD OF) .* ON ${QN} .*EXECUTE (FUNCTION|PROCEDURE) ${QN} ?\\(`,
    ),
    "trigger",
  ],
  [re(`^CREATE TYPE ${QN} AS (ENUM ?\\(|RANGE ?\\(|\\()`), "type"],
  [re(`^CREATE DOMAIN ${QN} AS `), "domain"],
  [re(`^CREATE POLICY ${ID} ON ${QN}`), "policy"],
  [re(`^CREATE STATISTICS ${QN}`), "statistics"],
  [re(`^CREATE TEXT SEARCH (CONFIGURATION|DICTIONARY) ${QN} ?\\(`), "text search"],
  [re(`^ALTER TEXT SEARCH CONFIGURATION ${QN} (ADD|ALTER) MAPPING `), "text search"],
  [re(`^COMMENT ON [A-Z ]+ .+ IS (E|U&)?''$`), "comment"],
  [re(`^COMMENT ON [A-Z ]+ .+ IS NULL$`), "comment"],
  [
    re(
      `^ALTER TABLE (IF EXISTS )?(ONLY )?${QN} (ADD CONSTRAINT|ALTER COLUMN|ATTACH PARTITION|CLUSTER ON|REPLICA IDENTITY|ENABLE|DISABLE|FORCE ROW LEVEL SECURITY|INHERIT|SET \\()`,
    ),
    "alter table",
  ],
  [re(`^ALTER INDEX ${QN} (ATTACH PARTITION|ALTER COLUMN|SET \\()`), "alter index"],
  [re(`^ALTER SEQUENCE ${QN} OWNED BY ${QN}$`), "sequence owned by"],
];

const extension = re(`^CREATE EXTENSION (IF NOT EXISTS )?(${ID})( WITH)?( SCHEMA ${ID})?$`);

/**
 * Names that have no business in a restore's plain statements (defaults, checks, views,
 * index expressions): file and program access, large objects, other servers, the role
 * catalogs. Matched with identifier quotes removed, so `"pg_read_file"(…)` counts too.
 */
const forbiddenNames =
  /\b(PG_READ_FILE|PG_READ_BINARY_FILE|PG_LS_\w+|PG_STAT_FILE|PG_FILE_\w+|LO_(?:IMPORT|EXPORT|UNLINK|CREATE|CREAT|OPEN|PUT|GET|FROM_BYTEA|TRUNCATE\w*|LSEEK\w*|TELL\w*|CLOSE)|LOWRITE|LOREAD|DBLINK\w*|PG_AUTHID|PG_SHADOW|PG_USER_MAPPINGS?|PG_LARGEOBJECT\w*|PG_EXECUTE_SERVER_PROGRAM|PG_READ_SERVER_FILES|PG_WRITE_SERVER_FILES|SET_CONFIG|PG_TERMINATE_BACKEND|PG_SIGNAL_BACKEND|PG_RELOAD_CONF|PG_ROTATE_LOGFILE|PG_PROMOTE)\b/;

/** First words of a refused statement, for the error message. */
function headOf(code: string): string {
  return code.split(" ").slice(0, 3).join(" ");
}

/** `code` with every parenthesised part removed: what is said at the statement's top level. */
function topLevel(code: string): string {
  let depth = 0;
  let out = "";
  for (const c of code) {
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
  }
  return out;
}

function checkFunction(code: string): string | undefined {
  const top = topLevel(code);
  const languages = [...top.matchAll(/\bLANGUAGE ("?)([^\s"]*)\1/g)].map((m) => m[2]);
  if (languages.length !== 1 || !["PLPGSQL", "SQL"].includes(languages[0]!))
    return `a function in language ${languages.join(", ").toLowerCase() || "(none)"} (only plpgsql and sql)`;
  if (!/\bAS ''$|\bAS '' /.test(top)) return "a function whose body is not a string";
  // psql reads BEGIN … END in a function's head as an SQL-standard body and stops splitting
  // statements there; such bodies are refused, so psql and this screen always split alike.
  if (/\b(BEGIN|END|CASE|ATOMIC)\b/.test(top))
    return "a function whose head says BEGIN, CASE or END (psql's sign of an SQL-standard body)";
  if (/\bSECURITY DEFINER\b/.test(top)) return "a SECURITY DEFINER function";
  return undefined;
}

/**
 * Judges one complete statement. `objectsSeen` says whether anything but schemas, extensions
 * and settings came before: extensions must be created first, before any function or
 * operator of the dump could stand in their way.
 */
export function judgeStatement(statement: string, raw: string, objectsSeen: boolean): Verdict {
  // A literal with a doubled quote inside ('Odoo''s') reads as two adjacent ones: one literal.
  const code = statement.replace(/(?:'')+/g, "''");
  if (settings.test(code) || pinned.test(raw)) return { run: true };
  if (searchPath.test(raw) || setval.test(raw)) return { run: true };
  if (defaultPrivileges.test(code) || ownerTo.test(code)) return { skip: true };
  const ext = extension.exec(code);
  if (ext) {
    const name = ext[2]!.replaceAll('"', "").toLowerCase();
    if (!ALLOWED_EXTENSIONS.includes(name)) return { refuse: `extension ${name}` };
    if (objectsSeen) return { refuse: `extension ${name} after the dump's own objects` };
    return { run: true };
  }
  const bare = code.replaceAll('"', "");
  const name = forbiddenNames.exec(bare);
  if (name) return { refuse: `${name[1]!.toLowerCase()} in ${headOf(code)}` };
  if (/(^|[^:]):['"A-Z_]/.test(code)) return { refuse: `a psql variable in ${headOf(code)}` };
  if (acl.test(code)) return { run: true };
  for (const [head, kind] of objectHeads) {
    if (!head.test(code)) continue;
    if (kind === "table" && /\bAS\b/.test(topLevel(code))) return { refuse: "CREATE TABLE … AS" };
    if (kind === "function") {
      const why = checkFunction(code);
      if (why) return { refuse: why };
    }
    return { run: true };
  }
  return { refuse: `statement ${headOf(code)}` };
}

/** Statements that create nothing of their own (settings, schemas, extensions, comments on them). */
export function isPreamble(code: string): boolean {
  return /^(SET |SELECT PG_CATALOG\.SET_CONFIG|CREATE SCHEMA |CREATE EXTENSION |COMMENT ON (SCHEMA|EXTENSION) )/.test(
    code,
  );
}
