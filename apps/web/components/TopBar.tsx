import Link from "next/link";
import { UserMenu } from "./projects/UserMenu";

export function TopBar() {
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-6">
        <Link
          href="/"
          className="flex items-center gap-2 rounded focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <span
            aria-hidden="true"
            className="grid h-7 w-7 place-items-center rounded-md bg-indigo-600 text-sm font-bold text-white"
          >
            G
          </span>
          <span className="text-base font-semibold tracking-tight">Gantry</span>
        </Link>
        <span className="hidden text-sm text-slate-500 sm:inline">Odoo hosting, branch by branch</span>
        <UserMenu />
      </div>
    </header>
  );
}
