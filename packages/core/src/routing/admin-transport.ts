// One request to Caddy's admin API, wherever CADDY_ADMIN_URL puts it: a unix socket
// (unix:///path/to/admin.sock, what the scripts set up: nothing on TCP can reach it) or
// http(s):// for a Caddy run elsewhere. Answers as a fetch Response.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";

export interface AdminCall {
  method: string;
  /** The API path, e.g. /config/ or /id/gantry-build-abc. */
  path: string;
  /** JSON text, sent as application/json. */
  body?: string;
  signal?: AbortSignal;
}

/** Where the admin API is, for messages: the socket's path, or the URL without credentials. */
export function describeAdminEndpoint(adminUrl: string): string {
  const url = new URL(adminUrl);
  if (url.protocol === "unix:") return decodeURIComponent(url.pathname);
  return `${url.origin}${url.pathname.replace(/\/$/, "")}`;
}

function requestOptions(adminUrl: string, call: AdminCall): RequestOptions {
  const url = new URL(adminUrl);
  const unix = url.protocol === "unix:";
  // Raw headers keep Host exactly as given: on a unix socket Caddy accepts only an empty one
  // (there is no host to name), and node would otherwise fill in "localhost".
  const headers = ["Host", unix ? "" : url.host];
  if (call.body !== undefined) {
    headers.push("Content-Type", "application/json", "Content-Length", String(Buffer.byteLength(call.body)));
  }
  const common = { method: call.method, headers, signal: call.signal, agent: false } as const;
  if (unix) return { ...common, socketPath: decodeURIComponent(url.pathname), path: call.path };
  return {
    ...common,
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port || undefined,
    path: `${url.pathname.replace(/\/$/, "")}${call.path}`,
    auth: url.username
      ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
      : undefined,
  };
}

async function toResponse(message: IncomingMessage): Promise<Response> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  const status = message.statusCode ?? 502;
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    for (const one of Array.isArray(value) ? value : [value])
      if (one !== undefined) headers.append(name, one);
  }
  // A Response refuses a body with the statuses that have none.
  const empty = [101, 204, 205, 304].includes(status);
  return new Response(empty ? null : Buffer.concat(chunks), { status, headers });
}

export function adminRequest(adminUrl: string, call: AdminCall): Promise<Response> {
  const send = new URL(adminUrl).protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(requestOptions(adminUrl, call), (message) => {
      toResponse(message).then(resolve, reject);
    });
    request.on("error", reject);
    request.end(call.body);
  });
}
