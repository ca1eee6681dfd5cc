// A sleeping build's host goes to Gantry's web app: the request's path is kept under
// /wake/<buildId>, where the "starting" page asks a worker to wake the build. Once awake the
// build gets its direct route back (routeBuild) and the same URL reaches Odoo again.
import { config } from "@gantry/config";
import { replaceBuildRoute } from "./caddy-admin";

export function wakePath(buildId: string): string {
  return `/wake/${buildId}`;
}

/** Where Caddy reaches the web app: its own address, or loopback when it listens everywhere. */
export function webDial(): string {
  const { WEB_HOST: host, WEB_PORT: port } = config();
  if (host === "" || host === "0.0.0.0" || host === "::") return `127.0.0.1:${port}`;
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function routeBuildToWake(buildId: string, host: string): Promise<void> {
  await replaceBuildRoute(buildId, {
    match: [{ host: [host] }],
    handle: [
      // Caddy keeps the Host header, so the page knows which build's address was asked for.
      { handler: "rewrite", uri: `${wakePath(buildId)}{http.request.uri}` },
      { handler: "reverse_proxy", upstreams: [{ dial: webDial() }] },
    ],
    terminal: true,
  });
}
