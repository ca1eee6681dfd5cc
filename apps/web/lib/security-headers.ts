import { MAIL_HTML_POLICY } from "@/lib/mails/responses";

/** A caught mail's HTML part: shown in an iframe of the dashboard's Mails tab, and only there. */
const MAIL_HTML_PATH = /^\/api\/v1\/builds\/[^/]+\/mails\/[^/]+\/html$/;

/**
 * The headers every answer of the dashboard carries. The policy allows what the App Router
 * needs and nothing from elsewhere: its hydration scripts and the pages' styles are inline
 * (no per-request nonce, so pages can stay static), development's fast refresh evaluates code.
 * Nothing may frame the dashboard, so no build page can overlay it.
 */
export function securityHeaders(options: {
  publicUrl: string;
  development: boolean;
  pathname: string;
  /** Where the Shell tab's terminal connects (the worker's WebSocket server). */
  shellOrigin?: string;
}): Record<string, string> {
  if (MAIL_HTML_PATH.test(options.pathname)) {
    // The tenant's HTML runs nothing and loads nothing; the dashboard alone may frame it.
    return {
      "content-security-policy": `${MAIL_HTML_POLICY}; frame-ancestors 'self'`,
      "x-frame-options": "SAMEORIGIN",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    };
  }
  const scripts = ["'self'", "'unsafe-inline'", ...(options.development ? ["'unsafe-eval'"] : [])];
  const policy = [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${options.shellOrigin ? ` ${options.shellOrigin}` : ""}${options.development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers: Record<string, string> = {
    "content-security-policy": policy,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
  };
  // Only over HTTPS: a browser told to insist on HTTPS for a plain-HTTP install would lock out.
  // Not includeSubDomains: builds may be served over plain HTTP under the same name.
  if (new URL(options.publicUrl).protocol === "https:") {
    headers["strict-transport-security"] = "max-age=31536000";
  }
  return headers;
}
