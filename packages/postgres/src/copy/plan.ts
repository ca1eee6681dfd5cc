// How the rows of a database copy are split into streams that run side by side.

export interface TableSize {
  name: string;
  bytes: number;
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

/** Runs the tasks with at most `width` at a time, in order; the first failure ends it. */
export async function pool(width: number, tasks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      await task?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, lane));
}
