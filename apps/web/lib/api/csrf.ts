import { config } from "@gantry/config";
import { AppError, type Principal } from "@gantry/core";

const stateChanging = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const sameSite = new Set(["same-origin", "none"]);

/**
 * Cross-site request forgery guard for calls that ride on the session cookie. The cookie is
 * SameSite=Lax, but builds are served under the same site as the dashboard, so a page of a
 * build could still post to the API with it. A browser names the page that sent a state-changing
 * request in `Origin` (and in `Sec-Fetch-Site`): only the dashboard's own origin passes. API
 * tokens travel in a header no other page can set, so they need no such check.
 */
export function refuseCrossSite(request: Request, actor: Principal | null): void {
  if (actor?.via !== "session" || !stateChanging.has(request.method)) return;
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (origin === new URL(config().PUBLIC_URL).origin) return;
    throw new AppError("forbidden", "Cross-site request refused: Origin is not this dashboard");
  }
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null && sameSite.has(fetchSite)) return;
  throw new AppError(
    "forbidden",
    "Cross-site request refused: a signed-in browser request must come from this dashboard (Origin)",
  );
}

/** A cookie-authenticated body must be declared JSON, so no HTML form can forge one. */
export function requireJsonBody(request: Request, actor: Principal | null): void {
  if (actor?.via !== "session") return;
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return;
  throw new AppError("unsupported_media_type", "Send the request body as Content-Type: application/json");
}
