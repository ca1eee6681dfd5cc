// Importing an Odoo backup zip, or a plain (.sql) or custom-format (.dump) pg_dump file, into a
// production or staging branch. The upload is written to the scratch folder under the size
// limit (BACKUP_IMPORT_MAX_MB) and after a free-space check (4x the archive: the upload, its
// stored copy, the restored database and filestore), then a zip is checked at once like every archive (zip slip, links, bombs, duplicates, unknown entries,
// forbidden SQL, a newer Odoo series): a hostile or broken archive is refused here with its
// reason and nothing is changed. A .sql or .dump upload is kept under its own extension and
// checked by the worker, which first turns it into an Odoo zip (the same checks then apply).
// The restore itself runs in the `backups` queue.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { dumpKindOf, hasFreeSpace, inspectArchive, isBackupError } from "@gantry/backup";
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { enqueue, restoreJobId } from "@gantry/queue";
import type { Actor } from "../access";
import { recordAudit } from "../audit";
import { servingFilter, servingOrder } from "../builds/serving";
import { AppError } from "../errors";
import { backupBranch } from "./queries";
import type { RequestContext } from "./requests";
import { backupScratchDir } from "./storage";

export function importMaxBytes(): number {
  return config().BACKUP_IMPORT_MAX_MB * 1024 * 1024;
}

class SizeLimit extends Transform {
  private bytes = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max)
      done(
        new AppError(
          "too_large",
          `the archive exceeds the import limit of ${Math.round(this.max / 1048576)} MB`,
        ),
      );
    else done(null, chunk);
  }
}

export interface ImportInput {
  body: ReadableStream<Uint8Array> | Readable;
  filename: string;
  declaredBytes?: number;
  /** Crons and mail servers off after the import (always on staging). Default true. */
  neutralize?: boolean;
}

export async function importBackup(
  actor: Actor,
  projectId: string,
  branchId: string,
  input: ImportInput,
  context: RequestContext = {},
) {
  const branch = await backupBranch(actor, projectId, branchId);
  if (branch.stage === "DEVELOPMENT")
    throw new AppError("invalid_input", "imports go into production or staging branches");
  const dumpKind = dumpKindOf(input.filename);
  if (!dumpKind && !input.filename.toLowerCase().endsWith(".zip"))
    throw new AppError(
      "invalid_input",
      "upload an Odoo backup zip (.zip with dump.sql, manifest.json and filestore/), or a pg_dump file (.sql or .dump)",
    );
  const live = await prisma().build.findFirst({
    where: { branchId, ...servingFilter },
    orderBy: servingOrder,
    select: { odooSeries: true },
  });
  if (!live) throw new AppError("conflict", "the branch has no running build to import into");
  const running = await prisma().backupRestore.findFirst({
    where: { branchId, status: { in: ["PENDING", "RUNNING"] } },
    select: { id: true },
  });
  if (running) throw new AppError("conflict", "a restore or import into this branch is already under way");
  const max = importMaxBytes();
  if (input.declaredBytes !== undefined && input.declaredBytes > max)
    throw new AppError(
      "too_large",
      `the archive exceeds the import limit of ${config().BACKUP_IMPORT_MAX_MB} MB`,
    );
  const uploads = join(backupScratchDir(), "uploads");
  await mkdir(uploads, { recursive: true });
  const expected = input.declaredBytes ?? 0;
  if (!(await hasFreeSpace(uploads, expected * 4)))
    throw new AppError(
      "unavailable",
      `not enough free disk space for this import (${expected * 4} bytes needed, 4x the archive)`,
    );

  const upload = `import-${randomBytes(8).toString("hex")}.${dumpKind ?? "zip"}`;
  const path = join(uploads, upload);
  try {
    const source = input.body instanceof Readable ? input.body : Readable.fromWeb(input.body as never);
    await pipeline(source, new SizeLimit(max), createWriteStream(path, { flags: "wx" }));
    // A dump is inspected by the worker once it is a zip; its size stands for what it restores.
    const restoredBytes = dumpKind
      ? (await stat(path)).size
      : (await inspectArchive(path, { targetSeries: live.odooSeries ?? undefined })).totalBytes;
    if (!(await hasFreeSpace(uploads, restoredBytes * 4)))
      throw new AppError(
        "unavailable",
        "not enough free disk space to restore this archive (4x its size needed)",
      );
  } catch (error) {
    await rm(path, { force: true });
    if (isBackupError(error))
      throw new AppError("invalid_input", `The archive was refused (${error.code}): ${error.message}`, {
        details: { reason: error.code },
      });
    throw error;
  }
  const row = await prisma().backupRestore.create({
    data: { projectId, branchId, requestedById: actor.userId },
    select: { id: true },
  });
  const job = await enqueue(
    "backups.import",
    { restoreId: row.id, upload, neutralize: input.neutralize ?? true },
    { jobId: restoreJobId(row.id) },
  );
  await recordAudit({
    action: "backup.imported",
    projectId,
    userId: actor.userId,
    target: row.id,
    data: { branchId, branch: branch.name, filename: input.filename.slice(0, 200) },
    ip: context.ip,
  });
  return { id: row.id, jobId: job.jobId };
}
