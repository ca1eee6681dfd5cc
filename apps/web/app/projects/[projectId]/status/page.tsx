import { can, getProject, isAppError, projectStatus } from "@gantry/core";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { BranchUptime } from "@/components/uptime/BranchUptime";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function ProjectStatusPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}/status`);
  const load = async () => ({
    project: await getProject(actor, projectId),
    status: await projectStatus(actor, projectId),
  });
  const { project, status } = await load().catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  return (
    <>
      <PageHeader
        title={`${project.name}: status`}
        description="Production probed every minute from Gantry at /web/health. Deploys, updates, upgrades and restores are not counted as downtime."
      />
      <ProjectTabs projectId={projectId} admin={can(actor, "project_settings", { projectId })} />
      <p className="mb-4 text-sm text-slate-600" data-testid="down-alert">
        An incident is announced as production down after {status.downAlertMinutes} minute
        {status.downAlertMinutes === 1 ? "" : "s"}.
      </p>
      {status.branches.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600">
          No production branch yet.
        </p>
      ) : (
        <div className="space-y-6">
          {status.branches.map((branch) => (
            <BranchUptime key={branch.branchId} branch={branch} />
          ))}
        </div>
      )}
    </>
  );
}
