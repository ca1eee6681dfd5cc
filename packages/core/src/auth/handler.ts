import { z } from "zod";
import { recordAudit } from "../audit";
import { auth } from "./better-auth";
import { clientIp } from "./client-ip";
import { clearFailures, lockedMessage, lockState, recordFailure } from "./lockout";

const signInBody = z.object({ email: z.string() });

function errorJson(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return Response.json({ error: { code, message } }, { status, headers });
}

/**
 * better-auth's handler for /api/auth/*, with the email + address lock-out wrapped around the
 * password sign-in and sign-ins written to the audit log.
 */
export async function handleAuthRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method !== "POST" || !url.pathname.endsWith("/sign-in/email")) {
    return auth().handler(request);
  }
  // A body that is not JSON is better-auth's to refuse, as any malformed sign-in.
  const parsed = signInBody.safeParse(
    await request
      .clone()
      .json()
      .catch(() => null),
  );
  if (!parsed.success) return auth().handler(request);
  const email = parsed.data.email.trim().toLowerCase();
  const ip = clientIp(request.headers);

  const before = await lockState(email, ip);
  if (before.locked) {
    return errorJson(429, "rate_limited", lockedMessage(before.retryAfterSeconds), {
      "retry-after": String(before.retryAfterSeconds),
    });
  }
  const response = await auth().handler(request);
  if (response.status === 200) {
    await clearFailures(email, ip);
    // The audit line is written even if the answer had no JSON body, without the user id.
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { user?: { id?: string } } | null;
    await recordAudit({ action: "auth.sign_in", userId: body?.user?.id ?? null, ip, data: { email } });
    return response;
  }
  if (response.status === 401 || response.status === 403) {
    await recordFailure(email, ip);
    const after = await lockState(email, ip);
    await recordAudit({
      action: after.locked ? "auth.sign_in_locked" : "auth.sign_in_failed",
      ip,
      data: { email, failures: after.failures },
    });
    if (after.locked) {
      return errorJson(429, "rate_limited", lockedMessage(after.retryAfterSeconds), {
        "retry-after": String(after.retryAfterSeconds),
      });
    }
  }
  return response;
}
