// A plain pg_dump file (.sql) or a custom-format one (.dump) turned into an Odoo backup zip
// (dump.sql + manifest.json, no filestore), so it then goes through the same checks and
// restore as any uploaded archive. The SQL is streamed twice: once to read the installed
// modules from the dump's own ir_module_module rows, once into the zip.

import { spawn } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { buildBackupManifest, parseSeries, type Series, seriesOfModuleVersion } from "@gantry/odoo";
import { findPgTool } from "@gantry/postgres";
import { BackupError } from "../errors";
import type { Manifest } from "../manifest";
import { ArchiveOutput } from "./output";
import { ZipWriter } from "./zip-writer";

export type DumpKind = "sql" | "dump";

/** The kind of dump a file name announces, or undefined for anything else. */
export function dumpKindOf(name: string): DumpKind | undefined {
  const lower = name.toLowerCase();
  return lower.endsWith(".sql") ? "sql" : lower.endsWith(".dump") ? "dump" : undefined;
}

export interface DumpToArchiveOptions {
  input: string;
  kind: DumpKind;
  /** Where the zip goes; written to a temp file and renamed, so a failure leaves nothing. */
  output: string;
  /** The series to assume when the module versions carry none (the target branch's). */
  fallbackSeries?: string;
  dbName?: string;
}

interface SqlSource {
  stream: Readable;
  /** Settles once the whole SQL was produced; a broken custom dump rejects here. */
  done: Promise<void>;
  stop(): void;
}

async function openSql(path: string, kind: DumpKind): Promise<SqlSource> {
  if (kind === "sql") {
    const stream = createReadStream(path);
    return { stream, done: Promise.resolve(), stop: () => stream.destroy() };
  }
  const tool = await findPgTool("pg_restore");
  const child = spawn(tool.path, ["--no-owner", "--no-privileges", "-f", "-", path], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 || stopped
        ? resolve()
        : reject(
            new BackupError(
              "NOT_A_DUMP",
              `the file is not a valid pg_dump custom-format dump: ${stderr.trim()}`,
            ),
          ),
    );
  });
  // Awaited by the caller after the stream; until then a failure must not count as unhandled.
  done.catch(() => {});
  return {
    stream: child.stdout,
    done,
    stop: () => {
      stopped = true;
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

/** COPY text format: `\N` is NULL, backslash escapes otherwise. */
function copyValue(raw: string): string | null {
  if (raw === "\\N") return null;
  return raw.replace(/\\(.)/g, (_m, c: string) => ({ t: "\t", n: "\n", r: "\r" })[c] ?? c);
}

const copyHeader = /^COPY (?:public\.)?"?ir_module_module"? \(([^)]*)\) FROM stdin;$/;
const anyCopy = /^COPY \S+ (\([^)]*\) )?FROM stdin;$/;
const dumpedFrom = /^-- Dumped from database version (\d+)(?:\.(\d+))?/;

interface DumpFacts {
  modules: Record<string, string | null>;
  pgVersion: string;
}

/** First pass: the installed modules (from the COPY block) and the server version (header). */
async function readFacts(source: SqlSource): Promise<DumpFacts> {
  const lines = createInterface({ input: source.stream, crlfDelay: Number.POSITIVE_INFINITY });
  let pgVersion = "unknown";
  let columns: string[] | undefined;
  let complete = false;
  // Inside another table's COPY data: its rows are data, never a header of ours.
  let otherCopy = false;
  const modules: Record<string, string | null> = {};
  try {
    for await (const line of lines) {
      if (columns) {
        if (line === "\\.") {
          complete = true;
          break;
        }
        const values = line.split("\t").map(copyValue);
        const row = Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null]));
        if (row.name && (row.state === "installed" || row.state === "to upgrade"))
          modules[row.name] = row.latest_version ?? null;
        continue;
      }
      if (otherCopy) {
        otherCopy = line !== "\\.";
        continue;
      }
      const from = dumpedFrom.exec(line);
      if (from) {
        const major = Number(from[1]);
        pgVersion = major >= 10 ? `${major}.0` : `${major}.${from[2] ?? 0}`;
      }
      const header = copyHeader.exec(line);
      if (header) columns = header[1]!.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
      else otherCopy = anyCopy.test(line);
    }
  } catch (error) {
    source.stop();
    throw error;
  } finally {
    lines.close();
  }
  // Stopped early on purpose once the block is read; otherwise the whole SQL went by, and a
  // pg_restore that failed says why.
  if (complete) source.stop();
  else await source.done;
  if (!columns || !complete)
    throw new BackupError("NOT_ODOO", "not an Odoo database: the dump has no ir_module_module table data");
  if (Object.keys(modules).length === 0)
    throw new BackupError("NOT_ODOO", "not an Odoo database: no module is installed in the dump");
  return { modules, pgVersion };
}

/** Odoo module versions are `<series>.<module version>`, e.g. 17.0.1.2; "1.2" has no series. */
function seriesOf(modules: Record<string, string | null>, fallback?: string): Series {
  const versions = [modules.base, ...Object.values(modules)];
  for (const v of versions) {
    const series = v ? seriesOfModuleVersion(v) : undefined;
    if (series) return series;
  }
  if (fallback) return parseSeries(fallback);
  throw new BackupError("NOT_ODOO", "the dump's module versions do not tell its Odoo series");
}

export interface DumpToArchiveResult {
  manifest: Manifest;
  sizeBytes: number;
}

export async function dumpToArchive(options: DumpToArchiveOptions): Promise<DumpToArchiveResult> {
  const facts = await readFacts(await openSql(options.input, options.kind));
  const manifest: Manifest = buildBackupManifest({
    dbName: options.dbName ?? "imported",
    series: seriesOf(facts.modules, options.fallbackSeries),
    pgVersion: facts.pgVersion,
    modules: facts.modules,
  });
  const temp = `${options.output}.partial-${process.pid}-${Date.now()}`;
  const out = new ArchiveOutput(createWriteStream(temp, { flags: "wx" }));
  const source = await openSql(options.input, options.kind);
  try {
    const zip = new ZipWriter(out);
    const mtime = new Date();
    await zip.addStream("dump.sql", source.stream, { level: 1, mtime });
    await source.done;
    await zip.addBuffer("manifest.json", Buffer.from(JSON.stringify(manifest, null, 4)), { level: 1, mtime });
    await zip.finish();
    const written = await out.end();
    await rename(temp, options.output);
    return { manifest, sizeBytes: written.bytes };
  } catch (error) {
    source.stop();
    out.destroy(error as Error);
    await rm(temp, { force: true });
    throw error;
  }
}
