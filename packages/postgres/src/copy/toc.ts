// The post-data part of a schema dump (indexes, constraints, triggers...), read from
// `pg_restore --list` and tied to the tables they belong to, so that a large table's indexes
// can be built as soon as its rows are in, while other tables are still copying.
//
// An entry is tied through its catalog identity (pg_class or pg_constraint and the OID, both
// printed by `pg_restore --list` and taken from the same snapshot as the dump), never through
// its name: names are the tenant's and may contain anything. pg_restore prints each entry on
// one line (it replaces newlines in names).

export interface TocEntry {
  /** pg_restore's dump id, what a `--use-list` file names. */
  id: number;
  catalog: number;
  oid: number;
  /** What follows the identity: the kind ("INDEX", "FK CONSTRAINT"...), schema, name, owner. */
  rest: string;
}

/** A row of the source's catalog: an index (kind "i") or a constraint (contype: p, u, x, f, c...). */
export interface CatalogObject {
  kind: string;
  oid: number;
  table: number;
  /** The referenced table of a foreign key, 0 otherwise. */
  references: number;
}

export type PostDataEntry =
  /** An index or a primary key, unique or exclusion constraint of one table. */
  | { id: number; kind: "key"; table: number; exclusive: boolean }
  | { id: number; kind: "foreign-key"; table: number; references: number }
  | { id: number; kind: "other" };

export const PG_CLASS = 1259;
export const PG_CONSTRAINT = 2606;

export function parseToc(listing: string): TocEntry[] {
  const entries: TocEntry[] = [];
  for (const line of listing.split("\n")) {
    const match = /^(\d+); (\d+) (\d+) (.*)$/.exec(line);
    if (!match) continue;
    entries.push({ id: Number(match[1]), catalog: Number(match[2]), oid: Number(match[3]), rest: match[4]! });
  }
  return entries;
}

/** Ties every entry to its table when it is an index or a constraint of a known kind. */
export function classify(entries: readonly TocEntry[], catalog: readonly CatalogObject[]): PostDataEntry[] {
  const indexes = new Map<number, CatalogObject>();
  const constraints = new Map<number, CatalogObject>();
  for (const object of catalog) (object.kind === "i" ? indexes : constraints).set(object.oid, object);
  return entries.map((entry): PostDataEntry => {
    if (entry.catalog === PG_CLASS && entry.rest.startsWith("INDEX ")) {
      const index = indexes.get(entry.oid);
      if (index) return { id: entry.id, kind: "key", table: index.table, exclusive: false };
    }
    if (entry.catalog === PG_CONSTRAINT) {
      const constraint = constraints.get(entry.oid);
      // Adding a key constraint takes an ACCESS EXCLUSIVE lock on its table.
      if (constraint && entry.rest.startsWith("CONSTRAINT ") && /^[pux]$/.test(constraint.kind)) {
        return { id: entry.id, kind: "key", table: constraint.table, exclusive: true };
      }
      if (constraint && entry.rest.startsWith("FK CONSTRAINT ") && constraint.kind === "f") {
        return {
          id: entry.id,
          kind: "foreign-key",
          table: constraint.table,
          references: constraint.references,
        };
      }
    }
    return { id: entry.id, kind: "other" };
  });
}

/** A `--use-list` file naming these entries (pg_restore reads the id before each ';'). */
export const useList = (ids: readonly number[]) => ids.map((id) => `${id};\n`).join("");
