import { branchFeatures, can, getProject, isAppError, listBranches, roleLabels, stages } from "@gantry/core";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/PageHeader";
import { NewBranchForm } from "@/components/projects/NewBranchForm";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const featureLabels: Record<(typeof branchFeatures)[number], string> = {
  history: "History",
  connect: "Connect",
  logs: "Logs",
  shell: "Shell",
  mails: "Mails",
  settings: "Settings",
  monitoring: "Monitoring",
  backups: "Backups",
};

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}`);
  const project = await getProject(actor, projectId).catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  const branches = await listBranches(actor, projectId);
  const admin = can(actor, "project_settings", { projectId });
  return (
    <>
      <PageHeader
        title={project.name}
        description={`${project.githubOwner}/${project.githubRepo} · Odoo ${project.odooSeries} · your role: ${project.role ? roleLabels[project.role] : "none"}`}
      />
      <ProjectTabs projectId={projectId} admin={admin} />
      {admin ? <NewBranchForm projectId={projectId} /> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        {stages.map((stage) => (
          <section
            key={stage}
            aria-label={`${stage.toLowerCase()} branches`}
            className="rounded-xl border border-slate-200 bg-white p-4"
          >
            <h2 className="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-600">
              {stage.toLowerCase()}
            </h2>
            <ul className="space-y-3">
              {branches
                .filter((b) => b.stage === stage)
                .map((b) => (
                  <li
                    key={b.id}
                    data-testid={`branch-${b.name}`}
                    className="rounded-md border border-slate-200 p-3"
                  >
                    <p className="font-mono text-sm">{b.name}</p>
                    <ul className="mt-2 flex flex-wrap gap-1" aria-label={`tools of ${b.name}`}>
                      {branchFeatures
                        .filter((f) => can(actor, f, { projectId, stage }))
                        .map((f) => (
                          <li key={f} className="rounded bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800">
                            {featureLabels[f]}
                          </li>
                        ))}
                    </ul>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
