import { stages } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const when = z.string().describe("ISO timestamp");
const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const branchParams = projectParams.extend({ branchId: z.string().min(1).max(100) });
const backupParams = projectParams.extend({ backupId: z.string().min(1).max(100) });
const status = z.enum(["PENDING", "RUNNING", "DONE", "FAILED"]);

export const backupSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    branchId: z.string().nullable(),
    branch: z.object({ name: z.string(), stage: z.enum(stages) }).nullable(),
    stage: z.enum(stages).describe("The stage of the data when the backup was taken"),
    kind: z.enum(["DAILY", "MANUAL", "UPDATE", "UPGRADE", "IMPORT", "SAFETY"]),
    status,
    withFilestore: z.boolean(),
    neutralized: z.boolean(),
    odooSeries: z.string().nullable(),
    sizeBytes: z.number().nullable(),
    sha256: z.string().nullable(),
    verifyStatus: z.enum(["PENDING", "VERIFIED", "FAILED"]),
    verifyMessage: z.string().nullable(),
    verifiedAt: when.nullable(),
    error: z.string().nullable(),
    progress: z.number().int(),
    message: z.string().nullable(),
    createdAt: when,
    startedAt: when.nullable(),
    finishedAt: when.nullable(),
    deletedAt: when.nullable(),
  })
  .meta({ id: "Backup" });

export const restoreSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    branchId: z.string(),
    backupId: z.string().nullable(),
    status,
    progress: z.number().int(),
    message: z.string().nullable(),
    error: z.string().nullable(),
    safetyBackupId: z.string().nullable(),
    createdAt: when,
    startedAt: when.nullable(),
    finishedAt: when.nullable(),
  })
  .meta({ id: "BackupRestore" });

export const importQuery = z.object({
  filename: z.string().min(1).max(255),
  neutralize: z.enum(["true", "false"]).optional(),
});

const queued = z.object({ id: z.string(), jobId: z.string() });

export const listProjectBackups = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/backups",
  summary: "The project's backups on the stages the caller may manage, newest first",
  tags: ["backups"],
  access: "signed-in",
  params: projectParams,
  query: z.object({ branchId: z.string().min(1).max(100).optional() }),
  output: z.object({ backups: z.array(backupSchema) }),
  errors: ["forbidden", "not_found"],
});

export const listBranchBackups = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/backups",
  summary: "A branch's backups and its latest restores and imports",
  tags: ["backups"],
  access: "signed-in",
  params: branchParams,
  output: z.object({ backups: z.array(backupSchema), restores: z.array(restoreSchema) }),
  errors: ["forbidden", "not_found"],
});

export const createBackup = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/backups",
  summary: "Take a manual backup now (production and staging; at most 5 a day per branch: 429 after)",
  tags: ["backups"],
  access: "signed-in",
  params: branchParams,
  body: z
    .object({ withFilestore: z.boolean().optional(), neutralized: z.boolean().optional() })
    .strict()
    .optional(),
  output: queued,
  status: 202,
  errors: ["forbidden", "not_found", "conflict", "rate_limited"],
});

export const restoreBackup = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/backups/{backupId}/restore",
  summary:
    "Restore a backup into the branch's database and filestore; a safety backup of the current ones is taken first",
  tags: ["backups"],
  access: "signed-in",
  params: branchParams.extend({ backupId: z.string().min(1).max(100) }),
  output: queued,
  status: 202,
  errors: ["forbidden", "not_found", "conflict"],
});

export const downloadBackup = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/backups/{backupId}/download",
  summary:
    "Download a backup zip (application/zip); honours `Range: bytes=a-b` (206) so an interrupted download resumes",
  tags: ["backups"],
  access: "signed-in",
  params: backupParams,
  output: z.string().describe("The archive's bytes"),
  errors: ["forbidden", "not_found"],
});

export const importBackup = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/import",
  summary:
    "Import an Odoo backup zip, or a pg_dump .sql or .dump file (the request body; `filename` gives its kind), into the branch; refused archives change nothing",
  tags: ["backups"],
  access: "signed-in",
  params: branchParams,
  query: importQuery,
  output: queued,
  status: 202,
  errors: ["forbidden", "not_found", "conflict", "too_large", "unavailable"],
});

export const backupEndpoints = [
  listProjectBackups,
  listBranchBackups,
  createBackup,
  restoreBackup,
  downloadBackup,
  importBackup,
] as const;
