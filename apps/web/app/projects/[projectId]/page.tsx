import {
  branchBoard,
  branchFeatures,
  buildsOnLostNodes,
  can,
  getProject,
  isAppError,
  listPreviews,
  previewSettings,
  roleLabels,
} from "@gantry/core";
import { notFound } from "next/navigation";
import { BranchSidebar } from "@/components/branches/BranchSidebar";
import { StageBoard } from "@/components/branches/StageBoard";
import { LostNodesAlert } from "@/components/builds/LostNodesAlert";
import { PageHeader } from "@/components/PageHeader";
import { PreviewList } from "@/components/previews/PreviewList";
import { NewBranchForm } from "@/components/projects/NewBranchForm";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

// Rebuild and cancel ("deploy") are buttons on each build, not one of the branch's tools.
type Tool = Exclude<(typeof branchFeatures)[number], "deploy">;
const tools = branchFeatures.filter((f): f is Tool => f !== "deploy");

const featureLabels: Record<Tool, string> = {
  history: "History",
  connect: "Connect",
  logs: "Logs",
  shell: "Shell",
  mails: "Mails",
  settings: "Settings",
  monitoring: "Monitoring",
  backups: "Backups",
  upgrade: "Upgrade",
};

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}`);
  const project = await getProject(actor, projectId).catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  const [board, previews, settings, lost] = await Promise.all([
    branchBoard(actor, projectId),
    listPreviews(actor, projectId, { open: true }),
    previewSettings(actor, projectId),
    buildsOnLostNodes(actor, projectId),
  ]);
  const admin = can(actor, "project_settings", { projectId });
  return (
    <>
      <PageHeader
        title={project.name}
        description={`${project.githubOwner}/${project.githubRepo} · Odoo ${project.odooSeries} · your role: ${project.role ? roleLabels[project.role] : "none"}`}
      />
      <ProjectTabs projectId={projectId} admin={admin} />
      <LostNodesAlert projectId={projectId} builds={lost} />
      {admin ? <NewBranchForm projectId={projectId} /> : null}
      <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
        <BranchSidebar projectId={projectId} branches={board.branches} />
        <div>
          <StageBoard
            projectId={projectId}
            canMove={board.canMove}
            stagingLimit={board.stagingLimit}
            branches={board.branches.map((b) => ({
              id: b.id,
              name: b.name,
              stage: b.stage,
              pullRequestNumber: b.pullRequestNumber,
              deletedOnGithub: b.deletedOnGithub,
              lastBuild: b.lastBuild
                ? { status: b.lastBuild.status, result: b.lastBuild.result, commitSha: b.lastBuild.commitSha }
                : null,
              tools: tools
                .filter((f) => can(actor, f, { projectId, stage: b.stage }))
                .map((f) => featureLabels[f]),
            }))}
          />
          <PreviewList projectId={projectId} previews={previews} settings={settings} admin={admin} />
        </div>
      </div>
    </>
  );
}
