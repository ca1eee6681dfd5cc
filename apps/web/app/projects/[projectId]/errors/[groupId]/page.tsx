import { can, getErrorGroup, getProject, isAppError } from "@gantry/core";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FlakyBadge } from "@/components/errors/FlakyBadge";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const stamp = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) : "—");

export default async function ErrorGroupPage({
  params,
}: {
  params: Promise<{ projectId: string; groupId: string }>;
}) {
  const { projectId, groupId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}/errors/${groupId}`);
  const load = async () => ({
    project: await getProject(actor, projectId),
    group: await getErrorGroup(actor, projectId, groupId),
  });
  const { project, group } = await load().catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  return (
    <>
      <PageHeader
        title="Error group"
        description={project.name}
        actions={
          <Link href={`/projects/${projectId}/errors`} className="text-sm text-indigo-700 hover:underline">
            All errors
          </Link>
        }
      />
      <ProjectTabs projectId={projectId} admin={can(actor, "project_settings", { projectId })} />
      <section
        aria-label="Error group"
        className="mb-6 space-y-2 rounded-xl border border-slate-200 bg-white p-4 text-sm"
      >
        {/* Log text of the tenant's: always rendered as text. */}
        <h2 className="break-all font-mono text-sm font-semibold">{group.title}</h2>
        {group.exception ? (
          <p className="break-all font-mono text-xs text-slate-600">{group.exception}</p>
        ) : null}
        <dl className="grid grid-cols-[8rem_1fr] gap-1 text-slate-700">
          <dt>Count</dt>
          <dd data-testid="error-count">{group.count}</dd>
          <dt>First seen</dt>
          <dd>{stamp(group.firstSeenAt)}</dd>
          <dt>Last seen</dt>
          <dd>{stamp(group.lastSeenAt)}</dd>
          <dt>Stages</dt>
          <dd>{group.stages.map((s) => s.toLowerCase()).join(", ")}</dd>
          <dt>Branches</dt>
          <dd>{group.branches.map((b) => b.name).join(", ")}</dd>
        </dl>
        {group.flaky ? (
          <p>
            <FlakyBadge commit={group.flakyCommit} /> seen on some runs of one commit but not on others.
          </p>
        ) : null}
      </section>
      <h2 className="mb-2 text-lg font-semibold">Occurrences</h2>
      <ol className="space-y-3" aria-label="Occurrences">
        {group.occurrences.map((o) => (
          <li key={o.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <div className="mb-2 flex flex-wrap gap-3 text-slate-600">
              <span>{stamp(o.at)}</span>
              <span>
                {o.branchName} · {o.stage.toLowerCase()} ·{" "}
                <span className="font-mono">{o.commitSha.slice(0, 7)}</span>
              </span>
              <Link href={o.viewUrl} className="font-mono text-indigo-700 hover:underline">
                {o.file}:{o.line}
              </Link>
            </div>
            <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-950 p-2 font-mono text-xs text-slate-100">
              {o.text}
            </pre>
          </li>
        ))}
      </ol>
    </>
  );
}
