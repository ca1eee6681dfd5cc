// Build URLs through Caddy's admin API: one route per build, `<slug>.<BASE_DOMAIN>` ->
// 127.0.0.1:<port>, tagged with an @id so it can be replaced or removed on its own. The HTTP
// server "gantry" is created on first use, leaving the rest of Caddy's configuration alone.
import { config } from "@gantry/config";
import { AppError } from "../errors";

const SERVER = "gantry";

function routeId(buildId: string): string {
  if (!/^[a-z0-9]{1,40}$/.test(buildId)) throw new AppError("invalid_input", "invalid build id");
  return `gantry-build-${buildId}`;
}

async function caddy(method: string, path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(`${config().CADDY_ADMIN_URL}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new AppError("unavailable", `Caddy's admin API does not answer at ${config().CADDY_ADMIN_URL}`, {
      cause: error,
    });
  }
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) {
    throw new AppError(
      "unavailable",
      `Caddy refused to ${what}: ${response.status} ${await response.text()}`,
    );
  }
}

async function ensureServer(): Promise<void> {
  const current = await caddy("GET", `/config/apps/http/servers/${SERVER}`);
  if (current.ok && (await current.text()).trim() !== "null") return;
  const whole = await caddy("GET", "/config/");
  await expectOk(whole, "show its configuration");
  const cfg = ((await whole.json()) ?? {}) as { apps?: { http?: { servers?: Record<string, unknown> } } };
  cfg.apps ??= {};
  cfg.apps.http ??= {};
  cfg.apps.http.servers ??= {};
  cfg.apps.http.servers[SERVER] = {
    listen: [config().CADDY_HTTP_LISTEN],
    routes: [],
    automatic_https: { disable: true },
  };
  await expectOk(await caddy("POST", "/load", cfg), "load the gantry server");
}

export function buildHost(slug: string): string {
  return `${slug}.${config().BASE_DOMAIN}`;
}

/** Routes `host` to the build's port, replacing the build's previous route. */
export async function routeBuild(buildId: string, host: string, port: number): Promise<void> {
  await ensureServer();
  await unrouteBuild(buildId);
  await expectOk(
    await caddy("POST", `/config/apps/http/servers/${SERVER}/routes`, {
      "@id": routeId(buildId),
      match: [{ host: [host] }],
      handle: [{ handler: "reverse_proxy", upstreams: [{ dial: `127.0.0.1:${port}` }] }],
      terminal: true,
    }),
    "add the build's route",
  );
}

export async function unrouteBuild(buildId: string): Promise<void> {
  const response = await caddy("DELETE", `/id/${routeId(buildId)}`);
  // Caddy answers 404 (or 500 "unknown object ID" in some versions) for an unknown id.
  if (!response.ok && response.status !== 404 && !/unknown object ID/i.test(await response.text())) {
    throw new AppError("unavailable", `Caddy refused to remove the route of build ${buildId}`);
  }
}
