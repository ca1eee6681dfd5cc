// The generic webhook's signature, the way GitHub signs its deliveries: HMAC-SHA256 of the raw
// body under the channel's secret, sent as `X-Gantry-Signature-256: sha256=<hex>`. Receivers
// check it over the bytes they received, before parsing them.
import { createHmac, timingSafeEqual } from "node:crypto";

export const signatureHeader = "X-Gantry-Signature-256";
export const eventHeader = "X-Gantry-Event";
export const deliveryHeader = "X-Gantry-Delivery";

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Constant-time check of a received signature header (for receivers and tests). */
export function verifyBodySignature(
  body: string | Buffer,
  secret: string,
  header: string | null | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
