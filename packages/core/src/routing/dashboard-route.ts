// Gantry's own dashboard over HTTPS: with HTTPS=acme and an https PUBLIC_URL naming a host (not
// an address), Caddy's gantry server routes that host to the web app (@id gantry-dashboard) and
// the eager certificate policy names it, so its certificate is obtained at once and renewed by
// Caddy. The HSTS route and Caddy's HTTP-to-HTTPS redirect apply to it as to every routed host.
import { removeRoute, replaceRoute } from "./caddy-admin";
import { dashboardHost } from "./https";
import { webDial } from "./web-dial";

export const dashboardRouteId = "gantry-dashboard";

/** Puts the dashboard's route in step with the configuration (added, replaced or removed). */
export async function routeDashboard(): Promise<string | null> {
  const host = dashboardHost();
  if (!host) {
    await removeRoute(dashboardRouteId);
    return null;
  }
  await replaceRoute(dashboardRouteId, {
    match: [{ host: [host] }],
    handle: [{ handler: "reverse_proxy", upstreams: [{ dial: webDial() }] }],
    terminal: true,
  });
  return host;
}
