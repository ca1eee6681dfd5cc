import { branchBoard, can, getProject, isAppError, upgradeOverview } from "@gantry/core";
import { notFound } from "next/navigation";
import { BranchSidebar } from "@/components/branches/BranchSidebar";
import { BranchTabs } from "@/components/branches/BranchTabs";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { BranchUpgradeAlert } from "@/components/upgrades/BranchUpgradeAlert";
import { UpgradeTab } from "@/components/upgrades/UpgradeTab";
import { toJson } from "@/lib/api/authed";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function UpgradePage({
  params,
}: {
  params: Promise<{ projectId: string; branchId: string }>;
}) {
  const { projectId, branchId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}/branches/${branchId}/upgrade`);
  const [project, overview] = await Promise.all([
    getProject(actor, projectId),
    upgradeOverview(actor, projectId, branchId),
  ]).catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  const board = await branchBoard(actor, projectId);
  const stage = overview.branch.stage;
  return (
    <>
      <PageHeader title={overview.branch.name} description={`${project.name} · ${stage.toLowerCase()}`} />
      <ProjectTabs projectId={projectId} admin={can(actor, "project_settings", { projectId })} />
      <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
        <BranchSidebar projectId={projectId} branches={board.branches} currentId={branchId} />
        <div className="space-y-6">
          <BranchTabs
            projectId={projectId}
            branchId={branchId}
            current="upgrade"
            backups={stage !== "DEVELOPMENT" && can(actor, "backups", { projectId, stage })}
            upgrade
          />
          <BranchUpgradeAlert actor={actor} projectId={projectId} branchId={branchId} />
          <UpgradeTab projectId={projectId} branchId={branchId} initial={toJson(overview)} />
        </div>
      </div>
    </>
  );
}
