import Link from "next/link";

/** The project's sections; only those the role may open are given. */
export function ProjectTabs({ projectId, admin }: { projectId: string; admin: boolean }) {
  const tabs = [
    { href: `/projects/${projectId}`, label: "Branches" },
    { href: `/projects/${projectId}/builds`, label: "Builds" },
    // Every role reads development logs, so every collaborator has errors to look at.
    { href: `/projects/${projectId}/errors`, label: "Errors" },
    { href: `/projects/${projectId}/status`, label: "Status" },
    ...(admin
      ? [
          { href: `/projects/${projectId}/settings`, label: "Settings" },
          { href: `/projects/${projectId}/audit`, label: "Audit log" },
        ]
      : []),
  ];
  return (
    <nav aria-label="Project" className="mb-6 flex gap-4 border-b border-slate-200 text-sm">
      {tabs.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          className="border-b-2 border-transparent px-1 pb-2 font-medium hover:border-indigo-400"
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
