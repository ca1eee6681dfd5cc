// A branch's verified custom domains get one route of their own (@id gantry-domains-<branch>)
// whose handling is a copy of the route of the build serving the branch: whatever that build's
// host does (proxy to Odoo, the wake page while it sleeps, the maintenance page during an
// upgrade), the domains do too. Every change of a build's route calls followBuild, so rollbacks,
// upgrades and sleep carry the domains along; the serve phase calls it once the new build serves.
import { bestEffort } from "@gantry/config";
import { prisma } from "@gantry/db";
import { servingFilter, servingOrder } from "../builds/serving";
import { AppError } from "../errors";
import { caddy, ensureServer, expectOk, readRoute, removeRoute, replaceRoute, routeId } from "./caddy-admin";
import { dashboardHost, httpsOn, tlsApp, verifiedDomainNames } from "./https";

export function domainRouteId(branchId: string): string {
  if (!/^[a-z0-9]{1,40}$/.test(branchId)) throw new AppError("invalid_input", "invalid branch id");
  return `gantry-domains-${branchId}`;
}

/** The branch's domain route as Caddy has it, or null when it has none. */
export function domainRoute(branchId: string): Promise<Record<string, unknown> | null> {
  return readRoute(domainRouteId(branchId));
}

/** The build the branch's domains go to: the newest serving build that did not fail. */
async function domainBuild(branchId: string): Promise<{ id: string } | null> {
  return prisma().build.findFirst({
    where: { branchId, ...servingFilter, OR: [{ result: null }, { result: { not: "FAILED" } }] },
    orderBy: servingOrder,
    select: { id: true },
  });
}

/** With HTTPS on, the eager certificate policy names every verified domain. */
async function syncCertificatePolicy(): Promise<void> {
  if (!httpsOn()) return;
  await ensureServer();
  await expectOk(
    await caddy("PATCH", "/config/apps/tls", tlsApp(await verifiedDomainNames(), dashboardHost())),
    "set the TLS policies",
  );
}

/** Puts the branch's domain route in step with its verified domains and its serving build. */
export async function routeBranchDomains(branchId: string): Promise<void> {
  await syncCertificatePolicy();
  const id = domainRouteId(branchId);
  const domains = await prisma().domain.findMany({
    where: { branchId, verification: "VERIFIED" },
    orderBy: { name: "asc" },
    select: { name: true },
  });
  const build = domains.length > 0 ? await domainBuild(branchId) : null;
  const route = build ? await readRoute(routeId(build.id)) : null;
  if (!route || !Array.isArray(route.handle)) {
    await removeRoute(id);
    return;
  }
  await replaceRoute(id, {
    match: [{ host: domains.map((d) => d.name) }],
    handle: route.handle,
    terminal: true,
  });
}

/** Unroutes the branch's custom domains whatever its rows say (its project is going). */
export async function removeBranchDomainsRoute(branchId: string): Promise<void> {
  await removeRoute(domainRouteId(branchId));
}

/** After a build's route changed: its branch's domains follow (a failure is logged, not thrown). */
export async function followBuild(buildId: string): Promise<void> {
  const build = await prisma().build.findUnique({ where: { id: buildId }, select: { branchId: true } });
  if (!build) return;
  await bestEffort("routing the branch's custom domains", () => routeBranchDomains(build.branchId), {
    fields: { buildId, branchId: build.branchId },
  });
}
