import { can, listProjects, roleLabels } from "@gantry/core";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/PageHeader";
import { NewProjectForm } from "@/components/projects/NewProjectForm";
import { requirePrincipal } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Projects" };
export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  const actor = await requirePrincipal("/projects");
  const projects = await listProjects(actor);
  return (
    <>
      <PageHeader
        title="Projects"
        description="GitHub repositories whose branches Gantry builds and hosts."
      />
      {can(actor, "project.create") ? <NewProjectForm /> : null}
      {projects.length === 0 ? (
        <section className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center">
          <h2 className="text-lg font-semibold">No projects yet</h2>
          <p className="mx-auto mt-2 max-w-md text-sm text-slate-600">
            A project connects a GitHub repository: every branch becomes a live Odoo build in its stage.
          </p>
        </section>
      ) : (
        <ul
          className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white"
          aria-label="Projects"
        >
          {projects.map((p) => (
            <li key={p.id} className="flex items-center justify-between px-5 py-4">
              <div>
                <Link href={`/projects/${p.id}`} className="font-medium text-indigo-700 hover:underline">
                  {p.name}
                </Link>
                <p className="text-sm text-slate-600">
                  {p.githubOwner}/{p.githubRepo} · Odoo {p.odooSeries}
                </p>
              </div>
              {p.role ? (
                <span className="rounded bg-slate-100 px-2 py-1 text-xs">{roleLabels[p.role]}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
