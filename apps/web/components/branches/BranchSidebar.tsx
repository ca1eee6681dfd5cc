"use client";

import Link from "next/link";
import { useState } from "react";

type Stage = "PRODUCTION" | "STAGING" | "DEVELOPMENT";

/** Every live branch by stage (production deleted on GitHub flagged), with a filter box. */
export function BranchSidebar(props: {
  projectId: string;
  branches: Array<{ id: string; name: string; stage: Stage; deletedOnGithub?: boolean }>;
  currentId?: string;
}) {
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = props.branches.filter((b) => b.name.toLowerCase().includes(needle));
  return (
    <nav aria-label="Branches" className="rounded-xl border border-slate-200 bg-white p-3 text-sm">
      <input
        type="search"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        placeholder="Filter branches"
        aria-label="Filter branches"
        className="mb-3 w-full rounded-md border border-slate-300 px-2 py-1"
      />
      {(["PRODUCTION", "STAGING", "DEVELOPMENT"] as const).map((stage) => {
        const group = shown.filter((b) => b.stage === stage);
        return (
          <div key={stage} className="mb-3">
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
              {stage.toLowerCase()} <span className="font-normal">({group.length})</span>
            </h3>
            <ul aria-label={`${stage.toLowerCase()} in sidebar`}>
              {group.map((b) => (
                <li key={b.id}>
                  <Link
                    href={`/projects/${props.projectId}/branches/${b.id}`}
                    aria-current={b.id === props.currentId ? "page" : undefined}
                    className={`block truncate rounded px-2 py-0.5 font-mono ${b.id === props.currentId ? "bg-indigo-100 text-indigo-900" : "hover:bg-slate-100"}`}
                  >
                    {b.name}
                    {b.deletedOnGithub ? (
                      <span
                        className="ml-1 font-sans text-xs text-amber-800"
                        title="Deleted on GitHub; kept serving"
                      >
                        (deleted on GitHub)
                      </span>
                    ) : null}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}
