import { recordAudit } from "../audit";
import { isAppError } from "../errors";
import { readBodyCapped } from "../request-body";
import { attemptedEmail } from "./attempted-email";
import { auth } from "./better-auth";
import { clientIp } from "./client-ip";
import {
  accountLockState,
  clearFailures,
  type LockState,
  lockedMessage,
  lockState,
  recordFailure,
} from "./lockout";

function errorJson(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return Response.json({ error: { code, message } }, { status, headers });
}

/** The address lock first (its message says so), then the account's; null when neither holds. */
async function lockOf(email: string, ip: string): Promise<Response | null> {
  const locks: [LockState, "address" | "account"][] = [
    [await lockState(email, ip), "address"],
    [await accountLockState(email), "account"],
  ];
  for (const [state, scope] of locks) {
    if (!state.locked) continue;
    return errorJson(429, "rate_limited", lockedMessage(state.retryAfterSeconds, scope), {
      "retry-after": String(state.retryAfterSeconds),
    });
  }
  return null;
}

// Sign-in, sign-up and password forms are a few hundred bytes.
const authBodyMaxBytes = 64 * 1024;

/** The request with its body read under the cap, so better-auth never reads an unbounded one. */
async function bounded(request: Request): Promise<Request> {
  if (request.method === "GET" || request.method === "HEAD") return request;
  const body = await readBodyCapped(request, authBodyMaxBytes);
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: body.byteLength > 0 ? new Uint8Array(body) : undefined,
  });
}

/**
 * better-auth's handler for /api/auth/*, with the email + address and per-account lock-outs
 * wrapped around the password sign-in and sign-ins written to the audit log.
 */
export async function handleAuthRequest(incoming: Request): Promise<Response> {
  let request: Request;
  try {
    request = await bounded(incoming);
  } catch (error) {
    if (isAppError(error) && error.code === "too_large") return errorJson(413, "too_large", error.message);
    throw error;
  }
  const url = new URL(request.url);
  if (request.method !== "POST" || !url.pathname.endsWith("/sign-in/email")) {
    return auth().handler(request);
  }
  const named = await attemptedEmail(request);
  // An attempt whose email cannot be read is never handed on: it could not be counted.
  if (named === null) return errorJson(400, "invalid_input", "Send the email and password as JSON");
  const email = named.trim().toLowerCase();
  const ip = clientIp(request.headers);

  const before = await lockOf(email, ip);
  if (before) return before;
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
    const failures = (await lockState(email, ip)).failures;
    const after = await lockOf(email, ip);
    await recordAudit({
      action: after ? "auth.sign_in_locked" : "auth.sign_in_failed",
      ip,
      data: { email, failures },
    });
    if (after) return after;
  }
  return response;
}
