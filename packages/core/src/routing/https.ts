// HTTPS=acme: the gantry server listens on CADDY_HTTPS_LISTEN with automatic HTTPS. Verified
// custom domains get their certificate as soon as they are routed (an ACME policy naming them);
// any other host routed here, the builds' hosts under BASE_DOMAIN, gets one on demand, at its
// first TLS handshake, once Gantry's ask endpoint confirms it serves that host. Caddy's own
// HTTP server redirects to HTTPS (and answers HTTP-01 challenges) on CADDY_HTTP_LISTEN; a first
// route adds HSTS to every HTTPS answer. HTTPS=off (the default) keeps one plain HTTP listener.
import { isIP } from "node:net";
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { webDial } from "./web-dial";

export const hstsRouteId = "gantry-hsts";

export interface ServerShape {
  listen: string[];
  automatic_https: Record<string, unknown>;
  tls_connection_policies?: unknown[];
}

function portOf(listen: string): number {
  return Number(listen.split(":").pop());
}

export function httpsOn(): boolean {
  return config().HTTPS === "acme";
}

/** The listener settings of the gantry server for the configuration in force. */
export function serverShape(): ServerShape {
  const c = config();
  if (!httpsOn()) return { listen: [c.CADDY_HTTP_LISTEN], automatic_https: { disable: true } };
  return { listen: [c.CADDY_HTTPS_LISTEN], automatic_https: {}, tls_connection_policies: [{}] };
}

/** The dashboard's host when Caddy serves it over HTTPS, or null (served as the web app listens). */
export function dashboardHost(): string | null {
  if (!httpsOn()) return null;
  const url = new URL(config().PUBLIC_URL);
  if (url.protocol !== "https:") return null;
  const host = url.hostname.toLowerCase();
  // ACME certificates are for names: an address in PUBLIC_URL is served as it is.
  if (isIP(host.replace(/^\[|\]$/g, "")) !== 0) return null;
  return host;
}

export function hstsRoute(): Record<string, unknown> {
  return {
    "@id": hstsRouteId,
    handle: [
      { handler: "headers", response: { set: { "Strict-Transport-Security": ["max-age=31536000"] } } },
    ],
  };
}

function acmeIssuer(): Record<string, unknown> {
  const c = config();
  return {
    module: "acme",
    ca: c.ACME_CA,
    ...(c.ACME_EMAIL ? { email: c.ACME_EMAIL } : {}),
    ...(c.ACME_CA_ROOT ? { trusted_roots_pem_files: [c.ACME_CA_ROOT] } : {}),
    // Challenges are answered on Gantry's own listeners, whatever ports they use.
    challenges: {
      http: { alternate_port: portOf(c.CADDY_HTTP_LISTEN) },
      "tls-alpn": { alternate_port: portOf(c.CADDY_HTTPS_LISTEN) },
    },
  };
}

/**
 * Caddy's tls app: an eager policy for the verified domains and the dashboard's own host, on
 * demand for everything else.
 */
export function tlsApp(verifiedDomains: string[], dashboard: string | null): Record<string, unknown> {
  const issuers = [acmeIssuer()];
  const eager = [...new Set([...(dashboard ? [dashboard] : []), ...verifiedDomains])];
  const policies = [
    ...(eager.length > 0 ? [{ subjects: eager, issuers }] : []),
    { issuers, on_demand: true },
  ];
  return {
    automation: {
      policies,
      on_demand: { ask: `http://${webDial()}/api/tls/ask` },
    },
  };
}

/** The ports of Caddy's automatic HTTPS (redirects, challenges) in the http app. */
export function httpPorts(): { http_port: number; https_port: number } {
  const c = config();
  return { http_port: portOf(c.CADDY_HTTP_LISTEN), https_port: portOf(c.CADDY_HTTPS_LISTEN) };
}

/** Every verified custom domain, of every project: the names certificates are obtained for. */
export async function verifiedDomainNames(): Promise<string[]> {
  const rows = await prisma().domain.findMany({
    where: { verification: "VERIFIED" },
    orderBy: { name: "asc" },
    select: { name: true },
  });
  return rows.map((r) => r.name);
}
