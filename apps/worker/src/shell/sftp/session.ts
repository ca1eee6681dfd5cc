// One SFTP session (and so `scp`, which speaks SFTP since OpenSSH 9.0) on a build's files:
// /logs (the log files the person may read), /filestore (the Odoo filestore of the build's
// database, read-write, written as Odoo's user) and /src (the checked-out code), nothing else.
// The same audit as a shell: a ShellSession row via "sftp", and webshell.log notes what
// changed; idle sessions are closed after the shell's idle time.
import { constants, type Stats } from "node:fs";
import { type FileHandle, lchown, mkdir, open, readdir, rename, rmdir, unlink } from "node:fs/promises";
import { relative, sep } from "node:path";
import { bestEffort } from "@gantry/config";
import {
  grantLogFiles,
  type Logger,
  recordShellEnd,
  recordShellStart,
  type ShellEndReason,
  type ShellGrant,
  shellBuild,
} from "@gantry/core";
// ssh2 is CommonJS: Node's ESM loader offers its default export only.
import ssh2, { type Attributes, type FileEntry, type SFTPWrapper } from "ssh2";
import { filestoreOf, ODOO_UID, odooDataDirOf, workspaceOf } from "../../shared/workspace";
import { WebshellLog } from "../webshell-log";
import { attrsOf, folderAttrs, longname, statusOf } from "./attrs";
import { at, lstatAt, makeDirsBelow, openDirBelow, openFileAt } from "./below";
import { normalize, type Root, resolveTarget, rootOf, type Target } from "./tree";
import { FreeSpaceGuard, oversizeReason, type UploadLimits } from "./upload-limits";

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;
const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_TRUNC, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;
// Bounds what one session holds open on the host.
const MAX_HANDLES = 64;
const MAX_READ_BYTES = 64 * 1024;
const MAX_LISTING = 20_000;
const LISTING_BATCH = 100;
const WRITE_FLAGS = OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC;

type Handle =
  | { kind: "file"; file: FileHandle; writable: boolean; path: string }
  | { kind: "dir"; entries: FileEntry[] };

class Refusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
const denied = () => new Refusal(STATUS_CODE.PERMISSION_DENIED, "Permission denied");
const missing = () => new Refusal(STATUS_CODE.NO_SUCH_FILE, "No such file");

type Entry = Extract<Target, { top: false }>;

/** The folders of a build an SFTP session shows, or null when the build no longer serves. */
export async function sftpRoots(grant: ShellGrant): Promise<Root[] | null> {
  const build = await shellBuild(grant.buildId);
  if (!build) return null;
  const ws = workspaceOf(build.id);
  const data = odooDataDirOf({ id: build.id, stage: build.stage, branchId: build.branchId });
  const filestore = relative(data, filestoreOf(data, build.databaseName)).split(sep);
  return [
    { name: "logs", base: ws.root, steps: ["logs"], writable: false, only: grantLogFiles(grant) },
    { name: "filestore", base: data, steps: filestore, writable: true, owner: ODOO_UID },
    { name: "src", base: ws.root, steps: ["src"], writable: false },
  ];
}

export class SftpSession {
  private readonly handles = new Map<number, Handle>();
  private nextHandle = 0;
  private sessionId: string | null = null;
  private log: WebshellLog | null = null;
  private bytesIn = 0;
  private bytesOut = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private ended = false;
  private sftp!: SFTPWrapper;
  private roots: readonly Root[] = [];
  private space: FreeSpaceGuard | null = null;
  private inOrder: Promise<void> = Promise.resolve();
  private markReady: (ok: boolean) => void = () => {};
  // OpenSSH sends its first packets without waiting for the channel's acceptance: the channel
  // is accepted at once and its requests wait for the audit row.
  private readonly ready = new Promise<boolean>((resolve) => {
    this.markReady = resolve;
  });

  constructor(
    private readonly grant: ShellGrant,
    private readonly logger: Logger,
    private readonly idleMs: number,
    private readonly limits: UploadLimits,
    private readonly onEnd: () => void,
  ) {}

  /** Serves the accepted channel's requests once the session is audited (start). */
  serveChannel(sftp: SFTPWrapper): void {
    this.sftp = sftp;
    sftp.on("REALPATH", (id, path) =>
      this.serve(id, async () =>
        sftp.name(id, [{ filename: normalize(path), longname: "", attrs: folderAttrs() }]),
      ),
    );
    sftp.on("STAT", (id, path) => this.serve(id, async () => sftp.attrs(id, await this.stat(path))));
    sftp.on("LSTAT", (id, path) => this.serve(id, async () => sftp.attrs(id, await this.stat(path))));
    sftp.on("FSTAT", (id, handle) =>
      this.serve(id, async () => sftp.attrs(id, attrsOf(await this.file(handle).file.stat()))),
    );
    sftp.on("OPEN", (id, path, flags, attrs) => this.serve(id, () => this.openFile(id, path, flags, attrs)));
    sftp.on("READ", (id, handle, offset, length) =>
      this.serve(id, () => this.read(id, handle, offset, length)),
    );
    sftp.on("WRITE", (id, handle, offset, data) =>
      this.serve(id, () => this.write(id, handle, offset, data)),
    );
    sftp.on("CLOSE", (id, handle) => this.serve(id, () => this.closeHandle(id, handle)));
    sftp.on("OPENDIR", (id, path) => this.serve(id, () => this.openDir(id, path)));
    sftp.on("READDIR", (id, handle) => this.serve(id, async () => this.readDir(id, handle)));
    sftp.on("MKDIR", (id, path, attrs) =>
      this.serve(id, () =>
        this.change(id, "mkdir", path, async (dir, leaf, root) => {
          await mkdir(at(dir, leaf), (attrs?.mode ?? 0o755) & 0o777);
          if (root.owner !== undefined)
            await bestEffort("owning a folder", lchown(at(dir, leaf), root.owner, root.owner));
        }),
      ),
    );
    sftp.on("RMDIR", (id, path) =>
      this.serve(id, () => this.change(id, "rmdir", path, (dir, leaf) => rmdir(at(dir, leaf)))),
    );
    sftp.on("REMOVE", (id, path) =>
      this.serve(id, () => this.change(id, "rm", path, (dir, leaf) => unlink(at(dir, leaf)))),
    );
    sftp.on("RENAME", (id, from, to) => this.serve(id, () => this.rename(id, from, to)));
    sftp.on("SETSTAT", (id, path, attrs) =>
      this.serve(id, () =>
        this.change(id, "setstat", path, async (dir, leaf) => {
          const file = await open(at(dir, leaf), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
          try {
            const stats = await file.stat();
            if (!stats.isFile() && !stats.isDirectory()) throw denied();
            await setAttrs(file, attrs);
          } finally {
            await file.close();
          }
        }),
      ),
    );
    sftp.on("FSETSTAT", (id, handle, attrs) =>
      this.serve(id, async () => {
        const open = this.file(handle);
        if (!open.writable) throw denied();
        await setAttrs(open.file, attrs);
        sftp.status(id, STATUS_CODE.OK);
      }),
    );
    // The client's end of input (it quits) ends the session; the channel is closed in return.
    sftp.on("end", () => void this.close("closed"));
    sftp.on("close", () => void this.close("closed"));
    sftp.on("error", () => void this.close("error"));
  }

  /** Finds the build's folders and audits the session; requests wait for it. */
  async start(): Promise<void> {
    try {
      const roots = await sftpRoots(this.grant);
      if (!roots) throw new Error("the build does not serve any more");
      this.roots = roots;
      this.sessionId = await recordShellStart(this.grant, "sftp");
      this.log = new WebshellLog(this.grant.buildId, this.sessionId);
      this.log.event("start", `${this.grant.userEmail} (${this.grant.role}) via sftp`);
      // Odoo makes the filestore with the first attachment; an upload may come first.
      for (const root of this.roots.filter((r) => r.writable)) {
        await bestEffort("making the filestore", makeDirsBelow(root.base, root.steps, root.owner));
      }
      this.armIdle();
      this.markReady(true);
    } catch (error) {
      this.markReady(false);
      await this.close("error");
      throw error;
    }
  }

  async close(reason: ShellEndReason): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const handle of this.handles.values())
      if (handle.kind === "file") await bestEffort("closing a file", handle.file.close());
    this.handles.clear();
    if (this.sessionId) {
      this.log?.event("end", `${reason} in:${this.bytesIn} out:${this.bytesOut}`);
      await bestEffort("closing webshell.log", async () => this.log?.close());
      await bestEffort(
        "recording the sftp session's end",
        recordShellEnd(this.sessionId, { reason, bytesIn: this.bytesIn, bytesOut: this.bytesOut }),
      );
    }
    this.markReady(false);
    if (this.sftp) {
      sendExitStatus(this.sftp, reason === "closed" ? 0 : 1);
      this.sftp.end();
    }
    this.onEnd();
  }

  /** Runs one request; a refusal or a file system error becomes its status. */
  private serve(id: number, run: () => Promise<void>): void {
    if (this.ended) return;
    this.armIdle();
    const serving = async () => {
      if (!(await this.ready) || this.ended) return;
      await run();
    };
    // One request at a time, answered in the order sent, as OpenSSH's own sftp-server does:
    // its client keeps only the last status of a pipelined upload, so a refusal answered before
    // earlier writes' acks would be lost and a cut-short file reported as uploaded.
    const done = this.inOrder.then(serving);
    this.inOrder = done.then(
      () => {},
      () => {},
    );
    done.catch((error: unknown) => {
      if (this.ended) return;
      if (error instanceof Refusal) return this.sftp.status(id, error.code, error.message);
      const status = statusOf(error);
      if (status.code === STATUS_CODE.FAILURE) this.logger.debug({ err: error }, "sftp request failed");
      this.sftp.status(id, status.code, status.message);
    });
  }

  private target(path: string): Target {
    const target = resolveTarget(this.roots, path);
    if (!target) throw missing();
    return target;
  }

  /** A file or folder below a root (not the top, not a root itself); `write`: in a writable root. */
  private entry(path: string, write = false): Entry & { leaf: string } {
    if (write && !rootOf(this.roots, path)?.writable) throw denied();
    const target = this.target(path);
    if (target.top) throw denied();
    const leaf = target.rest.at(-1);
    if (leaf === undefined) throw denied();
    return { ...target, leaf };
  }

  private async inParent<T>(entry: Entry, run: (dir: FileHandle) => Promise<T>): Promise<T> {
    const dir = await openDirBelow(entry.root.base, [...entry.root.steps, ...entry.rest.slice(0, -1)]);
    try {
      return await run(dir);
    } finally {
      await dir.close();
    }
  }

  private async stat(path: string): Promise<Attributes> {
    const target = this.target(path);
    if (target.top) return folderAttrs();
    const entry = target;
    const leaf = entry.rest.at(-1);
    if (leaf === undefined) {
      const dir = await openDirBelow(entry.root.base, entry.root.steps);
      try {
        return attrsOf(await dir.stat());
      } finally {
        await dir.close();
      }
    }
    return attrsOf(await this.inParent(entry, (dir) => lstatAt(dir, leaf)));
  }

  private addHandle(id: number, handle: Handle): void {
    if (this.handles.size >= MAX_HANDLES) {
      if (handle.kind === "file") void bestEffort("closing a file", handle.file.close());
      throw new Refusal(STATUS_CODE.FAILURE, "Too many open files");
    }
    const number = this.nextHandle++;
    this.handles.set(number, handle);
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(number);
    this.sftp.handle(id, bytes);
  }

  private handleOf(handle: Buffer): Handle {
    const found = handle.length === 4 ? this.handles.get(handle.readUInt32BE(0)) : undefined;
    if (!found) throw new Refusal(STATUS_CODE.FAILURE, "Bad handle");
    return found;
  }

  private file(handle: Buffer): Extract<Handle, { kind: "file" }> {
    const found = this.handleOf(handle);
    if (found.kind !== "file") throw new Refusal(STATUS_CODE.FAILURE, "Bad handle");
    return found;
  }

  private async openFile(id: number, path: string, flags: number, attrs: Partial<Attributes>): Promise<void> {
    const writable = (flags & WRITE_FLAGS) !== 0;
    const entry = this.entry(path, writable);
    const read = (flags & OPEN_MODE.READ) !== 0;
    let mode = writable ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (flags & OPEN_MODE.APPEND) mode |= O_APPEND;
    if (flags & OPEN_MODE.CREAT) mode |= O_CREAT;
    if (flags & OPEN_MODE.TRUNC) mode |= O_TRUNC;
    if (flags & OPEN_MODE.EXCL) mode |= O_EXCL;
    const permissions = typeof attrs?.mode === "number" ? attrs.mode & 0o777 : 0o644;
    const file = await this.inParent(entry, (dir) => openFileAt(dir, entry.leaf, mode, permissions));
    const owner = entry.root.owner;
    if (writable && owner !== undefined) await bestEffort("owning a file", file.chown(owner, owner));
    if (writable) this.log?.event("note", `sftp write ${entry.path}`);
    this.addHandle(id, { kind: "file", file, writable, path: entry.path });
  }

  private async read(id: number, handle: Buffer, offset: number, length: number): Promise<void> {
    const { file } = this.file(handle);
    const buffer = Buffer.alloc(Math.min(length, MAX_READ_BYTES));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
    if (bytesRead === 0) return this.sftp.status(id, STATUS_CODE.EOF);
    this.bytesOut += bytesRead;
    this.sftp.data(id, buffer.subarray(0, bytesRead));
  }

  private async write(id: number, handle: Buffer, offset: number, data: Buffer): Promise<void> {
    const open = this.file(handle);
    if (!open.writable) throw denied();
    const refusal =
      oversizeReason(this.limits, offset, data.length) ?? (await this.spaceRefusal(data.length));
    if (refusal) {
      this.log?.event("note", `sftp write refused ${open.path}: ${refusal}`);
      throw new Refusal(STATUS_CODE.FAILURE, refusal);
    }
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await open.file.write(data, written, data.length - written, offset + written);
      written += bytesWritten;
    }
    this.bytesIn += data.length;
    this.sftp.status(id, STATUS_CODE.OK);
  }

  private spaceRefusal(length: number): Promise<string | null> {
    const filestore = this.roots.find((root) => root.writable);
    if (!filestore) return Promise.resolve(null);
    this.space ??= new FreeSpaceGuard(this.limits, filestore.base);
    return this.space.refusal(length);
  }

  private async closeHandle(id: number, handle: Buffer): Promise<void> {
    const found = this.handleOf(handle);
    this.handles.delete(handle.readUInt32BE(0));
    if (found.kind === "file") await found.file.close();
    this.sftp.status(id, STATUS_CODE.OK);
  }

  private async openDir(id: number, path: string): Promise<void> {
    const target = this.target(path);
    if (target.top) {
      const entries = await Promise.all(
        this.roots.map(async (root) => {
          const attrs = await this.stat(`/${root.name}`).catch(() => folderAttrs());
          return { filename: root.name, longname: longname(root.name, attrs), attrs };
        }),
      );
      return this.addHandle(id, { kind: "dir", entries });
    }
    const dir = await openDirBelow(target.root.base, [...target.root.steps, ...target.rest]);
    try {
      const only = target.root.only;
      const names = (await readdir(at(dir)))
        .filter((name) => !only || only.includes(name))
        .slice(0, MAX_LISTING);
      const entries: FileEntry[] = [];
      for (const name of names) {
        // An entry removed meanwhile is left out.
        const stats: Stats | null = await lstatAt(dir, name).catch(() => null);
        if (!stats) continue;
        const attrs = attrsOf(stats);
        entries.push({ filename: name, longname: longname(name, attrs), attrs });
      }
      this.addHandle(id, { kind: "dir", entries });
    } finally {
      await dir.close();
    }
  }

  private readDir(id: number, handle: Buffer): void {
    const found = this.handleOf(handle);
    if (found.kind !== "dir") throw new Refusal(STATUS_CODE.FAILURE, "Bad handle");
    const batch = found.entries.splice(0, LISTING_BATCH);
    if (batch.length === 0) this.sftp.status(id, STATUS_CODE.EOF);
    else this.sftp.name(id, batch);
  }

  /** A change to a file or folder of a writable root, noted in webshell.log. */
  private async change(
    id: number,
    what: string,
    path: string,
    run: (dir: FileHandle, leaf: string, root: Root) => Promise<void>,
  ): Promise<void> {
    const entry = this.entry(path, true);
    await this.inParent(entry, (dir) => run(dir, entry.leaf, entry.root));
    this.log?.event("note", `sftp ${what} ${entry.path}`);
    this.sftp.status(id, STATUS_CODE.OK);
  }

  private async rename(id: number, from: string, to: string): Promise<void> {
    const target = this.entry(to, true);
    await this.change(id, "rename", from, async (dir, leaf, root) => {
      if (target.root !== root) throw denied();
      await this.inParent(target, (toDir) => rename(at(dir, leaf), at(toDir, target.leaf)));
    });
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close("idle"), this.idleMs);
  }
}

/** Permissions and times a client sets (owners stay as they are). */
async function setAttrs(file: FileHandle, attrs: Partial<Attributes>): Promise<void> {
  if (typeof attrs?.mode === "number") await file.chmod(attrs.mode & 0o777);
  if (typeof attrs?.atime === "number" && typeof attrs?.mtime === "number")
    await file.utimes(attrs.atime, attrs.mtime);
}

/**
 * The exit status sshd sends when its sftp-server ends: scp counts a channel closed without one
 * as a failure. ssh2's SFTP channel has no exit(); this is the message its Channel.exit sends.
 */
function sendExitStatus(sftp: SFTPWrapper, status: number): void {
  const channel = sftp as unknown as {
    outgoing?: { id: number; state: string };
    _protocol?: { exitStatus(id: number, status: number): void };
  };
  if (channel.outgoing?.state === "open") channel._protocol?.exitStatus(channel.outgoing.id, status);
}
