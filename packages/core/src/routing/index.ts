// Build URLs through Caddy's admin API: one route per build, `<slug>.<BASE_DOMAIN>` -> the
// build's published port (127.0.0.1:<port> on one host, the node's address on a cluster), tagged with an @id so it can be replaced or removed on its own. A sleeping
// build's host goes to Gantry's wake page instead (see wake-route.ts).
import { config } from "@gantry/config";
import { readRoute, removeBuildRoute, replaceBuildRoute, routeId } from "./caddy-admin";
import { followBuild } from "./domain-route";
import { httpsOn } from "./https";

export * from "./access-log";
export { buildRoute } from "./caddy-admin";
export { dashboardRouteId, routeDashboard } from "./dashboard-route";
export {
  domainRoute,
  domainRouteId,
  followBuild,
  removeBranchDomainsRoute,
  routeBranchDomains,
} from "./domain-route";
export { dashboardHost, httpsOn } from "./https";
export * from "./wake-route";

export function buildHost(slug: string): string {
  return `${slug}.${config().BASE_DOMAIN}`;
}

/** A build's URL: https once HTTPS is on (Caddy gets its certificate on demand). */
export function buildUrl(host: string): string {
  return `${httpsOn() ? "https" : "http"}://${host}`;
}

/**
 * `host:port` of a build's server: the address the runtime reports for its container
 * (ContainerRuntime.publishedAddress) as is, a bare port on this machine's loopback.
 */
export function dialAddress(upstream: number | string): string {
  return typeof upstream === "number" ? `127.0.0.1:${upstream}` : upstream;
}

/** Routes `host` to the build (`upstream`: see dialAddress), replacing the build's previous route. */
export async function routeBuild(buildId: string, host: string, upstream: number | string): Promise<void> {
  const dial = dialAddress(upstream);
  await replaceBuildRoute(buildId, {
    match: [{ host: [host] }],
    handle: [{ handler: "reverse_proxy", upstreams: [{ dial }] }],
    terminal: true,
  });
  await followBuild(buildId);
}

/**
 * Where the build's route sends its requests (`host:port`), or null when it has no route or its
 * route goes elsewhere than to the build (the wake page, a maintenance page).
 */
export async function buildRouteDial(buildId: string): Promise<string | null> {
  const route = await readRoute(routeId(buildId));
  const handle = route?.handle;
  if (!Array.isArray(handle) || handle.length !== 1) return null;
  const proxy = handle[0] as { handler?: string; upstreams?: { dial?: string }[] };
  if (proxy.handler !== "reverse_proxy" || proxy.upstreams?.length !== 1) return null;
  return proxy.upstreams[0]?.dial ?? null;
}

export async function unrouteBuild(buildId: string): Promise<void> {
  await removeBuildRoute(buildId);
  await followBuild(buildId);
}
