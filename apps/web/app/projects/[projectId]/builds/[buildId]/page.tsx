import { config } from "@gantry/config";
import {
  can,
  getBuild,
  getProject,
  isAppError,
  isBuildLogFile,
  newErrorGroupsOfBuild,
  sshCommand,
  sshUserOf,
} from "@gantry/core";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BuildLive } from "@/components/builds/BuildLive";
import { NewErrorsNotice } from "@/components/errors/NewErrorsNotice";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { toJson } from "@/lib/api/authed";
import { requirePrincipal } from "@/lib/auth/session";
import { buildLogSizes } from "@/lib/logs/files";

export const dynamic = "force-dynamic";

export default async function BuildPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string; buildId: string }>;
  searchParams: Promise<{ log?: string; line?: string }>;
}) {
  const { projectId, buildId } = await params;
  const { log, line } = await searchParams;
  const actor = await requirePrincipal(`/projects/${projectId}/builds/${buildId}`);
  const load = async () => {
    const build = await getBuild(actor, buildId);
    if (build.projectId !== projectId) notFound();
    return { project: await getProject(actor, projectId), build };
  };
  const { project, build } = await load().catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  const target = { projectId, stage: build.stage };
  const initial = { ...toJson(build), logs: await buildLogSizes(actor, build) };
  const lineNumber = Number.parseInt(line ?? "", 10);
  const focus =
    log && isBuildLogFile(log) && Number.isSafeInteger(lineNumber) && lineNumber > 0
      ? { file: log, line: lineNumber }
      : undefined;
  const newErrors = await newErrorGroupsOfBuild(actor, build);
  return (
    <>
      <PageHeader
        title={`${build.branch.name} · ${build.commitSha.slice(0, 7)}`}
        description={`${project.name} · ${build.stage.toLowerCase()} build · ${build.trigger}`}
        actions={
          <Link href={`/projects/${projectId}/builds`} className="text-sm text-indigo-700 hover:underline">
            All builds
          </Link>
        }
      />
      <ProjectTabs projectId={projectId} admin={can(actor, "project_settings", { projectId })} />
      <NewErrorsNotice projectId={projectId} groups={newErrors} what="this build" />
      <BuildLive
        focus={focus}
        initial={initial}
        canConnect={can(actor, "connect", target)}
        canRebuild={can(actor, "deploy", target)}
        canLogs={can(actor, "logs", target)}
        // Production's mail is delivered, never caught: its builds have no Mails tab.
        canMails={build.stage !== "PRODUCTION" && can(actor, "mails", target)}
        canShell={can(actor, "shell", target)}
        // Only a build that served has anything to measure.
        canMonitor={build.servingAt !== null && can(actor, "monitoring", target)}
        sshCommand={sshCommand(sshUserOf(build))}
        clustered={config().RUNTIME === "swarm"}
      />
    </>
  );
}
