import { type Principal, resolvePrincipal } from "@gantry/core";
import { headers } from "next/headers";
import { redirect } from "next/navigation";

/** The signed-in person of a page request, or null. */
export async function currentPrincipal(): Promise<Principal | null> {
  return resolvePrincipal(await headers());
}

/** Pages that need a signed-in person send everyone else to the sign-in page. */
export async function requirePrincipal(next: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(next)}`);
  return principal;
}
