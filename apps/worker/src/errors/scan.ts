// The error scan of one build's logs: each file read on from where the last scan stopped (its
// byte offset and line count are kept), its ERROR/CRITICAL records and tracebacks recorded into
// the project's error groups. A record is complete only once the next one starts, so the last
// record of a file still being written is read again next time; a final scan (the build ended)
// reads each file to its end, except the server log of a build that still serves.
import { join } from "node:path";
import {
  buildDatabaseName,
  buildLogFiles,
  errorScanOf,
  type FileCursor,
  isServing,
  markFlakyGroups,
  recordErrorOccurrences,
  saveErrorScan,
} from "@gantry/core";
import { prisma } from "@gantry/db";
import { errorOccurrences, OdooLogParser } from "@gantry/odoo";
import { workspaceOf } from "../shared/workspace";
import { readChunk } from "./read-chunk";

/** Tenant logs are hostile: at most this many lines of a build are ever read for errors... */
export const MAX_LINES_PER_BUILD = 500_000;
/** ...this many occurrences recorded for it... */
export const MAX_OCCURRENCES_PER_BUILD = 2_000;
/** ...and this many bytes read from one file per scan (the next scan reads on). */
const MAX_BYTES_PER_READ = 8 * 1024 * 1024;

// What people typed in the shell is no log of Odoo's.
const scannedFiles = buildLogFiles.filter((file) => file !== "webshell.log");

export interface ScanResult {
  lines: number;
  occurrences: number;
}

interface ScanOptions {
  /** The build ended: read its files to their end and apply the flaky rule. */
  final?: boolean;
  /** Only these files (the periodic rescan of serving builds reads odoo.log). */
  files?: readonly string[];
}

export async function scanBuildErrors(buildId: string, options: ScanOptions = {}): Promise<ScanResult> {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: {
      id: true,
      projectId: true,
      branchId: true,
      stage: true,
      commitSha: true,
      databaseName: true,
      servingAt: true,
      cleanedAt: true,
    },
  });
  if (!build) return { lines: 0, occurrences: 0 };
  const state = await errorScanOf(buildId);
  const literals = [build.id, build.databaseName ?? buildDatabaseName(build.id)];
  const logs = workspaceOf(buildId).logs;
  const result: ScanResult = { lines: 0, occurrences: 0 };
  for (const file of options.files ?? scannedFiles) {
    const complete = options.final === true && !(file === "odoo.log" && isServing(build));
    // A final scan reads on chunk after chunk; others leave the rest to the next scan.
    for (;;) {
      const read = await scanChunk(build, join(logs, file), file, state, { complete, literals });
      result.lines += read.lines;
      result.occurrences += read.occurrences;
      if (!complete || !read.more) break;
    }
  }
  if (options.final) state.finalAt = new Date();
  await saveErrorScan(buildId, state);
  if (options.final) await markFlakyGroups(build);
  return result;
}

type ScannedRow = Parameters<typeof recordErrorOccurrences>[0];

/** One chunk of one file: its records read, its errors recorded, the cursor moved. */
async function scanChunk(
  build: ScannedRow,
  path: string,
  file: string,
  state: Awaited<ReturnType<typeof errorScanOf>>,
  options: { complete: boolean; literals: string[] },
): Promise<ScanResult & { more: boolean }> {
  const lineBudget = MAX_LINES_PER_BUILD - state.lines;
  const occurrenceBudget = MAX_OCCURRENCES_PER_BUILD - state.occurrences;
  const none = { lines: 0, occurrences: 0, more: false };
  if (lineBudget <= 0 || occurrenceBudget <= 0) return none;
  const cursor = state.cursors[file] ?? { offset: 0, line: 0 };
  const chunk = await readChunk(path, cursor.offset, {
    maxBytes: MAX_BYTES_PER_READ,
    toEnd: options.complete,
  });
  if (!chunk || chunk.bytes === 0) return none;
  const parser = new OdooLogParser();
  const entries = [...parser.feed(chunk.text), ...parser.end()];
  // The last record may go on in lines not written yet: keep it for the next scan, unless it
  // fills the whole chunk (nothing would ever move) or the file is complete.
  const last = entries.at(-1);
  const holdBack =
    last?.timestamp !== undefined &&
    !(options.complete && !chunk.capped) &&
    !(last.line === 1 && chunk.capped);
  const kept = holdBack ? entries.slice(0, -1) : entries;
  const linesUsed = holdBack && last ? last.line - 1 : chunk.lineStarts.length;
  const next: FileCursor = {
    offset: cursor.offset + (holdBack && last ? (chunk.lineStarts[last.line - 1] ?? 0) : chunk.bytes),
    line: cursor.line + linesUsed,
  };
  const found = errorOccurrences(
    kept.filter((entry) => entry.line <= lineBudget),
    { literals: options.literals },
  )
    .slice(0, occurrenceBudget)
    .map((o) => ({ ...o, line: cursor.line + o.line }));
  const inserted = await recordErrorOccurrences(build, file, found);
  state.cursors[file] = next;
  state.lines += linesUsed;
  state.occurrences += inserted;
  return { lines: linesUsed, occurrences: inserted, more: chunk.capped && linesUsed > 0 };
}
