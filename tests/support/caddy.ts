// Requests to Caddy's builds listener on 127.0.0.1 with a build's Host header: what a browser
// does through DNS, without sending anything off this machine.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { config } from "@gantry/config";

export async function viaCaddy(
  url: string,
  path: string,
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders; location?: string }> {
  const port = Number(config().CADDY_HTTP_LISTEN.split(":").pop());
  const host = new URL(url).host;
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port, path, headers: { host } }, (response) => {
      let body = "";
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          body,
          headers: response.headers,
          location: response.headers.location,
        }),
      );
    });
    // An upstream that never answers (a frozen node) fails the request rather than the test.
    request.setTimeout(30_000, () => request.destroy(new Error(`no answer from ${host}${path} in 30 s`)));
    request.on("error", reject);
    request.end();
  });
}
