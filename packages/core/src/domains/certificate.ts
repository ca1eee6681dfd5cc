// The certificate Caddy serves for a custom domain, read back the way a browser sees it: a TLS
// handshake with the domain as server name on Caddy's HTTPS listener. Its issuer and expiry (or
// why there is none yet) are stored on the domain and shown next to it.
import { connect, type PeerCertificate } from "node:tls";
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { httpsOn } from "../routing";

export type CertificateState = { issuer: string; issuedAt: Date; expiresAt: Date } | { error: string };

function listenAddress(): { host: string; port: number } {
  const listen = config().CADDY_HTTPS_LISTEN;
  const at = listen.lastIndexOf(":");
  const host = listen.slice(0, at);
  return { host: host === "" || host === "0.0.0.0" ? "127.0.0.1" : host, port: Number(listen.slice(at + 1)) };
}

function issuerOf(cert: PeerCertificate): string {
  const issuer = cert.issuer ?? {};
  return [issuer.O, issuer.CN].filter(Boolean).join(" · ") || "unknown issuer";
}

export function readCertificate(name: string): Promise<CertificateState> {
  const { host, port } = listenAddress();
  return new Promise((resolve) => {
    // Not verified here: the point is to read what is served, trusted or not.
    const socket = connect({ host, port, servername: name, rejectUnauthorized: false, timeout: 10_000 });
    const done = (state: CertificateState) => {
      socket.destroy();
      resolve(state);
    };
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      if (!cert?.valid_to) return done({ error: "Caddy served no certificate" });
      const names = (cert.subjectaltname ?? "").split(/,\s*/).map((n) => n.replace(/^DNS:/, ""));
      if (!names.includes(name)) return done({ error: "no certificate for this name yet (being obtained)" });
      done({
        issuer: issuerOf(cert),
        issuedAt: new Date(cert.valid_from),
        expiresAt: new Date(cert.valid_to),
      });
    });
    socket.once("timeout", () => done({ error: "the TLS handshake timed out" }));
    socket.once("error", (error) => done({ error: `no certificate yet: ${error.message}` }));
  });
}

/**
 * Why a served certificate is a problem although it was read: Caddy renews once a third of its
 * life is left, so one with less than a quarter left (or expired) means renewal keeps failing.
 */
export function renewalOverdue(
  state: { issuedAt: Date; expiresAt: Date },
  now: Date = new Date(),
): string | null {
  const life = state.expiresAt.getTime() - state.issuedAt.getTime();
  const left = state.expiresAt.getTime() - now.getTime();
  const when = state.expiresAt.toISOString().replace(/\.\d+Z$/, "Z");
  if (left <= 0) return `the certificate expired at ${when} and was not renewed`;
  if (left < life / 4)
    return `the certificate expires at ${when} and has not been renewed (renewal is failing)`;
  return null;
}

/**
 * Reads the domain's certificate and stores what was found (HTTPS=acme only): issuer and
 * expiry of what is served, and the last error (none, no certificate, renewal overdue).
 * Answers the error, or null when the certificate is fine (or HTTPS is off).
 */
export async function refreshCertificate(domainId: string, name: string): Promise<string | null> {
  if (!httpsOn()) return null;
  const state = await readCertificate(name);
  const now = new Date();
  const error = "error" in state ? state.error : renewalOverdue(state, now);
  await prisma().domain.update({
    where: { id: domainId },
    data:
      "error" in state
        ? { certError: state.error, certCheckedAt: now }
        : { certIssuer: state.issuer, certExpiresAt: state.expiresAt, certError: error, certCheckedAt: now },
  });
  return error;
}
