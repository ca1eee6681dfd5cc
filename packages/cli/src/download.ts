// Downloads a backup archive into a file, resuming a partial one: the bytes already there are
// kept and only the rest is asked for (Range, with If-Range on the archive's checksum so a
// different archive is never glued onto them), then the whole file is checked against the
// checksum the API lists.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ApiClient } from "./client.js";
import { errorOf } from "./client.js";
import { CliError, exitCodes } from "./exit.js";

export interface DownloadResult {
  file: string;
  bytes: number;
  /** Bytes kept from an earlier, interrupted download (0 for a fresh one). */
  resumedFrom: number;
  sha256: string;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

export async function downloadResumable(
  client: ApiClient,
  path: string,
  file: string,
  expected: { size: number | null; sha256: string | null },
): Promise<DownloadResult> {
  let have = await sizeOf(file);
  // Larger than the archive: not a piece of it. Start over.
  if (expected.size !== null && have > expected.size) have = 0;
  if (expected.size !== null && have === expected.size && have > 0) {
    const sha256 = await sha256Of(file);
    if (!expected.sha256 || sha256 === expected.sha256)
      return { file, bytes: have, resumedFrom: have, sha256 };
    have = 0;
  }
  const headers: Record<string, string> = { accept: "application/zip" };
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    if (expected.sha256) headers["if-range"] = `"${expected.sha256}"`;
  }
  const response = await client.send(path, { headers });
  if (!response.ok) throw await errorOf(response);
  // 206: the rest, appended. 200: the server sends everything (the archive changed, or ranges
  // are not honoured), so the file is written afresh.
  const resumedFrom = response.status === 206 ? have : 0;
  if (response.status === 206) {
    const range = /^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "");
    if (!range || Number(range[1]) !== have)
      throw new CliError(exitCodes.api, `the server answered another range than bytes=${have}-`);
  }
  if (!response.body) throw new CliError(exitCodes.api, "the download answered no body");
  const out = createWriteStream(file, resumedFrom > 0 ? { flags: "a" } : { flags: "w", mode: 0o600 });
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), out);
  const bytes = await sizeOf(file);
  const sha256 = await sha256Of(file);
  if (expected.sha256 && sha256 !== expected.sha256) {
    throw new CliError(
      exitCodes.api,
      `${file}: checksum ${sha256} differs from the backup's ${expected.sha256}; delete it and download again`,
    );
  }
  return { file, bytes, resumedFrom, sha256 };
}
