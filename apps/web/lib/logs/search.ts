// A search over many log files, streamed as NDJSON: one object per matching line as it is
// found, then a last one saying how it ended. Bounded whatever the files hold: matches, line
// length, bytes read and memory (files are read in chunks; a line longer than the cap is cut).
// The logs folder is written by the build's own Odoo, so a file is opened without following a
// symlink and read only when it is a regular file.
import { openLogFile } from "@gantry/core";

export interface SearchFile {
  buildId: string;
  commitSha: string;
  file: string;
  path: string;
}

export interface SearchLimits {
  maxMatches: number;
  maxLineChars: number;
  maxBytes: number;
}

export const defaultSearchLimits: SearchLimits = {
  maxMatches: 500,
  maxLineChars: 500,
  maxBytes: 512 * 1024 * 1024,
};

const CHUNK = 256 * 1024;

export type SearchRecord =
  | { build: string; commit: string; file: string; line: number; text: string }
  | { done: true; matches: number; truncated: boolean };

/** Lines of one file, each at most `maxChars` long; stops when `budget` says so. */
async function* linesOf(path: string, maxChars: number, budget: { bytes: number }): AsyncGenerator<string> {
  const log = await openLogFile(path);
  if (!log) return;
  const { handle } = log;
  try {
    const buffer = Buffer.alloc(CHUNK);
    let partial = "";
    let cut = false; // the current line is past the cap: the rest of it is skipped
    while (budget.bytes > 0) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, budget.bytes), null);
      if (bytesRead === 0) break;
      budget.bytes -= bytesRead;
      const parts = buffer.subarray(0, bytesRead).toString("utf8").split("\n");
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as string;
        const last = i === parts.length - 1;
        if (!cut) partial = (partial + part).slice(0, maxChars + 1);
        if (!last) {
          yield partial;
          partial = "";
          cut = false;
        } else if (partial.length > maxChars) {
          cut = true;
        }
      }
    }
    if (partial) yield partial;
  } finally {
    await handle.close();
  }
}

/** Every line of `files` containing `query` (case-insensitive), in order, then the summary. */
export async function* searchLogs(
  files: readonly SearchFile[],
  query: string,
  limits: SearchLimits = defaultSearchLimits,
  signal?: AbortSignal,
): AsyncGenerator<SearchRecord> {
  const needle = query.toLowerCase();
  const budget = { bytes: limits.maxBytes };
  let matches = 0;
  for (const source of files) {
    let number = 0;
    for await (const line of linesOf(source.path, limits.maxLineChars, budget)) {
      if (signal?.aborted) return;
      number += 1;
      if (!line.toLowerCase().includes(needle)) continue;
      matches += 1;
      yield {
        build: source.buildId,
        commit: source.commitSha.slice(0, 12),
        file: source.file,
        line: number,
        text: line.slice(0, limits.maxLineChars),
      };
      if (matches >= limits.maxMatches) {
        yield { done: true, matches, truncated: true };
        return;
      }
    }
    if (budget.bytes <= 0) {
      yield { done: true, matches, truncated: true };
      return;
    }
  }
  yield { done: true, matches, truncated: false };
}

/** The search as a response body: NDJSON, one record per line; cancelling stops the reading. */
export function searchStream(records: (signal: AbortSignal) => AsyncGenerator<SearchRecord>) {
  const controller = new AbortController();
  const iterator = records(controller.signal);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(stream) {
      try {
        const next = await iterator.next();
        if (next.done) stream.close();
        else stream.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
      } catch (error) {
        stream.error(error);
      }
    },
    async cancel() {
      controller.abort();
      await iterator.return(undefined);
    },
  });
}
