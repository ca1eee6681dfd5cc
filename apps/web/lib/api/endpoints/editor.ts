import { z } from "zod";
import { defineEndpoint } from "../endpoint";

// The Editor tab over a build's checkout. Reading takes the Shell right of the build's stage;
// writing, committing and updating a module also need a stage other than production.
const params = z.object({ buildId: z.string().min(1).max(100) });
const path = z.string().min(1).max(1024).describe("Relative to the checkout, with forward slashes");
const common = { tags: ["editor"], access: "signed-in" as const, params };

export const editorTree = defineEndpoint({
  ...common,
  method: "get",
  path: "/api/v1/builds/{buildId}/editor/tree",
  summary:
    "The files and folders of the build's checkout (no .git; symbolic links and submodules listed, " +
    "not entered; at most 5000 entries)",
  output: z.object({
    commitSha: z.string(),
    writable: z.boolean().describe("False on production: its checkout is read-only"),
    truncated: z.boolean(),
    entries: z.array(
      z.object({
        path: z.string(),
        type: z.enum(["file", "dir", "symlink", "submodule"]),
        size: z.number().int().optional(),
      }),
    ),
  }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const editorReadFile = defineEndpoint({
  ...common,
  method: "get",
  path: "/api/v1/builds/{buildId}/editor/file",
  summary: "One file of the checkout (at most 1 MiB; a binary file comes without content)",
  query: z.object({ path }),
  output: z.object({
    path: z.string(),
    size: z.number().int(),
    binary: z.boolean(),
    content: z.string().nullable(),
  }),
  errors: ["forbidden", "not_found", "conflict", "too_large"],
});

export const editorWriteFile = defineEndpoint({
  ...common,
  method: "put",
  path: "/api/v1/builds/{buildId}/editor/file",
  summary:
    "Saves one text file of the checkout (development and staging; a new file in an existing folder, " +
    "or over a text file); binary files and files over 1 MiB are refused",
  body: z.object({ path, content: z.string() }).strict(),
  // JSON escapes make the body larger than the file.
  maxBodyBytes: 8 * 1024 * 1024,
  output: z.object({ path: z.string(), size: z.number().int() }),
  errors: ["forbidden", "not_found", "conflict", "too_large"],
});

export const editorChangesList = defineEndpoint({
  ...common,
  method: "get",
  path: "/api/v1/builds/{buildId}/editor/changes",
  summary: "The files of the work tree that differ from the build's commit",
  output: z.object({
    commitSha: z.string(),
    changes: z.array(z.object({ path: z.string(), kind: z.enum(["added", "modified", "deleted"]) })),
  }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const editorDiff = defineEndpoint({
  ...common,
  method: "get",
  path: "/api/v1/builds/{buildId}/editor/diff",
  summary: "One file as the build's commit has it and as the work tree has it (null where absent)",
  query: z.object({ path }),
  output: z.object({
    path: z.string(),
    original: z.string().nullable(),
    current: z.string().nullable(),
    binary: z.boolean(),
  }),
  errors: ["forbidden", "not_found", "conflict", "too_large"],
});

export const editorCommit = defineEndpoint({
  ...common,
  method: "post",
  path: "/api/v1/builds/{buildId}/editor/commit",
  summary:
    "Commits every change of the work tree with the signed-in user as author and pushes it to the " +
    "build's branch (fast-forward only); the push builds the branch as GitHub's push would",
  body: z.object({ message: z.string().max(5000) }).strict(),
  output: z.object({
    sha: z.string(),
    branch: z.string(),
    buildId: z.string().nullable().describe("The build the push queued, if the branch builds on push"),
  }),
  status: 201,
  errors: ["forbidden", "not_found", "conflict", "unavailable"],
});

export const editorUpdateModule = defineEndpoint({
  ...common,
  method: "post",
  path: "/api/v1/builds/{buildId}/editor/update-module",
  summary: "Updates one module (-u) on the serving build, then restarts its Odoo; follow it with the job id",
  body: z.object({ module: z.string().max(100) }).strict(),
  output: z.object({ jobId: z.string() }),
  status: 202,
  errors: ["forbidden", "not_found", "conflict"],
});

export const editorUpdateModuleStatus = defineEndpoint({
  ...common,
  method: "get",
  path: "/api/v1/builds/{buildId}/editor/update-module/{jobId}",
  summary: "Where a module update stands, and the end of its output once it ran",
  params: params.extend({ jobId: z.string().min(1).max(200) }),
  output: z.object({
    jobId: z.string(),
    state: z.enum(["waiting", "running", "updated", "failed"]),
    output: z.string().nullable(),
    error: z.string().nullable(),
  }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const editorEndpoints = [
  editorTree,
  editorReadFile,
  editorWriteFile,
  editorChangesList,
  editorDiff,
  editorCommit,
  editorUpdateModule,
  editorUpdateModuleStatus,
] as const;
