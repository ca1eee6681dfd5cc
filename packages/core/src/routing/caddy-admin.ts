// Caddy's admin API as Gantry uses it: one HTTP server named "gantry" for the builds' hosts,
// created on first use, leaving the rest of Caddy's configuration alone.
import { config } from "@gantry/config";
import { AppError } from "../errors";
import { adminRequest, describeAdminEndpoint } from "./admin-transport";
import {
  dashboardHost,
  hstsRoute,
  hstsRouteId,
  httpPorts,
  httpsOn,
  type ServerShape,
  serverShape,
  tlsApp,
  verifiedDomainNames,
} from "./https";

export const SERVER = "gantry";
export const serverPath = `/config/apps/http/servers/${SERVER}`;

/** The @id of a build's route, so it can be replaced or removed on its own. */
export function routeId(buildId: string): string {
  if (!/^[a-z0-9]{1,40}$/.test(buildId)) throw new AppError("invalid_input", "invalid build id");
  return `gantry-build-${buildId}`;
}

export async function caddy(method: string, path: string, body?: unknown): Promise<Response> {
  const adminUrl = config().CADDY_ADMIN_URL;
  const send = () =>
    adminRequest(adminUrl, {
      method,
      path,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  try {
    return await send();
  } catch {
    // Caddy restarts its admin endpoint on every configuration change (anyone's): a request
    // that meets the endpoint while it restarts fails before Caddy reads it.
    try {
      return await send();
    } catch (error) {
      throw new AppError(
        "unavailable",
        `Caddy's admin API does not answer at ${describeAdminEndpoint(adminUrl)}`,
        {
          cause: error,
        },
      );
    }
  }
}

async function unknownId(response: Response): Promise<boolean> {
  // Caddy answers 404 (or 500 "unknown object ID" in some versions) for an unknown id.
  return response.status === 404 || /unknown object ID/i.test(await response.text());
}

export async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) {
    throw new AppError(
      "unavailable",
      `Caddy refused to ${what}: ${response.status} ${await response.text()}`,
    );
  }
}

/** The JSON at a config path, or null when Caddy has nothing there. */
export async function readConfig<T>(path: string): Promise<T | null> {
  const response = await caddy("GET", path);
  if (response.status === 404 || response.status === 400) return null;
  await expectOk(response, `show ${path}`);
  const text = (await response.text()).trim();
  return text === "" || text === "null" ? null : (JSON.parse(text) as T);
}

function sameShape(current: Record<string, unknown>, wanted: ServerShape): boolean {
  const pick = (v: Record<string, unknown>) =>
    JSON.stringify([v.listen, v.automatic_https ?? null, v.tls_connection_policies ?? null]);
  return pick(current) === pick(wanted as unknown as Record<string, unknown>);
}

type Whole = {
  apps?: { http?: Record<string, unknown> & { servers?: Record<string, unknown> }; tls?: unknown };
};

/**
 * The gantry server as the configuration says (plain HTTP, or HTTPS with automatic HTTPS):
 * created on first use, its listeners changed in place when the configuration changed, its
 * routes kept.
 */
export async function ensureServer(): Promise<void> {
  const wanted = serverShape();
  const current = await readConfig<Record<string, unknown>>(serverPath);
  if (current !== null && sameShape(current, wanted)) return;
  const whole = await caddy("GET", "/config/");
  await expectOk(whole, "show its configuration");
  const cfg = ((await whole.json()) ?? {}) as Whole;
  cfg.apps ??= {};
  cfg.apps.http ??= {};
  cfg.apps.http.servers ??= {};
  const routes = ((current?.routes ?? []) as Record<string, unknown>[]).filter(
    (r) => r["@id"] !== hstsRouteId,
  );
  const { tls_connection_policies: _dropped, ...rest } = current ?? {};
  cfg.apps.http.servers[SERVER] = {
    ...rest,
    ...wanted,
    routes: httpsOn() ? [hstsRoute(), ...routes] : routes,
  };
  if (httpsOn()) {
    Object.assign(cfg.apps.http, httpPorts());
    cfg.apps.tls = tlsApp(await verifiedDomainNames(), dashboardHost());
  }
  await expectOk(await caddy("POST", "/load", cfg), "load the gantry server");
}

/**
 * Puts `route` in place of the route with @id `id`, in one step so that its hosts never go
 * unrouted in between; creates the server if needed.
 */
export async function replaceRoute(id: string, route: Record<string, unknown>): Promise<void> {
  await ensureServer();
  const full = { "@id": id, ...route };
  const replaced = await caddy("PATCH", `/id/${id}`, full);
  if (replaced.ok) return;
  if (!(await unknownId(replaced))) throw new AppError("unavailable", `Caddy refused to replace route ${id}`);
  await expectOk(await caddy("POST", `${serverPath}/routes`, full), `add route ${id}`);
}

/** The route with @id `id` as Caddy has it, or null when it has none. */
export async function readRoute(id: string): Promise<Record<string, unknown> | null> {
  const response = await caddy("GET", `/id/${id}`);
  if (!response.ok && (await unknownId(response.clone()))) return null;
  await expectOk(response, `show route ${id}`);
  return (await response.json()) as Record<string, unknown> | null;
}

export async function removeRoute(id: string): Promise<void> {
  const response = await caddy("DELETE", `/id/${id}`);
  if (!response.ok && !(await unknownId(response))) {
    throw new AppError("unavailable", `Caddy refused to remove route ${id}`);
  }
}

/** Puts `route` in place of the build's route (same @id). */
export async function replaceBuildRoute(buildId: string, route: Record<string, unknown>): Promise<void> {
  await replaceRoute(routeId(buildId), route);
}

/** The build's route as Caddy has it, or null when it has none. */
export async function buildRoute(buildId: string): Promise<Record<string, unknown> | null> {
  return readRoute(routeId(buildId));
}

export async function removeBuildRoute(buildId: string): Promise<void> {
  await removeRoute(routeId(buildId));
}
