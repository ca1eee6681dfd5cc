// A checksum of an Odoo database and its filestore: the schema (every column of every table),
// every row of every table (hashed in a stable order) and every file's content. Two equal
// fingerprints mean nothing changed; the production upgrade takes one before it starts and
// checks it when it reverts, and the tests use it to prove a failed attempt left the source alone.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { ifExists } from "@gantry/config";
import { type PgEndpoint, qualifiedName, withConnection } from "@gantry/postgres";

async function databaseHash(target: PgEndpoint): Promise<string> {
  return withConnection(target, async (client) => {
    const hash = createHash("sha256");
    const columns = await client.query<{ t: string; c: string; ty: string }>(
      `SELECT table_name AS t, column_name AS c, data_type AS ty FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    );
    for (const row of columns.rows) hash.update(`${row.t}.${row.c}:${row.ty}\n`);
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY c.relname`,
    );
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ h: string | null; n: string }>(
        `SELECT md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS h, count(*) AS n
           FROM ${qualifiedName("public", name)} t`,
      );
      hash.update(`${name}:${rows[0]?.n}:${rows[0]?.h ?? ""}\n`);
    }
    return hash.digest("hex");
  });
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await ifExists(readdir(dir, { withFileTypes: true }))) ?? [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  await walk(root);
  return out.sort();
}

async function fileHash(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** sha256 over the relative path and content of every file under the filestore folder. */
export async function filestoreHash(filestore: string): Promise<{ hash: string; files: number }> {
  const hash = createHash("sha256");
  const files = await filesUnder(filestore);
  for (const file of files) hash.update(`${relative(filestore, file)}:${await fileHash(file)}\n`);
  return { hash: hash.digest("hex"), files: files.length };
}

export interface Fingerprint {
  database: string;
  filestore: string;
  files: number;
}

export async function fingerprint(target: PgEndpoint, filestore: string): Promise<Fingerprint> {
  const files = await filestoreHash(filestore);
  return { database: await databaseHash(target), filestore: files.hash, files: files.files };
}
