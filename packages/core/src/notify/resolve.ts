// An event turned into what its messages say: names, branch, stage, build and commit loaded
// here from ids, the link to the page that shows it (PUBLIC_URL). Reasons are clipped: they
// can hold tenant text, which the renderers escape.
import { prisma } from "@gantry/db";
import { redact } from "@gantry/secrets";
import { publicUrl } from "../public-url";
import type { NotifyEvent } from "./events";
import type { NoticeView } from "./notice";

export interface ResolvedEvent {
  projectId: string;
  /** The stage of the build the event is about, for the per-stage switches. */
  stage: string | null;
  view: NoticeView;
}

const stageLabel = (stage: string) => stage.toLowerCase();
/** The first non-empty line, with credentials written into URLs (user:token@host) scrubbed. */
const firstLine = (text: string | null | undefined) =>
  redact((text ?? "").split("\n").find((l) => l.trim()) ?? "", []);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function buildFacts(buildId: string) {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: {
      id: true,
      projectId: true,
      stage: true,
      commitSha: true,
      commitMessage: true,
      errorSummary: true,
      url: true,
      project: { select: { name: true } },
      branch: { select: { id: true, name: true } },
    },
  });
  if (!build) return null;
  const where = `${build.project.name} / ${build.branch.name}`;
  return {
    build,
    where,
    link: publicUrl(`/projects/${build.projectId}/builds/${build.id}`),
    lines: [
      `Branch: ${build.branch.name} (${stageLabel(build.stage)})`,
      `Build: ${build.id}`,
      `Commit: ${build.commitSha.slice(0, 12)} ${firstLine(build.commitMessage)}`.trim(),
    ],
    data: {
      projectId: build.projectId,
      project: build.project.name,
      branchId: build.branch.id,
      branch: build.branch.name,
      stage: stageLabel(build.stage),
      buildId: build.id,
      commit: build.commitSha,
    },
  };
}

async function buildEvent(
  event: Extract<NotifyEvent, { buildId: string }>,
  title: (where: string, stage: string) => string,
  extra: (facts: NonNullable<Awaited<ReturnType<typeof buildFacts>>>) => string[] = () => [],
): Promise<ResolvedEvent | null> {
  const facts = await buildFacts(event.buildId);
  if (!facts) return null;
  return {
    projectId: facts.build.projectId,
    stage: facts.build.stage,
    view: {
      event: event.type,
      title: title(facts.where, stageLabel(facts.build.stage)),
      lines: [...facts.lines, ...extra(facts)],
      link: facts.link,
      data: facts.data,
    },
  };
}

async function backupEvent(
  event: Extract<NotifyEvent, { backupId: string }>,
  what: string,
): Promise<ResolvedEvent | null> {
  const backup = await prisma().backup.findUnique({
    where: { id: event.backupId },
    select: {
      id: true,
      projectId: true,
      kind: true,
      stage: true,
      project: { select: { name: true } },
      branch: { select: { id: true, name: true } },
    },
  });
  if (!backup) return null;
  const branch = backup.branch?.name ?? "(deleted branch)";
  return {
    projectId: backup.projectId,
    stage: backup.stage,
    view: {
      event: event.type,
      title: `${what}: ${backup.project.name} / ${branch}`,
      lines: [
        `Backup: ${backup.id} (${backup.kind.toLowerCase()})`,
        ...(event.reason ? [`Reason: ${firstLine(event.reason)}`] : []),
      ],
      link: backup.branch
        ? publicUrl(`/projects/${backup.projectId}/branches/${backup.branch.id}/backups`)
        : publicUrl(`/projects/${backup.projectId}`),
      data: {
        projectId: backup.projectId,
        project: backup.project.name,
        branchId: backup.branch?.id ?? null,
        branch: backup.branch?.name ?? null,
        backupId: backup.id,
        kind: backup.kind.toLowerCase(),
      },
    },
  };
}

/** The event's project and message; null when what it names is gone (nothing to tell). */
export async function resolveEvent(event: NotifyEvent, projectId: string): Promise<ResolvedEvent | null> {
  switch (event.type) {
    case "build.failed":
      return buildEvent(
        event,
        (where, stage) => `Build failed: ${where} (${stage})`,
        (f) => (f.build.errorSummary ? [`Error: ${firstLine(f.build.errorSummary)}`] : []),
      );
    case "build.fixed":
      return buildEvent(event, (where, stage) => `Build fixed: ${where} (${stage})`);
    case "deploy.started":
      return buildEvent(event, (where) => `Production deploy started: ${where}`);
    case "deploy.done":
      return buildEvent(
        event,
        (where) => `Production deploy done: ${where}`,
        (f) => (f.build.url ? [`Serving: ${f.build.url}`] : []),
      );
    case "deploy.rolled_back":
      return buildEvent(
        event,
        (where) => `Production deploy rolled back: ${where}`,
        () => (event.reason ? [`Reason: ${firstLine(event.reason)}`] : []),
      );
    case "error.new_group":
      return buildEvent(
        event,
        (where) => `New error on production: ${where}`,
        () => [`Error: ${firstLine(event.title)}`],
      );
    case "node.lost":
      return buildEvent(
        event,
        (where) => `Production's node lost: ${where}`,
        () => [
          `Node ${event.node} stopped answering the cluster; production waits for it to come back (its filestore lives there)`,
        ],
      );
    case "disk.over_threshold":
      return buildEvent(
        event,
        (where) => `Disk over the threshold: ${where}`,
        () => [`Database and filestore: ${mb(event.bytes)} (threshold ${mb(event.thresholdBytes)})`],
      );
    case "backup.failed":
      return backupEvent(event, "Backup failed");
    case "backup.verification_failed":
      return backupEvent(event, "Backup verification failed");
    case "upgrade.ended": {
      const attempt = await prisma().upgradeAttempt.findUnique({
        where: { id: event.attemptId },
        select: { projectId: true, branchId: true, project: { select: { name: true } } },
      });
      if (!attempt) return null;
      return {
        projectId: attempt.projectId,
        stage: null,
        view: {
          event: event.type,
          title: event.summary,
          lines: [],
          link: publicUrl(`/projects/${attempt.projectId}/branches/${attempt.branchId}/upgrade`),
          details: event.details,
          data: {
            projectId: attempt.projectId,
            project: attempt.project.name,
            branchId: attempt.branchId,
            attemptId: event.attemptId,
            ok: event.ok,
          },
        },
      };
    }
    case "production.down":
    case "production.up": {
      const branch = await prisma().branch.findUnique({
        where: { id: event.branchId },
        select: { id: true, name: true, projectId: true, project: { select: { name: true } } },
      });
      if (!branch) return null;
      return {
        projectId: branch.projectId,
        stage: "PRODUCTION",
        view: {
          event: event.type,
          title: `${event.type === "production.up" ? "Production back up" : "Production down"}: ${branch.project.name} / ${branch.name}`,
          lines:
            event.type === "production.up"
              ? [`Down for ${event.minutes} min; the health check passes again`]
              : [
                  `Health check failing for ${event.minutes} min`,
                  ...(event.reason ? [`Cause: ${firstLine(event.reason)}`] : []),
                ],
          link: publicUrl(`/projects/${branch.projectId}/branches/${branch.id}`),
          data: {
            projectId: branch.projectId,
            project: branch.project.name,
            branchId: branch.id,
            branch: branch.name,
            buildId: event.buildId ?? null,
            minutes: event.minutes,
          },
        },
      };
    }
    case "domain.problem": {
      const domain = await prisma().domain.findUnique({
        where: { id: event.domainId },
        select: {
          name: true,
          branch: {
            select: {
              id: true,
              name: true,
              stage: true,
              projectId: true,
              project: { select: { name: true } },
            },
          },
        },
      });
      if (!domain) return null;
      const { branch } = domain;
      return {
        projectId: branch.projectId,
        stage: branch.stage,
        view: {
          event: event.type,
          title: `Custom domain failing: ${domain.name} (${branch.project.name} / ${branch.name})`,
          lines: [
            `Branch: ${branch.name} (${stageLabel(branch.stage)})`,
            `Problem: ${firstLine(event.reason)}`,
          ],
          link: publicUrl(`/projects/${branch.projectId}/branches/${branch.id}`),
          data: {
            projectId: branch.projectId,
            project: branch.project.name,
            branchId: branch.id,
            branch: branch.name,
            domain: domain.name,
          },
        },
      };
    }
    case "test": {
      const project = await prisma().project.findUnique({ where: { id: projectId }, select: { name: true } });
      if (!project) return null;
      return {
        projectId,
        stage: null,
        view: {
          event: "test",
          title: `Test notice from Gantry: ${project.name}`,
          lines: ["This channel receives the project's notices."],
          link: publicUrl(`/projects/${projectId}/settings`),
          data: { projectId, project: project.name },
        },
      };
    }
  }
}
