import { acceptInvitation as accept, auth, clientIp } from "@gantry/core";
import { acceptInvitation } from "@/lib/api/endpoints/invitations";
import { type RouteContext, route } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/**
 * Public: the token is the credential. The new account is signed in through better-auth's own
 * sign-in, whose session cookie is copied onto the answer.
 */
export async function POST(request: Request, context: RouteContext): Promise<Response> {
  const cookies: string[] = [];
  const response = await route(acceptInvitation, async ({ params, body }) => {
    const accepted = await accept(params.token, body, clientIp(request.headers));
    const signIn = await auth().api.signInEmail({
      body: { email: accepted.email, password: body.password },
      headers: request.headers,
      returnHeaders: true,
    });
    cookies.push(...signIn.headers.getSetCookie());
    return accepted;
  })(request, context);
  for (const cookie of cookies) response.headers.append("set-cookie", cookie);
  return response;
}
