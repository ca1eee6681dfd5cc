import { auditActions, can, getProject, isAppError, listAudit } from "@gantry/core";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ action?: string; user?: string }>;
}) {
  const { projectId } = await params;
  const filter = await searchParams;
  const actor = await requirePrincipal(`/projects/${projectId}/audit`);
  const project = await getProject(actor, projectId).catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  if (!can(actor, "project_settings", { projectId })) notFound();
  const events = await listAudit(projectId, {
    action: filter.action || undefined,
    userId: filter.user || undefined,
  });
  return (
    <>
      <PageHeader title={`${project.name}: audit log`} description="Who did what, and when." />
      <ProjectTabs projectId={projectId} admin />
      <form className="mb-4 flex gap-3 text-sm" aria-label="Filter">
        <select
          name="action"
          defaultValue={filter.action ?? ""}
          aria-label="Action"
          className="rounded-md border border-slate-300 px-3 py-2"
        >
          <option value="">all actions</option>
          {auditActions.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <button type="submit" className="rounded-md border border-slate-300 px-4 py-2 font-semibold">
          Filter
        </button>
      </form>
      <table className="w-full rounded-xl border border-slate-200 bg-white text-sm" aria-label="Audit events">
        <thead className="text-left text-slate-600">
          <tr>
            <th className="px-3 py-2">When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className="border-t border-slate-100">
              <td className="px-3 py-2 whitespace-nowrap">
                {e.createdAt.toISOString().replace("T", " ").slice(0, 19)}
              </td>
              <td>{e.user?.email ?? "—"}</td>
              <td className="font-mono">{e.action}</td>
              <td className="font-mono text-xs text-slate-600">{JSON.stringify(e.data)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
