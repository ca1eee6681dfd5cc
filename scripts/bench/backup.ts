// Backup benchmark: Gantry's backup and restore against the bare tools on the same data.
//
//   pnpm exec tsx scripts/bench/backup.ts [--size-mb N] [--files N] [--level L] [--clean]
//
// Builds (or reuses) a database of at least N MB (default 1024) and a filestore of
// --files files (default 10000) under <data dir>/bench/backup, then measures in one run:
//   backup:  createBackup (zip: dump.sql + filestore + manifest)  vs  pg_dump -f + tar -cf
//   restore: restoreBackup (inspect + psql + extract)             vs  psql -f + tar -xf
// Gantry's side runs in a child process so its peak RSS (resourceUsage().maxRSS) is its own.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { config } from "@gantry/config";
import pg from "pg";
import {
  createBackup,
  findPgTool,
  type PgConnection,
  restoreBackup,
  verifyBackup,
} from "../../packages/backup/src/index";

const run = promisify(execFile);
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};

const DB = "gantry_bench_backup";
const benchDir = resolve(config().GANTRY_DATA_DIR, "bench", "backup");

function admin(database = "postgres"): PgConnection {
  const url = new URL(config().DATABASE_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
  };
}

async function query<T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> {
  const client = new pg.Client(admin(database));
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const dropDb = (name: string) => query("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);

async function ensureDatabase(sizeMb: number): Promise<number> {
  const exists = (await query("postgres", `SELECT 1 FROM pg_database WHERE datname = '${DB}'`)).length > 0;
  if (!exists) {
    await query("postgres", `CREATE DATABASE "${DB}"`);
    await query(
      DB,
      `CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar UNIQUE, state varchar, latest_version varchar);
       INSERT INTO ir_module_module (name, state, latest_version) VALUES ('base', 'installed', '18.0.1.3'), ('web', 'installed', '18.0.1.0');
       CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar UNIQUE, value text);
       INSERT INTO ir_config_parameter (key, value) VALUES ('database.uuid', gen_random_uuid()::text);
       CREATE TABLE res_partner (id bigserial PRIMARY KEY, name varchar, email varchar, street varchar, city varchar,
         comment text, amount numeric(16,2), active boolean, create_date timestamp, write_date timestamp);
       CREATE TABLE mail_message (id bigserial PRIMARY KEY, res_id bigint, model varchar, body text, date timestamp);`,
    );
  }
  let size = Number(
    (await query<{ s: string }>(DB, "SELECT pg_database_size(current_database()) AS s"))[0]!.s,
  );
  while (size < sizeMb * 1024 * 1024) {
    const t0 = Date.now();
    // ~100 MB a round: partners with text that compresses like real data, and messages.
    await query(
      DB,
      `INSERT INTO res_partner (name, email, street, city, comment, amount, active, create_date, write_date)
         SELECT 'Partner ' || i, 'partner' || i || '@example.com', (i % 997) || ' Main Street', 'City ' || (i % 113),
                md5(i::text) || ' ' || md5((i * 7)::text) || ' note', (i % 100000) / 100.0, i % 9 <> 0,
                now() - (i || ' seconds')::interval, now()
           FROM generate_series(1, 250000) AS i;
       INSERT INTO mail_message (res_id, model, body, date)
         SELECT i, 'res.partner', '<p>' || repeat(md5((i * 13)::text) || ' ', 4) || '</p>', now()
           FROM generate_series(1, 250000) AS i;`,
    );
    size = Number((await query<{ s: string }>(DB, "SELECT pg_database_size(current_database()) AS s"))[0]!.s);
    console.log(`  database ${Math.round(size / 1048576)} MB (${Date.now() - t0} ms for this round)`);
  }
  await query(DB, "VACUUM ANALYZE");
  return size;
}

async function ensureFilestore(count: number): Promise<{ dir: string; bytes: number }> {
  const dir = join(benchDir, "filestore", DB);
  const marker = join(benchDir, `filestore-${count}.done`);
  if (!(await stat(marker).catch(() => undefined))) {
    await rm(dir, { recursive: true, force: true });
    for (let i = 0; i < count; i++) {
      // 1-64 KB, mostly incompressible like the images and PDFs a filestore holds.
      const data = randomBytes(1024 + ((i * 7919) % (63 * 1024)));
      const name = randomBytes(20).toString("hex");
      await mkdir(join(dir, name.slice(0, 2)), { recursive: true });
      await writeFile(join(dir, name.slice(0, 2), name), data);
    }
    await writeFile(marker, "");
  }
  let bytes = 0;
  for (const sub of await readdir(dir)) {
    for (const f of await readdir(join(dir, sub))) bytes += (await stat(join(dir, sub, f))).size;
  }
  return { dir, bytes };
}

async function timed(label: string, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  console.log(`  ${label}: ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

interface ChildReport {
  ms: number;
  maxRssKb: number;
  result: unknown;
}

/** Runs one Gantry operation in a fresh process (same tsx loader) and returns its figures. */
function inChild(op: string, payload: unknown): Promise<ChildReport> {
  return new Promise((resolveChild, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--child", op, JSON.stringify(payload)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`child ${op} exited with ${code}`));
      resolveChild(JSON.parse(out.trim().split("\n").pop()!) as ChildReport);
    });
  });
}

async function child(op: string, payload: Record<string, string | number>): Promise<void> {
  const t0 = performance.now();
  let result: unknown;
  if (op === "backup") {
    const r = await createBackup({
      source: admin(DB),
      filestore: String(payload.filestore),
      output: String(payload.output),
      compressionLevel: Number(payload.level),
    });
    result = { sizeBytes: r.sizeBytes, fileCount: r.fileCount };
  } else if (op === "restore") {
    const r = await restoreBackup({
      archive: String(payload.archive),
      admin: admin(),
      database: String(payload.database),
      filestore: String(payload.filestore),
    });
    result = { rows: r.rows, files: r.files };
  } else if (op === "verify") {
    result = await verifyBackup({
      archive: String(payload.archive),
      admin: admin(),
      scratchDir: String(payload.scratch),
    });
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, result }));
}

async function main(): Promise<void> {
  if (args[0] === "--child") return child(args[1]!, JSON.parse(args[2]!));
  const sizeMb = Number(option("--size-mb", "1024"));
  const files = Number(option("--files", "10000"));
  const level = Number(option("--level", "1"));
  if (args.includes("--clean")) {
    await dropDb(DB);
    await rm(benchDir, { recursive: true, force: true });
    console.log("bench data removed");
    return;
  }
  await mkdir(benchDir, { recursive: true });
  console.log(`preparing: database >= ${sizeMb} MB, ${files} files in ${benchDir}`);
  const dbSize = await ensureDatabase(sizeMb);
  const fs = await ensureFilestore(files);
  const out = join(benchDir, "out");
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const pgDump = await findPgTool("pg_dump");
  const psql = await findPgTool("psql");
  const env = { ...process.env, PGPASSWORD: admin().password };
  const conn = ["-h", admin().host, "-p", String(admin().port), "-U", admin().user];
  const restoredDb = "gantry_bench_restored";
  const baselineDb = "gantry_bench_baseline";
  await dropDb(restoredDb);
  await dropDb(baselineDb);

  try {
    console.log("backup");
    const baseBackup = await timed("pg_dump -f + tar -cf", async () => {
      await run(pgDump.path, [...conn, "--no-owner", "--format=plain", "-f", join(out, "dump.sql"), DB], {
        env,
      });
      await run("tar", ["-cf", join(out, "filestore.tar"), "-C", fs.dir, "."]);
    });
    const backup = await inChild("backup", { filestore: fs.dir, output: join(out, "backup.zip"), level });
    console.log(
      `  gantry createBackup: ${(backup.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(backup.maxRssKb / 1024)} MB`,
    );

    console.log("restore");
    const baseRestore = await timed("createdb + psql -f + tar -xf", async () => {
      await query("postgres", `CREATE DATABASE "${baselineDb}" TEMPLATE template0 ENCODING 'UTF8'`);
      await run(
        psql.path,
        [
          ...conn,
          "-X",
          "-q",
          "-v",
          "ON_ERROR_STOP=1",
          "--single-transaction",
          "-d",
          baselineDb,
          "-f",
          join(out, "dump.sql"),
        ],
        {
          env,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      await mkdir(join(out, "baseline-fs"));
      await run("tar", ["-xf", join(out, "filestore.tar"), "-C", join(out, "baseline-fs")]);
    });
    const restore = await inChild("restore", {
      archive: join(out, "backup.zip"),
      database: restoredDb,
      filestore: join(out, "restored-fs"),
    });
    console.log(
      `  gantry restoreBackup: ${(restore.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(restore.maxRssKb / 1024)} MB`,
    );

    let verify: ChildReport | undefined;
    if (args.includes("--verify")) {
      verify = await inChild("verify", { archive: join(out, "backup.zip"), scratch: out });
      console.log(
        `  gantry verifyBackup: ${(verify.ms / 1000).toFixed(1)} s (${JSON.stringify(verify.result)})`,
      );
    }

    const sizes = {
      dump: (await stat(join(out, "dump.sql"))).size,
      tar: (await stat(join(out, "filestore.tar"))).size,
      zip: (await stat(join(out, "backup.zip"))).size,
    };
    const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
    console.log("\nresults");
    console.log(
      `  data: database ${mb(dbSize)} (dump.sql ${mb(sizes.dump)}), filestore ${files} files ${mb(fs.bytes)}; zip level ${level}`,
    );
    console.log(
      `  backup:  gantry ${(backup.ms / 1000).toFixed(1)} s vs bare ${(baseBackup / 1000).toFixed(1)} s = ${(backup.ms / baseBackup).toFixed(2)}x (goal <= 1.3x)`,
    );
    console.log(
      `  restore: gantry ${(restore.ms / 1000).toFixed(1)} s vs bare ${(baseRestore / 1000).toFixed(1)} s = ${(restore.ms / baseRestore).toFixed(2)}x (goal <= 1.3x)`,
    );
    console.log(`  peak RSS: backup ${mb(backup.maxRssKb * 1024)}, restore ${mb(restore.maxRssKb * 1024)}`);
    console.log(`  archive: zip ${mb(sizes.zip)} vs dump.sql + tar ${mb(sizes.dump + sizes.tar)}`);
  } finally {
    await dropDb(restoredDb);
    await dropDb(baselineDb);
    await rm(out, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
