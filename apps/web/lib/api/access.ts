import { AppError, type Principal, resolvePrincipal } from "@gantry/core";

/**
 * Who may call an endpoint. Every endpoint declares it and the route wrapper asks `authorize`
 * before validating anything. "signed-in" resolves the session cookie or an API token; what the
 * caller may then do is decided by the handler through the one policy function (`can`).
 */
export type Access = "public" | "signed-in";

export async function authorize(access: Access, request: Request): Promise<Principal | null> {
  switch (access) {
    case "public":
      return null;
    case "signed-in": {
      const principal = await resolvePrincipal(request.headers);
      if (!principal) {
        throw new AppError("unauthorized", "Sign in, or send an API token as Authorization: Bearer <token>");
      }
      return principal;
    }
  }
}
