// A sleeping build's host goes to Gantry's web app at /wake/<buildId>, where the "starting"
// page asks a worker to wake the build; the original path and query travel in a header, so
// the browser's URL stays what was asked for. Once awake the build gets its direct route back
// (routeBuild) and the same URL reaches Odoo again.
import { replaceBuildRoute } from "./caddy-admin";
import { followBuild } from "./domain-route";
import { webDial } from "./web-dial";

export { webDial };

/** The request header carrying the URI the sleeping build's address was asked for. */
export const originalUriHeader = "x-gantry-wake-uri";

export function wakePath(buildId: string): string {
  return `/wake/${buildId}`;
}

export async function routeBuildToWake(buildId: string, host: string): Promise<void> {
  await replaceBuildRoute(buildId, {
    match: [{ host: [host] }],
    handle: [
      // Caddy keeps the Host header, so the page knows which build's address was asked for.
      { handler: "rewrite", uri: wakePath(buildId) },
      {
        handler: "reverse_proxy",
        headers: { request: { set: { [originalUriHeader]: ["{http.request.orig_uri}"] } } },
        upstreams: [{ dial: webDial() }],
      },
    ],
    terminal: true,
  });
  await followBuild(buildId);
}
