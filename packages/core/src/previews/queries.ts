// Previews as the API and the board show them, and the project's preview settings.
import { prisma } from "@gantry/db";
import { z } from "zod";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";

/** STAGING_COPY: the repository's own pull requests on a neutralized copy of production's latest verified backup. */
export const previewModes = ["OFF", "DEVELOPMENT", "STAGING_COPY"] as const;

export interface PreviewSettings {
  mode: (typeof previewModes)[number];
  forks: boolean;
  limit: number;
}

export interface PreviewSummary {
  id: string;
  number: number;
  url: string;
  title: string;
  fork: boolean;
  headRepository: string | null;
  headSha: string;
  branch: { id: string; name: string };
  open: boolean;
  closedAt: Date | null;
  createdAt: Date;
  /** The newest build of the preview's branch since the pull request was opened. */
  build: {
    id: string;
    status: string;
    result: string | null;
    url: string | null;
    sleeping: boolean;
  } | null;
}

export const previewSettingsInput = z
  .object({
    mode: z.enum(previewModes),
    forks: z.boolean(),
    limit: z.number().int().min(1).max(50),
  })
  .partial();

async function settingsOf(projectId: string): Promise<PreviewSettings> {
  const p = await prisma().project.findUnique({
    where: { id: projectId },
    select: { previewMode: true, previewForks: true, previewLimit: true },
  });
  if (!p) throw new AppError("not_found", "No such project");
  return { mode: p.previewMode, forks: p.previewForks, limit: p.previewLimit };
}

export async function previewSettings(actor: Actor, projectId: string): Promise<PreviewSettings> {
  assertCan(actor, "status", { projectId });
  return settingsOf(projectId);
}

export async function setPreviewSettings(
  actor: Actor,
  projectId: string,
  input: z.input<typeof previewSettingsInput>,
  ip?: string,
): Promise<PreviewSettings> {
  assertCan(actor, "project_settings", { projectId });
  const parsed = previewSettingsInput.safeParse(input);
  if (!parsed.success)
    throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "invalid settings");
  const { mode, forks, limit } = parsed.data;
  await settingsOf(projectId);
  await prisma().project.update({
    where: { id: projectId },
    data: {
      ...(mode === undefined ? {} : { previewMode: mode }),
      ...(forks === undefined ? {} : { previewForks: forks }),
      ...(limit === undefined ? {} : { previewLimit: limit }),
    },
  });
  await recordAudit({
    action: "project.preview_settings",
    projectId,
    userId: actor.userId,
    ip,
    data: parsed.data,
  });
  return settingsOf(projectId);
}

/** The project's previews, open ones first, newest first. */
export async function listPreviews(
  actor: Actor,
  projectId: string,
  options: { open?: boolean } = {},
): Promise<PreviewSummary[]> {
  assertCan(actor, "status", { projectId });
  const rows = await prisma().preview.findMany({
    where: { projectId, ...(options.open ? { closedAt: null } : {}) },
    include: { branch: { select: { id: true, name: true } } },
    orderBy: [{ closedAt: { sort: "desc", nulls: "first" } }, { number: "desc" }],
    take: 200,
  });
  return Promise.all(
    rows.map(async (p) => {
      const build = await prisma().build.findFirst({
        where: { branchId: p.branchId, createdAt: { gte: p.createdAt } },
        orderBy: { createdAt: "desc" },
        select: { id: true, status: true, result: true, url: true, sleepingSince: true, cleanedAt: true },
      });
      return {
        id: p.id,
        number: p.number,
        url: p.url,
        title: p.title,
        fork: p.fork,
        headRepository: p.headRepository,
        headSha: p.headSha,
        branch: p.branch,
        open: p.closedAt === null,
        closedAt: p.closedAt,
        createdAt: p.createdAt,
        build: build
          ? {
              id: build.id,
              status: build.status,
              result: build.result,
              url: build.cleanedAt ? null : build.url,
              sleeping: build.sleepingSince !== null,
            }
          : null,
      };
    }),
  );
}
