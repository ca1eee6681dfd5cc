"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const everyone = [
  { href: "/projects", label: "Projects", icon: "M3 7h18M3 12h18M3 17h12" },
  { href: "/status", label: "Status", icon: "M3 12h4l3-8 4 16 3-8h4" },
];

// The platform's own machines, for platform administrators (the pages answer 404 to others).
const nodes = { href: "/nodes", label: "Nodes", icon: "M4 5h16v5H4zM4 14h16v5H4zM8 7.5h.01M8 16.5h.01" };
const servers = {
  href: "/servers",
  label: "Database servers",
  icon: "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
};

export interface SideNavProps {
  /** The platform pages the signed-in person may open. */
  platform?: { nodes: boolean; servers: boolean };
}

export function SideNav({ platform }: SideNavProps) {
  const pathname = usePathname();
  const items = [...everyone, ...(platform?.nodes ? [nodes] : []), ...(platform?.servers ? [servers] : [])];
  return (
    <nav aria-label="Main" className="w-52 shrink-0 border-r border-slate-200 px-3 py-6 max-sm:w-40">
      <ul className="space-y-1">
        {items.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                  active
                    ? "bg-indigo-50 text-indigo-700"
                    : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"
                }`}
              >
                <svg
                  aria-hidden="true"
                  viewBox="0 0 24 24"
                  className="h-4 w-4"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                >
                  <path d={item.icon} />
                </svg>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
