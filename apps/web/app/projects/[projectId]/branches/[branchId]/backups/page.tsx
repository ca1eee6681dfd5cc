import { config } from "@gantry/config";
import { backupTab, branchBoard, can, getProject, isAppError } from "@gantry/core";
import { notFound } from "next/navigation";
import { BackupsPanel } from "@/components/backups/BackupsPanel";
import { BranchSidebar } from "@/components/branches/BranchSidebar";
import { BranchTabs } from "@/components/branches/BranchTabs";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { toJson } from "@/lib/api/authed";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function BackupsPage({
  params,
}: {
  params: Promise<{ projectId: string; branchId: string }>;
}) {
  const { projectId, branchId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}/branches/${branchId}/backups`);
  const project = await getProject(actor, projectId).catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  const board = await branchBoard(actor, projectId);
  const branchRow = board.branches.find((b) => b.id === branchId);
  if (!branchRow) notFound();
  const stage = branchRow.stage;
  const allowed = can(actor, "backups", { projectId, stage });

  const header = (
    <>
      <PageHeader
        title={`${branchRow.name}: backups`}
        description={`${project.name} · ${stage.toLowerCase()}`}
      />
      <ProjectTabs projectId={projectId} admin={can(actor, "project_settings", { projectId })} />
    </>
  );
  let body: React.ReactNode;
  if (stage === "DEVELOPMENT") {
    body = (
      <p className="text-sm text-slate-600">
        Development branches have no backups: only production and staging do.
      </p>
    );
  } else if (!allowed) {
    body = (
      <p role="alert" className="text-sm text-slate-700">
        Your role does not give access to the backups of {stage.toLowerCase()} branches.
      </p>
    );
  } else {
    const { branch, backups, restores, serving } = await backupTab(actor, projectId, branchId);
    body = (
      <>
        {serving ? null : (
          <p
            role="status"
            className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          >
            The branch has no running build: backups, restores and imports start once it is built.
          </p>
        )}
        <BackupsPanel
          projectId={projectId}
          branchId={branchId}
          branchName={branch.name}
          stage={stage}
          dailyHour={config().BACKUP_DAILY_HOUR}
          serving={serving}
          initial={toJson({ backups, restores })}
        />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
        <BranchSidebar projectId={projectId} branches={board.branches} currentId={branchId} />
        <div>
          <BranchTabs
            projectId={projectId}
            branchId={branchId}
            current="backups"
            backups={allowed && stage !== "DEVELOPMENT"}
            upgrade={can(actor, "upgrade", { projectId, stage })}
          />
          {body}
        </div>
      </div>
    </>
  );
}
