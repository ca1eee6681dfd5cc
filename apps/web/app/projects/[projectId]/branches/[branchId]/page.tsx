import { config } from "@gantry/config";
import {
  branchBoard,
  branchHistory,
  can,
  getBranchSettings,
  getProject,
  isAppError,
  listDomains,
  newErrorGroupsOfBuild,
} from "@gantry/core";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BranchSettingsForm } from "@/components/branches/BranchSettingsForm";
import { BranchSidebar } from "@/components/branches/BranchSidebar";
import { BranchTabs } from "@/components/branches/BranchTabs";
import { DomainsPanel } from "@/components/branches/DomainsPanel";
import { BuildNode } from "@/components/builds/BuildNode";
import { DeployGateWait } from "@/components/builds/DeployGateWait";
import { NewErrorsNotice } from "@/components/errors/NewErrorsNotice";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { BranchUpgradeAlert } from "@/components/upgrades/BranchUpgradeAlert";
import { toJson } from "@/lib/api/authed";
import { requirePrincipal } from "@/lib/auth/session";
import { placementText } from "@/lib/nodes/placement";

export const dynamic = "force-dynamic";

function resultText(b: { status: string; result: string | null }): string {
  if (b.status === "DONE") return (b.result ?? "done").toLowerCase();
  return b.status.toLowerCase();
}

export default async function BranchPage({
  params,
}: {
  params: Promise<{ projectId: string; branchId: string }>;
}) {
  const { projectId, branchId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}/branches/${branchId}`);
  const load = async () => {
    const project = await getProject(actor, projectId);
    const history = await branchHistory(actor, projectId, branchId);
    return { project, history };
  };
  const { project, history } = await load().catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  const board = await branchBoard(actor, projectId);
  const latest = history.builds.find((b) => b.status === "DONE");
  const newErrors = latest
    ? await newErrorGroupsOfBuild(actor, { ...latest, projectId, branchId, stage: latest.stage })
    : [];
  const stage = history.branch.stage;
  // The build that serves the branch now: where it runs heads the history.
  const serving = history.builds.find((b) => b.servingAt && !b.cleanedAt && b.servingNode);
  const settings = can(actor, "settings", { projectId, stage })
    ? toJson(await getBranchSettings(actor, projectId, branchId))
    : null;
  const domains = settings ? toJson(await listDomains(actor, projectId, branchId)) : null;
  return (
    <>
      <PageHeader
        title={history.branch.name}
        description={`${project.name} · ${stage.toLowerCase()}${history.branch.deletedAt ? " · deleted on GitHub" : ""}`}
      />
      <ProjectTabs projectId={projectId} admin={can(actor, "project_settings", { projectId })} />
      <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
        <BranchSidebar projectId={projectId} branches={board.branches} currentId={branchId} />
        <div className="space-y-8">
          <BranchTabs
            projectId={projectId}
            branchId={branchId}
            current="history"
            backups={stage !== "DEVELOPMENT" && can(actor, "backups", { projectId, stage })}
            upgrade={can(actor, "upgrade", { projectId, stage })}
          />
          <BranchUpgradeAlert actor={actor} projectId={projectId} branchId={branchId} />
          <NewErrorsNotice
            projectId={projectId}
            groups={newErrors}
            what={latest ? `the latest build, ${latest.commitSha.slice(0, 7)}` : ""}
          />
          {serving ? <BuildNode build={serving} clustered={config().RUNTIME === "swarm"} /> : null}
          {history.builds
            .filter((b) => b.status === "WAITING")
            .map((b) => (
              <DeployGateWait
                key={b.id}
                build={b}
                timeZone={project.timeZone}
                canDeployNow={can(actor, "deploy", { projectId, stage })}
              />
            ))}
          <section aria-labelledby="history-heading">
            <h2 id="history-heading" className="mb-3 text-lg font-semibold">
              Build history
            </h2>
            {history.builds.length === 0 ? (
              <p className="text-sm text-slate-600">No builds yet: push to the branch to start one.</p>
            ) : (
              <table aria-label="Builds" className="w-full border-collapse text-sm">
                <thead>
                  <tr className="border-b border-slate-200 text-left text-slate-600">
                    <th className="py-2 pr-3">Commit</th>
                    <th className="py-2 pr-3">Message</th>
                    <th className="py-2 pr-3">Author</th>
                    <th className="py-2 pr-3">Trigger</th>
                    <th className="py-2 pr-3">State</th>
                    <th className="py-2 pr-3">Node</th>
                    <th className="py-2">Queued</th>
                  </tr>
                </thead>
                <tbody>
                  {history.builds.map((b) => (
                    <tr key={b.id} className="border-b border-slate-100">
                      <td className="py-2 pr-3 font-mono">
                        <Link
                          href={`/projects/${projectId}/builds/${b.id}`}
                          className="text-indigo-700 hover:underline"
                        >
                          {b.commitSha.slice(0, 7)}
                        </Link>
                      </td>
                      <td className="max-w-xs truncate py-2 pr-3">{b.commitMessage.split("\n")[0]}</td>
                      <td className="py-2 pr-3">{b.commitAuthor}</td>
                      <td className="py-2 pr-3">{b.trigger}</td>
                      <td className="py-2 pr-3">{resultText(b)}</td>
                      <td className="py-2 pr-3 font-mono text-xs" title={placementText(b) ?? undefined}>
                        {placementText(b) ? b.servingNode : "—"}
                      </td>
                      <td className="py-2">{b.createdAt.toISOString().replace("T", " ").slice(0, 16)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {domains ? (
            <section aria-labelledby="domains-heading">
              <h2 id="domains-heading" className="mb-3 text-lg font-semibold">
                Custom domains
              </h2>
              <DomainsPanel projectId={projectId} branchId={branchId} initial={domains} />
            </section>
          ) : null}
          {settings ? (
            <section aria-labelledby="branch-settings-heading">
              <h2 id="branch-settings-heading" className="mb-3 text-lg font-semibold">
                Branch settings
              </h2>
              <BranchSettingsForm
                projectId={projectId}
                branchId={branchId}
                stage={stage}
                initial={settings}
              />
            </section>
          ) : null}
        </div>
      </div>
    </>
  );
}
