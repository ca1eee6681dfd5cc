// An archive is kept only once it is proven restorable: its dump (read back from the archive
// itself, not from the file it was made of) is restored into a scratch database on the same
// server, which must then hold the migrations the manifest counted. The scratch is dropped.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { quoteIdent, withAdmin } from "@gantry/postgres";
import { appliedMigrations, ownDatabase, runPgTool, type SelfManifest } from "./archive";

const run = promisify(execFile);

export class SelfBackupVerifyError extends Error {}

export async function verifySelfArchive(archive: string): Promise<SelfManifest> {
  const { login } = ownDatabase();
  const work = await mkdtemp(join(dirname(archive), ".verify-"));
  const scratch = `gantry_selfcheck_${randomBytes(4).toString("hex")}`;
  try {
    await run("tar", ["-C", work, "-xf", archive, "manifest.json", "database.dump"]);
    const manifest = JSON.parse(await readFile(join(work, "manifest.json"), "utf8")) as SelfManifest;
    await withAdmin(login, "postgres", (client) => client.query(`CREATE DATABASE ${quoteIdent(scratch)}`));
    try {
      await runPgTool("pg_restore", login, [
        "--no-owner",
        "--exit-on-error",
        "--dbname",
        scratch,
        join(work, "database.dump"),
      ]);
      const restored = await appliedMigrations(login, scratch);
      if (restored !== manifest.migrations) {
        throw new SelfBackupVerifyError(
          `the restored database holds ${restored} migrations, the manifest says ${manifest.migrations}`,
        );
      }
      return manifest;
    } finally {
      await withAdmin(login, "postgres", (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`),
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
