// What the client reads of the API's answers: only the fields the tables show. The CLI speaks
// HTTP only, so it keeps these small copies instead of loading the server's contracts; the
// integration tests check --json output against the server's own schemas.
import { z } from "zod";

export const apiErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const project = z.object({ id: z.string(), slug: z.string(), name: z.string(), odooSeries: z.string() });
export const projectList = z.object({
  projects: z.array(
    project.extend({ githubOwner: z.string(), githubRepo: z.string(), role: z.string().nullable() }),
  ),
});

const branch = z.object({ id: z.string(), name: z.string(), stage: z.string(), createdAt: z.string() });
export const branchList = z.object({ branches: z.array(branch) });

export const buildSummary = z.object({
  id: z.string(),
  projectId: z.string(),
  branch: z.object({ name: z.string() }),
  stage: z.string(),
  commitSha: z.string(),
  status: z.string(),
  result: z.string().nullable(),
  errorSummary: z.string().nullable(),
  url: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type BuildSummary = z.infer<typeof buildSummary>;
export const buildList = z.object({ builds: z.array(buildSummary) });

const gate = z
  .object({
    waitingChecks: z.boolean(),
    waitingWindow: z.boolean(),
    checks: z.array(z.object({ name: z.string(), state: z.string() })),
    checksError: z.string().nullable(),
    windowOpensAt: z.string().nullable(),
    releasedAt: z.string().nullable(),
    releaseNote: z.string().nullable(),
  })
  .nullable();

export const buildDetail = buildSummary.extend({
  gate,
  commitMessage: z.string(),
  phases: z.array(z.object({ name: z.string(), status: z.string(), message: z.string().nullable() })),
  logs: z.array(z.object({ file: z.string(), bytes: z.number() })),
});

export const rebuilt = z.object({
  id: z.string(),
  branchId: z.string(),
  stage: z.string(),
  commitSha: z.string(),
});
export const cancelled = z.object({ outcome: z.string() });
export const deployed = z.object({ id: z.string(), status: z.string() });
export const shellTicket = z.object({ ticket: z.string(), url: z.string() });

export const backup = z.object({
  id: z.string(),
  branch: z.object({ name: z.string(), stage: z.string() }).nullable(),
  kind: z.string(),
  status: z.string(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  verifyStatus: z.string(),
  createdAt: z.string(),
});
export type Backup = z.infer<typeof backup>;
export const backupList = z.object({ backups: z.array(backup) });
export const queued = z.object({ id: z.string(), jobId: z.string() });

export const me = z.object({ id: z.string(), email: z.string(), name: z.string() });
