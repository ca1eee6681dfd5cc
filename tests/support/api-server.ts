// The web app's API route handlers served over real HTTP, matched the way Next's App Router
// matches them (static segments before [param] before [...catchAll]), for clients that must
// be tested as they run: over a socket, with headers, ranges and streamed answers.
import { readdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebStream } from "node:stream/web";

const apiDir = resolve(import.meta.dirname, "../../apps/web/app/api");

interface RouteFile {
  segments: string[];
  file: string;
}

async function routeFiles(dir: string, segments: string[] = []): Promise<RouteFile[]> {
  const found: RouteFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory())
      found.push(...(await routeFiles(join(dir, entry.name), [...segments, entry.name])));
    else if (entry.name === "route.ts") found.push({ segments, file: join(dir, entry.name) });
  }
  return found;
}

const rank = (segment: string) => (segment.startsWith("[...") ? 2 : segment.startsWith("[") ? 1 : 0);

/** Next's precedence: at the first position where two routes differ, the more static wins. */
function byPrecedence(a: RouteFile, b: RouteFile): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const difference = rank(a.segments[i] ?? "") - rank(b.segments[i] ?? "");
    if (difference !== 0) return difference;
  }
  return b.segments.length - a.segments.length;
}

function match(route: RouteFile, parts: string[]): Record<string, string | string[]> | undefined {
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    if (segment.startsWith("[...")) {
      if (i >= parts.length) return undefined;
      params[segment.slice(4, -1)] = parts.slice(i);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.startsWith("[")) params[segment.slice(1, -1)] = part;
    else if (segment !== part) return undefined;
  }
  return parts.length === route.segments.length ? params : undefined;
}

type Handler = (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;

async function answer(routes: RouteFile[], req: IncomingMessage, res: ServerResponse, origin: string) {
  const url = new URL(req.url ?? "/", origin);
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== "api") {
    res.writeHead(404).end();
    return;
  }
  const found = routes
    .map((route) => ({ route, params: match(route, parts.slice(1)) }))
    .find((candidate) => candidate.params !== undefined);
  const handler = found
    ? ((await import(found.route.file)) as Record<string, Handler | undefined>)[req.method ?? "GET"]
    : undefined;
  if (!found || !handler) {
    res.writeHead(found ? 405 : 404).end();
    return;
  }
  // The client going away aborts the request's signal, as it does under Next (log tails stop).
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : [value])
      if (one !== undefined) headers.append(name, one);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream) : undefined,
    signal: abort.signal,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
  const response = await handler(request, { params: Promise.resolve(found.params) });
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  res.writeHead(response.status, out);
  if (!response.body) {
    res.end();
    return;
  }
  Readable.fromWeb(response.body as WebStream)
    .on("error", () => res.destroy())
    .pipe(res);
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** Serves every route under apps/web/app/api on 127.0.0.1, on a free port. */
export async function startApiServer(): Promise<ApiServer> {
  const routes = (await routeFiles(apiDir)).sort(byPrecedence);
  let origin = "";
  const server: Server = createServer((req, res) => {
    answer(routes, req, res, origin).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(error.stack);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
