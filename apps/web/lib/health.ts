import { cachedSystemHealth, can, publicHealth, resolvePrincipal } from "@gantry/core";
import { type Reply, reply } from "./api/reply";

/**
 * Whether the caller may read the checks' texts and the workers' identities: platform
 * administrators only. A request without credentials is not looked up at all, so the anonymous
 * path (load balancers) costs no session check.
 */
async function mayReadDetails(request: Request): Promise<boolean> {
  if (!request.headers.get("cookie") && !request.headers.get("authorization")) return false;
  const principal = await resolvePrincipal(request.headers).catch(() => null);
  return principal !== null && can(principal, "system.diagnose");
}

/**
 * The health report (at most HEALTH_CACHE_SECONDS old) answered 200 when every component is ok
 * and 503 otherwise; everyone but the platform's administrators gets its public view.
 */
export async function healthReply({
  request,
}: {
  request: Request;
}): Promise<Reply<Awaited<ReturnType<typeof cachedSystemHealth>>>> {
  const report = await cachedSystemHealth();
  const body = (await mayReadDetails(request)) ? report : publicHealth(report);
  return reply(report.status === "ok" ? 200 : 503, body);
}
