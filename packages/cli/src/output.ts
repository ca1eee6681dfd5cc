// What commands print: the API's JSON as is (--json), or plain aligned columns for people.

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function printTable(header: string[], rows: string[][], empty: string): void {
  process.stdout.write(rows.length === 0 ? `${empty}\n` : `${formatTable(header, rows)}\n`);
}

/** "2026-12-07T01:02:03.000Z" -> "2026-12-07 01:02" (UTC, as the API sends it). */
export function shortTime(iso: string | null): string {
  return iso ? iso.slice(0, 16).replace("T", " ") : "-";
}

export function humanBytes(bytes: number | null): string {
  if (bytes === null) return "-";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
