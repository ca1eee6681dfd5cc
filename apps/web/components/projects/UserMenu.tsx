import type { Principal } from "@gantry/core";
import Link from "next/link";
import { currentPrincipal } from "@/lib/auth/session";
import { log } from "@/lib/log";
import { SignOutButton } from "./SignOutButton";

/** The session, or null when it cannot be read: the top bar must never take a page down. */
async function principalOrNull(): Promise<Principal | null> {
  try {
    return await currentPrincipal();
  } catch (error) {
    log.warn({ err: error }, "user menu: the session could not be read");
    return null;
  }
}

/** The signed-in person with links to their account and sign-out, or a sign-in link. */
export async function UserMenu() {
  const principal = await principalOrNull();
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
      <Link href="/account" className="font-medium text-indigo-700 hover:underline">
        Account
      </Link>
      <SignOutButton />
    </div>
  );
}
