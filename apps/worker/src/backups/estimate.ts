// About how large an archive will be, so progress can be shown while it streams: the
// database's size on disk shrinks roughly four times as a deflated dump; filestore files are
// stored as they are.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { listFilestore, type PgConnection } from "@gantry/backup";
import { withConnection } from "@gantry/postgres";

export async function estimateArchiveBytes(conn: PgConnection, filestore: string | null): Promise<number> {
  const databaseBytes = await withConnection(conn, async (client) => {
    const { rows } = await client.query<{ size: string }>(
      "SELECT pg_database_size(current_database())::text AS size",
    );
    return Number(rows[0]?.size ?? 0);
  });
  let fileBytes = 0;
  if (filestore) {
    for (const file of (await listFilestore(filestore)).files)
      fileBytes += (await stat(join(filestore, file)).catch(() => ({ size: 0 }))).size;
  }
  return Math.max(1, Math.round(databaseBytes / 4) + fileBytes);
}
