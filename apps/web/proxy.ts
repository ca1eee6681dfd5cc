import { config as gantryConfig, shellSocketOrigin } from "@gantry/config";
import { type NextRequest, NextResponse } from "next/server";
import { securityHeaders } from "@/lib/security-headers";

/** Runs before every request: sets the security headers on whatever answers it. */
export function proxy(request: NextRequest): NextResponse {
  const settings = gantryConfig();
  const response = NextResponse.next();
  const headers = securityHeaders({
    publicUrl: settings.PUBLIC_URL,
    development: settings.NODE_ENV === "development",
    pathname: request.nextUrl.pathname,
    shellOrigin: shellSocketOrigin(),
  });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
