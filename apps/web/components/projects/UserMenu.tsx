import Link from "next/link";
import { currentPrincipal } from "@/lib/auth/session";
import { SignOutButton } from "./SignOutButton";

/** The signed-in person and a sign-out button, or a sign-in link. */
export async function UserMenu() {
  const principal = await currentPrincipal();
  if (!principal) {
    return (
      <Link href="/login" className="ml-auto text-sm font-medium text-indigo-700 hover:underline">
        Sign in
      </Link>
    );
  }
  return (
    <div className="ml-auto flex items-center gap-3 text-sm">
      <span className="text-slate-700" data-testid="signed-in-as">
        {principal.name} <span className="text-slate-500">({principal.email})</span>
      </span>
      <SignOutButton />
    </div>
  );
}
