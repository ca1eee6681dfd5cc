import { createHash } from "node:crypto";
import { close, constants, fstat, open, read } from "node:fs";
import { open as openHandle } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { readAhead } from "./read-ahead";

/** Files up to this size are read whole (one read call); larger ones are streamed. */
const WHOLE_FILE_BYTES = 256 * 1024;
/**
 * Files read ahead of the one being written (at most this many times WHOLE_FILE_BYTES
 * held): a filestore is mostly small files, whose cost is system calls, not bandwidth.
 */
const READ_AHEAD = 32;

export type FilestoreFile =
  | { path: string; data: Buffer; sha256: string }
  | { path: string; stream: AsyncIterable<Buffer>; digest: () => string };

// Never through a symbolic link: one swapped in after the listing could point anywhere.
const readFlags = constants.O_RDONLY | constants.O_NOFOLLOW;

// Plain descriptors rather than FileHandle objects: per small file, their bookkeeping on the
// main thread cost more than the reads themselves.
const openFd = promisify(open);
const fstatFd = promisify(fstat);
const readFd = promisify(read);
const closeFd = promisify(close);

async function readSmall(root: string, path: string): Promise<FilestoreFile> {
  const fd = await openFd(join(root, path), readFlags);
  try {
    const { size } = await fstatFd(fd);
    if (size > WHOLE_FILE_BYTES) return { path, ...streamed(root, path) };
    const data = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await readFd(fd, data, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const bytes = filled === size ? data : data.subarray(0, filled);
    return { path, data: bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
  } finally {
    await closeFd(fd);
  }
}

/** A large file, opened only when its turn to be written comes, hashed as it streams. */
function streamed(root: string, path: string): { stream: AsyncIterable<Buffer>; digest: () => string } {
  const hash = createHash("sha256");
  let digest: string | undefined;
  async function* stream(): AsyncGenerator<Buffer> {
    const handle = await openHandle(join(root, path), readFlags);
    for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024 })) {
      hash.update(chunk as Buffer);
      yield chunk as Buffer;
    }
  }
  return {
    stream: stream(),
    digest: () => {
      digest ??= hash.digest("hex");
      return digest;
    },
  };
}

/**
 * The filestore's files in the listing's order, with their sha256: small files are read
 * whole and several at a time ahead of the writer, so reading overlaps writing.
 */
export function readFilestore(root: string, paths: readonly string[]): AsyncGenerator<FilestoreFile> {
  return readAhead(paths, (path) => readSmall(root, path), READ_AHEAD);
}
