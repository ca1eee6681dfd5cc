import { can, getProject, isAppError, listBranches, listErrorGroups, type Stage, stages } from "@gantry/core";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FlakyBadge } from "@/components/errors/FlakyBadge";
import { PageHeader } from "@/components/PageHeader";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const stamp = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16);

export default async function ErrorsPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ stage?: string; branch?: string; flaky?: string; search?: string; page?: string }>;
}) {
  const { projectId } = await params;
  const filter = await searchParams;
  const actor = await requirePrincipal(`/projects/${projectId}/errors`);
  const project = await getProject(actor, projectId).catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  const readable = stages.filter((stage) => can(actor, "logs", { projectId, stage }));
  const stage = readable.find((s) => s === filter.stage) as Stage | undefined;
  const branches = (await listBranches(actor, projectId)).filter((b) => readable.includes(b.stage));
  const branch = branches.find((b) => b.id === filter.branch);
  const page = Math.max(Number.parseInt(filter.page ?? "1", 10) || 1, 1);
  const result =
    readable.length === 0
      ? null
      : await listErrorGroups(actor, projectId, {
          stage,
          branchId: branch?.id,
          flaky: filter.flaky === "true" ? true : undefined,
          search: filter.search?.slice(0, 200) || undefined,
          page,
          pageSize: 50,
        });
  const pages = result ? Math.max(Math.ceil(result.total / result.pageSize), 1) : 1;
  const pageLink = (n: number) => {
    const query = new URLSearchParams(
      Object.entries({ ...filter, page: String(n) }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    return `/projects/${projectId}/errors?${query.toString()}`;
  };
  const control = "rounded-md border border-slate-300 px-3 py-2";
  return (
    <>
      <PageHeader
        title={`${project.name}: errors`}
        description="ERROR and CRITICAL lines and tracebacks of every build's logs, grouped across builds."
      />
      <ProjectTabs projectId={projectId} admin={can(actor, "project_settings", { projectId })} />
      <form className="mb-4 flex flex-wrap items-center gap-3 text-sm" aria-label="Filter">
        <select name="stage" defaultValue={stage ?? ""} aria-label="Stage" className={control}>
          <option value="">all stages</option>
          {readable.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
        <select name="branch" defaultValue={branch?.id ?? ""} aria-label="Branch" className={control}>
          <option value="">all branches</option>
          {branches.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="flaky" value="true" defaultChecked={filter.flaky === "true"} />
          flaky only
        </label>
        <input
          type="search"
          name="search"
          defaultValue={filter.search ?? ""}
          aria-label="Search errors"
          placeholder="Search"
          className={control}
        />
        <button type="submit" className="rounded-md border border-slate-300 px-4 py-2 font-semibold">
          Filter
        </button>
      </form>
      {!result || result.groups.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
          {result && result.total === 0 && !filter.search && !stage && !branch && filter.flaky !== "true"
            ? "No errors found in the logs you can read. Each build's logs are read as its phases end, and serving builds' server logs every minute."
            : "No error group matches these filters."}
        </p>
      ) : (
        <>
          <table
            className="w-full rounded-xl border border-slate-200 bg-white text-sm"
            aria-label="Error groups"
          >
            <thead className="text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">Error</th>
                <th>Count</th>
                <th>First seen</th>
                <th>Last seen</th>
                <th>Branches</th>
              </tr>
            </thead>
            <tbody>
              {result.groups.map((g) => (
                <tr key={g.id} className="border-t border-slate-100 align-top" data-testid="error-group">
                  <td className="max-w-xl px-3 py-2">
                    <Link
                      href={`/projects/${projectId}/errors/${g.id}`}
                      className="break-all font-mono text-xs text-indigo-700 hover:underline"
                    >
                      {g.title}
                    </Link>
                    {g.exception ? (
                      <div className="break-all font-mono text-xs text-slate-500">{g.exception}</div>
                    ) : null}
                    <div className="mt-1 flex gap-1 text-xs text-slate-500">
                      {g.flaky ? <FlakyBadge commit={g.flakyCommit} /> : null}
                      {g.stages.map((s) => (
                        <span key={s} className="rounded bg-slate-100 px-1.5 py-0.5">
                          {s.toLowerCase()}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td className="py-2 font-semibold" data-testid="error-count">
                    {g.count}
                  </td>
                  <td className="whitespace-nowrap py-2">{stamp(g.firstSeenAt)}</td>
                  <td className="whitespace-nowrap py-2">{stamp(g.lastSeenAt)}</td>
                  <td className="py-2 pr-3">{g.branches.map((b) => b.name).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" className="mt-3 flex items-center gap-3 text-sm">
            {page > 1 ? <Link href={pageLink(page - 1)}>← Newer</Link> : null}
            <span className="text-slate-600">
              Page {page} of {pages} · {result.total} groups
            </span>
            {page < pages ? <Link href={pageLink(page + 1)}>Older →</Link> : null}
          </nav>
        </>
      )}
    </>
  );
}
