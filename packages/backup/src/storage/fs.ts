import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ifExists } from "@gantry/config";
import { HashCounter } from "../archive/counting";
import { BackupError } from "../errors";
import { checkRange, validateKey, validatePrefix } from "./keys";
import type { BackupStorage, ByteRange, StoredObject } from "./types";

const TEMP_SUFFIX = ".uploading";

/**
 * A full disk said in words: Node's own message ("ENOSPC: no space left on device, write")
 * names neither the folder nor what to do. The partial file is gone by the time this is thrown.
 */
function diskFull(error: unknown, root: string, written: number): BackupError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== "ENOSPC" && code !== "EDQUOT") return undefined;
  const size =
    written < 1024 * 1024 ? `${Math.ceil(written / 1024)} KB` : `${(written / 1024 / 1024).toFixed(1)} MB`;
  return new BackupError(
    "NO_SPACE",
    `the disk holding backup storage (${root}) is full: no space left after ${size} of the archive; ` +
      "the partial archive was removed and earlier backups are untouched. Free space there (or " +
      "point BACKUP_DIR at a larger disk) and take the backup again",
    { errno: code },
  );
}

/** Backups as files under a root folder; writes go to a temp file renamed into place. */
export class FilesystemStorage implements BackupStorage {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const path = resolve(this.root, validateKey(key));
    if (!path.startsWith(this.root + sep)) throw new BackupError("INVALID_KEY", `invalid storage key ${key}`);
    return path;
  }

  async put(key: string, body: Readable): Promise<{ size: number; sha256: string }> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`;
    const counter = new HashCounter();
    try {
      await pipeline(body, counter, createWriteStream(temp, { flags: "wx" }));
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw diskFull(error, this.root, counter.bytes) ?? error;
    }
    return { size: counter.bytes, sha256: counter.sha256 };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const found = await this.stat(key);
    if (!found) throw new BackupError("NOT_FOUND", `no backup stored at ${key}`);
    const r = checkRange(range, found.size);
    return createReadStream(this.path(key), r ? { start: r.start, end: r.end } : {});
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? { key, size: s.size } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async list(prefix: string): Promise<StoredObject[]> {
    validatePrefix(prefix);
    const found: StoredObject[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      const entries = (await ifExists(readdir(dir, { withFileTypes: true }))) ?? [];
      for (const e of entries) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(join(dir, e.name), key);
        else if (e.isFile() && !e.name.endsWith(TEMP_SUFFIX) && key.startsWith(prefix)) {
          found.push({ key, size: (await stat(join(dir, e.name))).size });
        }
      }
    };
    await walk(this.root, "");
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
