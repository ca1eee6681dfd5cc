// SFTP attributes and `ls -l` lines of host files, and the status a file system error maps to.
import type { Stats } from "node:fs";
// ssh2 is CommonJS: Node's ESM loader offers its default export only.
import ssh2, { type Attributes } from "ssh2";

const { STATUS_CODE } = ssh2.utils.sftp;

export function attrsOf(stats: Stats): Attributes {
  return {
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

/** The virtual folders (the top and what has no host folder yet). */
export function folderAttrs(): Attributes {
  const now = Math.floor(Date.now() / 1000);
  return { mode: 0o040755, uid: 0, gid: 0, size: 0, atime: now, mtime: now };
}

function permissions(mode: number): string {
  const type = (mode & 0o170000) === 0o040000 ? "d" : (mode & 0o170000) === 0o120000 ? "l" : "-";
  const bits = "rwxrwxrwx"
    .split("")
    .map((letter, i) => (mode & (1 << (8 - i)) ? letter : "-"))
    .join("");
  return type + bits;
}

/** The line `ls -l` prints for an entry (OpenSSH's sftp shows it as is). */
export function longname(name: string, attrs: Attributes): string {
  const date = new Date(attrs.mtime * 1000).toISOString().slice(0, 16).replace("T", " ");
  return `${permissions(attrs.mode)} 1 ${attrs.uid} ${attrs.gid} ${String(attrs.size).padStart(10)} ${date} ${name}`;
}

/** The SFTP status of a file system error: a refused symlink or special file is a refusal. */
export function statusOf(error: unknown): { code: number; message: string } {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
    case "ENOTDIR":
      return { code: STATUS_CODE.NO_SUCH_FILE, message: "No such file" };
    case "ELOOP":
    case "EPERM":
    case "EACCES":
    case "EROFS":
      return { code: STATUS_CODE.PERMISSION_DENIED, message: "Permission denied" };
    case "EEXIST":
      return { code: STATUS_CODE.FAILURE, message: "File exists" };
    case "ENOTEMPTY":
      return { code: STATUS_CODE.FAILURE, message: "Directory not empty" };
    case "EISDIR":
      return { code: STATUS_CODE.FAILURE, message: "Is a directory" };
    default:
      return { code: STATUS_CODE.FAILURE, message: "Failure" };
  }
}
