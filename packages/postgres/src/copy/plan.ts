// How a database copy is split into tasks that run side by side: the rows (every large table
// its own stream, the small ones together), then each large table's indexes as soon as its own
// rows are in (while other tables still copy), its foreign keys once both tables have their
// keys, and whatever else the schema's post-data holds (triggers, the small tables' foreign
// keys, comments...) in one last parallel pg_restore.
import type { Schedulable } from "./schedule";
import type { PostDataEntry } from "./toc";

export interface TableSize {
  name: string;
  bytes: number;
}

export interface CopyTable extends TableSize {
  oid: number;
}

/** Tables at least this large get a binary COPY stream of their own. */
export const OWN_STREAM_BYTES = 4 * 1024 * 1024;

/**
 * The units of work of the row copy: one stream for every small table (and the sequences'
 * values), then one per large table, largest first, so the longest start first.
 */
export function planStreams(
  tables: readonly TableSize[],
  threshold = OWN_STREAM_BYTES,
): { small: string[]; large: string[] } {
  const large = tables
    .filter((table) => table.bytes >= threshold)
    .sort((a, b) => b.bytes - a.bytes)
    .map((table) => table.name);
  const chosen = new Set(large);
  return { small: tables.filter((table) => !chosen.has(table.name)).map((t) => t.name), large };
}

export type CopyStep =
  /** The rows of one large table (its name), or of every small one and the sequences (null). */
  | { kind: "rows"; table: string | null }
  /** Post-data entries restored by one pg_restore. */
  | { kind: "indexes" | "foreign keys" | "post-data"; entries: number[]; jobs: number };

export interface CopyTask extends Schedulable {
  step: CopyStep;
}

export function planCopy(
  tables: readonly CopyTable[],
  postData: readonly PostDataEntry[],
  options: { jobs: number; threshold?: number },
): CopyTask[] {
  const { large } = planStreams(tables, options.threshold);
  const largeNames = new Set(large);
  const byOid = new Map(tables.map((table) => [table.oid, table]));
  const isLarge = (oid: number) => largeNames.has(byOid.get(oid)?.name ?? "");
  const rowsOf = (oid: number) => (isLarge(oid) ? `rows:${oid}` : "rows:small");
  const smallBytes = tables.filter((t) => !largeNames.has(t.name)).reduce((sum, t) => sum + t.bytes, 0);
  const none = { exclusive: [], shared: [] };

  // Longest first: the small tables' stream takes its place among the large ones by its size.
  const rowsTask = (id: string, table: string | null, bytes: number) => ({
    task: { id, after: [], ...none, step: { kind: "rows", table } } as CopyTask,
    bytes,
  });
  const rows = [
    rowsTask("rows:small", null, smallBytes),
    ...tables.filter((t) => largeNames.has(t.name)).map((t) => rowsTask(`rows:${t.oid}`, t.name, t.bytes)),
  ]
    .sort((a, b) => b.bytes - a.bytes)
    .map(({ task }) => task);

  // Keys first (indexes, primary keys...): a large table's as soon as its rows are in, one
  // task each; the small tables' in `jobs` groups, all of one table's keys in one group (no
  // lock waits between groups).
  const keys: CopyTask[] = [];
  const keysOf = new Map<number, string[]>();
  const smallGroups: number[][] = Array.from({ length: Math.max(1, options.jobs) }, () => []);
  const smallGroupOf = new Map<number, number>();
  const isKey = (entry: PostDataEntry) => entry.kind === "key" && byOid.has(entry.table);
  for (const entry of postData) {
    if (entry.kind !== "key" || !isKey(entry)) continue;
    if (isLarge(entry.table)) {
      const id = `key:${entry.id}`;
      keys.push({
        id,
        after: [rowsOf(entry.table)],
        exclusive: entry.exclusive ? [entry.table] : [],
        shared: entry.exclusive ? [] : [entry.table],
        step: { kind: "indexes", entries: [entry.id], jobs: 1 },
      });
      keysOf.set(entry.table, [...(keysOf.get(entry.table) ?? []), id]);
    } else {
      const group = smallGroupOf.get(entry.table) ?? smallGroupOf.size % smallGroups.length;
      smallGroupOf.set(entry.table, group);
      smallGroups[group]!.push(entry.id);
    }
  }
  const smallKeys: CopyTask[] = smallGroups
    .filter((group) => group.length > 0)
    .map((entries, i) => ({
      id: `small-keys:${i}`,
      after: ["rows:small"],
      ...none,
      step: { kind: "indexes", entries, jobs: 1 },
    }));
  const keysFor = (oid: number) =>
    isLarge(oid) ? (keysOf.get(oid) ?? []) : smallKeys.map((task) => task.id);

  // A large table's foreign key: validating it reads the whole table, worth a task of its own
  // once both tables have their rows and keys. The small tables' foreign keys go together, one
  // at a time (most reference the same few tables, and adding a foreign key locks both out of
  // each other), as soon as the tables they join are ready, while large tables still copy.
  // The rest (triggers, comments, what is not a table's...) waits for everything else.
  const foreignKeys: CopyTask[] = [];
  const small = { entries: [] as number[], after: new Set<string>(), tables: new Set<number>() };
  const rest: number[] = [];
  for (const entry of postData) {
    if (isKey(entry)) continue;
    if (entry.kind !== "foreign-key" || !byOid.has(entry.table) || !byOid.has(entry.references)) {
      rest.push(entry.id);
      continue;
    }
    const after = [
      rowsOf(entry.table),
      rowsOf(entry.references),
      ...keysFor(entry.table),
      ...keysFor(entry.references),
    ];
    if (isLarge(entry.table)) {
      foreignKeys.push({
        id: `fk:${entry.id}`,
        after: [...new Set(after)],
        exclusive: [...new Set([entry.table, entry.references])],
        shared: [],
        step: { kind: "foreign keys", entries: [entry.id], jobs: 1 },
      });
    } else {
      small.entries.push(entry.id);
      for (const id of after) small.after.add(id);
      small.tables.add(entry.table).add(entry.references);
    }
  }
  if (small.entries.length > 0) {
    foreignKeys.push({
      id: "small-foreign-keys",
      after: [...small.after],
      exclusive: [...small.tables],
      shared: [],
      step: { kind: "foreign keys", entries: small.entries, jobs: 1 },
    });
  }

  const tasks = [...rows, ...keys, ...smallKeys, ...foreignKeys];
  if (rest.length > 0) {
    tasks.push({
      id: "post-data",
      after: tasks.map((task) => task.id),
      ...none,
      step: { kind: "post-data", entries: rest, jobs: options.jobs },
    });
  }
  return tasks;
}
