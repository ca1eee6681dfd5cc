// Fuzzing verifyAndParseWebhook: whatever arrives, it returns a typed result and never
// throws; without the right signature it never returns an event.
import { createHmac } from "node:crypto";
import {
  isValidBranchName,
  MAX_WEBHOOK_BYTES,
  verifyAndParseWebhook,
  type WebhookResult,
} from "@gantry/github";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signWebhook, webhookExamples, webhookRequest } from "../../support/github-standin";

const SECRET = "fuzz-secret-0123456789";
const CODES = new Set(["missing_signature", "bad_signature", "malformed", "too_large", "missing_headers"]);
const EVENTS = ["push", "delete", "pull_request", "ping"] as const;
const samples = EVENTS.flatMap((event) => webhookExamples(event).map((payload) => ({ event, payload })));

function correctSignature(body: Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function checkShape(result: WebhookResult): void {
  if (result.ok) {
    expect(["push", "delete", "pull_request", "ping", "ignored"]).toContain(result.event.kind);
    if (result.event.kind === "push" && result.event.branch !== null) {
      expect(isValidBranchName(result.event.branch)).toBe(true);
    }
    if (result.event.kind === "pull_request") {
      expect(isValidBranchName(result.event.head.ref)).toBe(true);
      expect(isValidBranchName(result.event.base.ref)).toBe(true);
    }
  } else {
    expect(CODES.has(result.code)).toBe(true);
    expect([400, 401, 413]).toContain(result.status);
  }
}

const hostileBranch = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "a..b",
    "x y",
    "$(rm -rf /)",
    "`id`",
    "'; DROP TABLE x; --",
    "a@{1}",
    "x.lock",
    "-rf",
    ".hidden",
    "a//b",
    "trailing/",
    "a\u0000b",
    "\u202e",
    "x".repeat(300),
    "feature/ok",
  ),
);

/** A payload mutation: set a field anywhere in the top two levels to an arbitrary value. */
const mutation = fc.record({
  path: fc.constantFrom(
    "ref",
    "before",
    "after",
    "commits",
    "repository",
    "pull_request",
    "action",
    "zen",
    "hook_id",
    "ref_type",
    "number",
    "pusher",
    "head_commit",
  ),
  value: fc.oneof(
    fc.anything({ maxDepth: 2 }),
    hostileBranch.map((b) => `refs/heads/${b}`),
    hostileBranch,
  ),
});

describe("verifyAndParseWebhook under fuzzing", () => {
  it("correctly signed but mutated payloads: typed failures or valid events, never throws", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.array(mutation, { maxLength: 4 }),
        async (sample, mutations) => {
          const payload = structuredClone(sample.payload) as Record<string, unknown>;
          for (const m of mutations) payload[m.path] = m.value;
          const { body, headers } = webhookRequest(sample.event, payload, SECRET);
          const result = await verifyAndParseWebhook({ rawBody: body, headers, secret: SECRET });
          checkShape(result);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("mutated bodies and headers: no event unless the signature matches the bytes", async () => {
    const headerNames = ["x-github-event", "x-github-delivery", "x-hub-signature-256", "x-github-hook-id"];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.record({
          flips: fc.array(fc.nat(), { maxLength: 3 }),
          truncate: fc.option(fc.nat()),
          insert: fc.option(fc.uint8Array({ maxLength: 20 })),
          dropHeader: fc.option(fc.constantFrom(...headerNames)),
          header: fc.option(fc.tuple(fc.constantFrom(...headerNames), fc.string({ maxLength: 100 }))),
          secret: fc.oneof(fc.constant(SECRET), fc.string({ maxLength: 30 })),
        }),
        async (sample, m) => {
          const { body, headers } = webhookRequest(sample.event, sample.payload, SECRET);
          let raw = Buffer.from(body);
          for (const f of m.flips) raw[f % raw.length] = raw[f % raw.length]! ^ (1 << (f % 8));
          if (m.truncate !== null) raw = raw.subarray(0, m.truncate % (raw.length + 1));
          if (m.insert !== null)
            raw = Buffer.concat([raw.subarray(0, 10), Buffer.from(m.insert), raw.subarray(10)]);
          if (m.dropHeader !== null) delete headers[m.dropHeader];
          if (m.header !== null) headers[m.header[0]] = m.header[1];
          const result = await verifyAndParseWebhook({ rawBody: raw, headers, secret: m.secret });
          checkShape(result);
          if (result.ok) {
            expect(m.secret.length).toBeGreaterThan(0);
            expect(headers["x-hub-signature-256"]).toBe(correctSignature(raw, m.secret));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("arbitrary bytes with arbitrary headers never throw and never pass", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.dictionary(fc.string({ maxLength: 30 }), fc.string({ maxLength: 80 }), { maxKeys: 6 }),
        async (bytes, extra) => {
          const headers = {
            "x-github-event": "push",
            "x-github-delivery": "d-1",
            ...extra,
            "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
          };
          const result = await verifyAndParseWebhook({
            rawBody: Buffer.from(bytes),
            headers,
            secret: SECRET,
          });
          checkShape(result);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("bodies around the size limit: too_large above it, signature checked at or below", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2048 }),
        fc.integer({ min: 1, max: 1024 }),
        async (size, limit) => {
          const raw = Buffer.alloc(size, 0x7b);
          const headers = {
            ...webhookRequest("push", {}, SECRET).headers,
            "x-hub-signature-256": signWebhook(raw, SECRET),
          };
          const result = await verifyAndParseWebhook({
            rawBody: raw,
            headers,
            secret: SECRET,
            maxBytes: limit,
          });
          checkShape(result);
          expect(result.ok).toBe(false);
          if (size > limit) expect(result).toMatchObject({ code: "too_large" });
          else expect(result).toMatchObject({ code: "malformed" });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("huge bodies at the real limit", async () => {
    for (const size of [MAX_WEBHOOK_BYTES + 1, MAX_WEBHOOK_BYTES * 2]) {
      const raw = Buffer.alloc(size, 0x61);
      const headers = {
        ...webhookRequest("push", {}, SECRET).headers,
        "x-hub-signature-256": signWebhook(raw, SECRET),
      };
      expect(await verifyAndParseWebhook({ rawBody: raw, headers, secret: SECRET })).toMatchObject({
        code: "too_large",
      });
    }
    // Just under the limit, validly signed but not JSON: verified, then refused as malformed.
    const under = Buffer.alloc(MAX_WEBHOOK_BYTES, 0x61);
    const headers = {
      ...webhookRequest("push", {}, SECRET).headers,
      "x-hub-signature-256": signWebhook(under, SECRET),
    };
    expect(await verifyAndParseWebhook({ rawBody: under, headers, secret: SECRET })).toMatchObject({
      code: "malformed",
    });
  });
});
