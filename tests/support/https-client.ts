// HTTPS requests to a test's Caddy on 127.0.0.1 with a host's name (SNI and Host header), the
// chain verified against the given root only: what a browser trusting that root sees.
import { request as httpsRequest } from "node:https";
import type { TLSSocket } from "node:tls";

export interface HttpsAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  issuer: string;
  /** The served certificate's serial number and end of validity. */
  serial: string;
  validTo: Date;
}

export function viaHttps(port: number, host: string, root: string, path = "/"): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      { host: "127.0.0.1", port, servername: host, headers: { host }, ca: root, path, agent: false },
      (response) => {
        // Read while the socket is still the response's (it is detached once the body ends).
        const cert = (response.socket as TLSSocket).getPeerCertificate();
        const seen = {
          issuer: cert.issuer?.CN ?? "",
          serial: cert.serialNumber,
          validTo: new Date(cert.valid_to),
        };
        let body = "";
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers, ...seen }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/** Certificates come in the background: the first handshakes may fail until Caddy has one. */
export async function eventually<T>(work: () => Promise<T>, deadlineMs = 90_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
