// Names written into SQL text. Database, role and table names cannot be bound parameters, and
// the names inside a tenant's database are the tenant's to choose: every one is quoted here,
// and a name Gantry made itself must also match the narrow shape Gantry gives its names.

const GANTRY_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Any identifier, double-quoted with its quotes doubled, so it is read back exactly. A NUL
 * cannot be part of a PostgreSQL name (the protocol ends strings at it), so one is refused
 * rather than letting the server see a shorter name than the one meant.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error("empty identifier");
  if (name.includes("\0")) throw new Error(`identifier with a NUL character ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.name`, both parts quoted: what a tenant's table is called, whatever its characters. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A database or role name of Gantry's making, double-quoted; any other shape is refused. */
export function ident(name: string): string {
  if (!GANTRY_NAME.test(name)) throw new Error(`unsafe identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}
