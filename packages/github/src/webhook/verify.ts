// Verifies a GitHub webhook delivery over the raw request bytes (X-Hub-Signature-256) and
// parses it into a typed event. Never throws: every problem is a typed failure with the HTTP
// status the route should answer.
import { Webhooks } from "@octokit/webhooks";
import { PayloadError, toEvent, type WebhookEvent } from "./events";

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export type WebhookFailureCode =
  | "missing_signature"
  | "bad_signature"
  | "malformed"
  | "too_large"
  | "missing_headers";

const STATUS: Record<WebhookFailureCode, number> = {
  missing_signature: 401,
  bad_signature: 401,
  malformed: 400,
  too_large: 413,
  missing_headers: 400,
};

export type WebhookResult =
  | { ok: true; deliveryId: string; hookId: string | null; eventName: string; event: WebhookEvent }
  | { ok: false; code: WebhookFailureCode; status: number; message: string; deliveryId: string | null };

export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookInput {
  rawBody: Buffer | Uint8Array;
  headers: HeaderSource;
  secret: string;
  maxBytes?: number;
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

const EVENT_NAME = /^[a-z_]{1,64}$/;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
const verifiers = new Map<string, Webhooks>();

function verifier(secret: string): Webhooks {
  let webhooks = verifiers.get(secret);
  if (!webhooks) {
    webhooks = new Webhooks({ secret });
    if (verifiers.size > 100) verifiers.clear();
    verifiers.set(secret, webhooks);
  }
  return webhooks;
}

export async function verifyAndParseWebhook(input: VerifyWebhookInput): Promise<WebhookResult> {
  let deliveryId: string | null = null;
  const fail = (code: WebhookFailureCode, message: string): WebhookResult => ({
    ok: false,
    code,
    status: STATUS[code],
    message,
    deliveryId,
  });
  try {
    const limit = input.maxBytes ?? MAX_WEBHOOK_BYTES;
    if (input.rawBody.byteLength > limit) return fail("too_large", `payload over ${limit} bytes`);

    const eventName = header(input.headers, "x-github-event");
    const delivery = header(input.headers, "x-github-delivery");
    if (!eventName || !delivery)
      return fail("missing_headers", "X-GitHub-Event and X-GitHub-Delivery are required");
    if (!EVENT_NAME.test(eventName) || !DELIVERY_ID.test(delivery)) {
      return fail("missing_headers", "X-GitHub-Event or X-GitHub-Delivery is malformed");
    }
    deliveryId = delivery;

    const signature = header(input.headers, "x-hub-signature-256");
    if (!signature) return fail("missing_signature", "X-Hub-Signature-256 is required");
    if (!SIGNATURE.test(signature)) return fail("bad_signature", "X-Hub-Signature-256 is malformed");
    if (!input.secret) return fail("bad_signature", "no webhook secret is configured");

    // Strict UTF-8: a body that is not valid UTF-8 cannot be what GitHub signed, and lenient
    // decoding would verify a string that differs from the bytes received.
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input.rawBody);
    } catch {
      return fail("malformed", "body is not valid UTF-8");
    }
    if (text.length === 0) return fail("malformed", "empty body");
    if (!(await verifier(input.secret).verify(text, signature))) {
      return fail("bad_signature", "signature does not match the body");
    }

    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return fail("malformed", "body is not JSON");
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      return fail("malformed", "body is not a JSON object");
    }
    const hookId = header(input.headers, "x-github-hook-id") ?? null;
    return { ok: true, deliveryId, hookId, eventName, event: toEvent(eventName, payload) };
  } catch (error) {
    if (error instanceof PayloadError) return fail("malformed", error.message);
    // Anything else is still a refusal, never an exception for the route to mishandle.
    return fail("malformed", `could not read the delivery: ${(error as Error)?.message ?? String(error)}`);
  }
}
