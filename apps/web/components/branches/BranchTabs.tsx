import Link from "next/link";

/**
 * The sections of one branch; Backups and Upgrade only on production and staging, for roles
 * allowed them.
 */
export function BranchTabs(props: {
  projectId: string;
  branchId: string;
  current: "history" | "backups" | "upgrade";
  backups: boolean;
  upgrade?: boolean;
}) {
  const base = `/projects/${props.projectId}/branches/${props.branchId}`;
  const tabs = [
    { key: "history", href: base, label: "History" },
    ...(props.backups ? [{ key: "backups", href: `${base}/backups`, label: "Backups" }] : []),
    ...(props.upgrade ? [{ key: "upgrade", href: `${base}/upgrade`, label: "Upgrade" }] : []),
  ];
  return (
    <nav aria-label="Branch" className="mb-4 flex gap-4 border-b border-slate-200 text-sm">
      {tabs.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === props.current ? "page" : undefined}
          className={`border-b-2 px-1 pb-2 font-medium ${t.key === props.current ? "border-indigo-600 text-indigo-700" : "border-transparent hover:border-indigo-400"}`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
