/**
 * The client's address as the reverse proxy reports it (Caddy sets X-Forwarded-For); "local"
 * when the request came straight in, as in tests.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "local";
}
