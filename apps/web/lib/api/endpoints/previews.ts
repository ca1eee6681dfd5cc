import { previewModes } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

// Pull-request previews and the project's preview settings.
const when = z.string().describe("ISO timestamp");
const projectId = z.object({ projectId: z.string().min(1).max(100) });

const settings = z
  .object({
    mode: z
      .enum(previewModes)
      .describe(
        "OFF; DEVELOPMENT: each open pull request gets a development build; STAGING_COPY: the repository's own pull requests are built on a neutralized copy of production's latest verified backup (a fork's still get a development build)",
      ),
    forks: z.boolean().describe("Pull requests from forks get a preview (no deploy key, no egress)"),
    limit: z.number().int().describe("Previews awake at once; beyond it the least recently used sleep"),
  })
  .meta({ id: "PreviewSettings" });

const preview = z
  .object({
    id: z.string(),
    number: z.number().int(),
    url: z.string(),
    title: z.string(),
    fork: z.boolean(),
    headRepository: z.string().nullable(),
    headSha: z.string(),
    branch: z.object({ id: z.string(), name: z.string() }),
    open: z.boolean(),
    closedAt: when.nullable(),
    createdAt: when,
    build: z
      .object({
        id: z.string(),
        status: z.string(),
        result: z.string().nullable(),
        url: z.string().nullable(),
        sleeping: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: "Preview" });

export const listPreviews = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/previews",
  summary: "The project's pull-request previews (open first) and its preview settings",
  tags: ["previews"],
  access: "signed-in",
  params: projectId,
  query: z.object({ open: z.enum(["true", "false"]).optional() }),
  output: z.object({ settings, previews: z.array(preview) }),
  errors: ["forbidden", "not_found"],
});

export const updatePreviewSettings = defineEndpoint({
  method: "patch",
  path: "/api/v1/projects/{projectId}/previews",
  summary: "Set the preview mode, whether forks get previews, and the limit (Admin)",
  tags: ["previews"],
  access: "signed-in",
  params: projectId,
  body: settings.partial(),
  output: settings,
  errors: ["forbidden", "not_found", "invalid_input"],
});

export const previewEndpoints = [listPreviews, updatePreviewSettings];
