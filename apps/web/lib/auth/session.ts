import { type Principal, resolvePrincipal } from "@gantry/core";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";

/**
 * The signed-in person of a page request, or null. Looked up once per request: the layout (its
 * side menu) and the page both ask.
 */
export const currentPrincipal = cache(
  async (): Promise<Principal | null> => resolvePrincipal(await headers()),
);

/** Pages that need a signed-in person send everyone else to the sign-in page. */
export async function requirePrincipal(next: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(next)}`);
  return principal;
}
