import { can, getProject, isAppError, listBuilds, type Stage, stages } from "@gantry/core";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BuildActions } from "@/components/builds/BuildActions";
import { BuildBadge } from "@/components/builds/BuildBadge";
import { duration } from "@/components/builds/tone";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { toJson } from "@/lib/api/authed";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const stageTitles: Record<Stage, string> = {
  PRODUCTION: "Production",
  STAGING: "Staging",
  DEVELOPMENT: "Development",
};

export default async function BuildsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}/builds`);
  const load = async () => ({
    project: await getProject(actor, projectId),
    builds: toJson(await listBuilds(actor, projectId, { take: 200 })),
  });
  const { project, builds } = await load().catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  const now = Date.now();
  return (
    <>
      <PageHeader title="Builds" description={`${project.name} · every branch, production first`} />
      <ProjectTabs projectId={projectId} admin={can(actor, "project_settings", { projectId })} />
      {builds.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600">
          No builds yet: push to a branch.
        </p>
      ) : null}
      <div className="space-y-8">
        {stages.map((stage) => {
          const ofStage = builds.filter((b) => b.stage === stage);
          if (ofStage.length === 0) return null;
          const target = { projectId, stage };
          const canConnect = can(actor, "connect", target);
          const canRebuild = can(actor, "deploy", target);
          return (
            <section key={stage} aria-labelledby={`builds-${stage}`}>
              <h2 id={`builds-${stage}`} className="mb-3 text-lg font-semibold">
                {stageTitles[stage]}
              </h2>
              <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
                <table aria-label={`${stageTitles[stage]} builds`} className="w-full border-collapse text-sm">
                  <thead>
                    <tr className="border-b border-slate-200 text-left text-slate-600">
                      <th className="px-3 py-2">State</th>
                      <th className="px-3 py-2">Branch</th>
                      <th className="px-3 py-2">Commit</th>
                      <th className="px-3 py-2">Author</th>
                      <th className="px-3 py-2">Duration</th>
                      <th className="px-3 py-2">Queued</th>
                      <th className="px-3 py-2" />
                    </tr>
                  </thead>
                  <tbody>
                    {ofStage.map((b) => (
                      <tr
                        key={b.id}
                        data-testid={`build-${b.id}`}
                        className="border-b border-slate-100 last:border-0"
                      >
                        <td className="px-3 py-2">
                          <BuildBadge build={b} />
                        </td>
                        <td className="px-3 py-2 font-medium">{b.branch.name}</td>
                        <td className="max-w-sm px-3 py-2">
                          <Link
                            href={`/projects/${projectId}/builds/${b.id}`}
                            className="font-mono text-indigo-700 hover:underline"
                          >
                            {b.commitSha.slice(0, 7)}
                          </Link>{" "}
                          <span className="truncate text-slate-700">{b.commitMessage.split("\n")[0]}</span>
                        </td>
                        <td className="px-3 py-2 text-slate-700">{b.commitAuthor || "—"}</td>
                        <td className="px-3 py-2 tabular-nums text-slate-700">
                          {duration(b.startedAt, b.finishedAt, now)}
                        </td>
                        <td className="px-3 py-2 tabular-nums text-slate-600">
                          {b.createdAt.replace("T", " ").slice(0, 16)}
                        </td>
                        <td className="px-3 py-2 text-right">
                          <BuildActions build={b} canConnect={canConnect} canRebuild={canRebuild} compact />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          );
        })}
      </div>
    </>
  );
}
