import type { Metadata } from "next";
import { PageHeader } from "@/components/PageHeader";

export const metadata: Metadata = { title: "Projects" };

export default function ProjectsPage() {
  return (
    <>
      <PageHeader
        title="Projects"
        description="GitHub repositories whose branches Gantry builds and hosts."
      />
      <section
        aria-labelledby="projects-empty"
        className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center"
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="mx-auto h-10 w-10 text-slate-400"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
        >
          <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
        </svg>
        <h2 id="projects-empty" className="mt-4 text-lg font-semibold text-slate-900">
          No projects yet
        </h2>
        <p className="mx-auto mt-2 max-w-md text-sm text-slate-600">
          A project connects a GitHub repository: every branch becomes a live Odoo build in its stage.
        </p>
      </section>
    </>
  );
}
