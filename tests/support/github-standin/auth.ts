// Who is calling: a known token, or a GitHub App's JWT (RS256, iss = app id) for the
// installation token exchange that @octokit/auth-app performs.
import { createVerify } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { StandinApp, StandinState } from "./state";

export type Caller =
  | { kind: "none" }
  | { kind: "bad" }
  | { kind: "token"; token: string }
  | { kind: "app"; app: StandinApp };

function verifyJwt(state: StandinState, jwt: string): StandinApp | null {
  const parts = jwt.split(".");
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      iss?: unknown;
      exp?: unknown;
    };
    const app = state.apps.get(Number(claims.iss));
    if (!app) return null;
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(app.publicKey, Buffer.from(signature, "base64url"))) return null;
    if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) return null;
    return app;
  } catch {
    return null;
  }
}

export function identify(state: StandinState, headers: IncomingHttpHeaders): Caller {
  const value = headers.authorization;
  if (!value) return { kind: "none" };
  const match = /^(token|bearer)\s+(\S+)$/i.exec(value);
  if (!match) return { kind: "bad" };
  const credential = match[2]!;
  if (state.tokens.has(credential)) return { kind: "token", token: credential };
  if (credential.split(".").length === 3) {
    const app = verifyJwt(state, credential);
    if (app) return { kind: "app", app };
  }
  return { kind: "bad" };
}
