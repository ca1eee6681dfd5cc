// verifyAndParseWebhook on real example payloads from @octokit/webhooks-examples, delivered
// as GitHub delivers them (signed by the stand-in's helper).
import { MAX_WEBHOOK_BYTES, verifyAndParseWebhook } from "@gantry/github";
import { describe, expect, it } from "vitest";
import { signWebhook, webhookExample, webhookExamples, webhookRequest } from "../../support/github-standin";

const SECRET = "webhook-secret-for-tests";

async function deliver(event: string, payload: unknown, secret = SECRET) {
  const { body, headers } = webhookRequest(event, payload, secret, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  return verifyAndParseWebhook({ rawBody: body, headers, secret: SECRET });
}

describe("valid deliveries", () => {
  it("push to a branch", async () => {
    const payload = webhookExample("push", (p) => String(p.ref).startsWith("refs/heads/"));
    const result = await deliver("push", payload);
    expect(result.ok).toBe(true);
    if (!result.ok || result.event.kind !== "push") throw new Error("expected a push");
    expect(result.deliveryId).toBe("72d3162e-cc78-11e3-81ab-4c9367dc0958");
    expect(result.hookId).toBe("1");
    expect(result.event).toMatchObject({
      branch: (payload.ref as string).slice("refs/heads/".length),
      before: payload.before,
      after: payload.after,
      forced: payload.forced,
      repository: (payload.repository as { full_name: string }).full_name,
    });
    expect(result.event.commits).toHaveLength((payload.commits as unknown[]).length);
  });

  it("every push example parses (tags give branch null)", async () => {
    for (const payload of webhookExamples("push")) {
      const result = await deliver("push", payload);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok && result.event.kind === "push" && String(payload.ref).startsWith("refs/tags/")) {
        expect(result.event.branch).toBeNull();
      }
    }
  });

  it("delete of a branch", async () => {
    const payload = { ...webhookExample("delete"), ref: "feature/old", ref_type: "branch" };
    const result = await deliver("delete", payload);
    expect(result).toMatchObject({
      ok: true,
      event: { kind: "delete", refType: "branch", ref: "feature/old" },
    });
  });

  it("pull_request actions Gantry follows, others ignored", async () => {
    for (const action of ["opened", "synchronize", "closed", "reopened"]) {
      const payload = webhookExample("pull_request", (p) => p.action === action);
      const result = await deliver("pull_request", payload);
      expect(result.ok).toBe(true);
      if (!result.ok || result.event.kind !== "pull_request")
        throw new Error(`expected pull_request ${action}`);
      const pr = payload.pull_request as {
        head: { ref: string; sha: string };
        base: { ref: string };
        merged: boolean | null;
      };
      expect(result.event).toMatchObject({
        action,
        number: payload.number,
        head: { ref: pr.head.ref, sha: pr.head.sha },
      });
      expect(result.event.base.ref).toBe(pr.base.ref);
      expect(result.event.merged).toBe(pr.merged === true);
    }
    const labeled = await deliver(
      "pull_request",
      webhookExample("pull_request", (p) => p.action === "labeled"),
    );
    expect(labeled).toMatchObject({
      ok: true,
      event: { kind: "ignored", event: "pull_request", action: "labeled" },
    });
  });

  it("ping", async () => {
    const payload = webhookExample("ping");
    const result = await deliver("ping", payload);
    expect(result).toMatchObject({
      ok: true,
      event: { kind: "ping", zen: payload.zen, hookId: payload.hook_id },
    });
  });

  it("unknown events are ignored, not refused", async () => {
    const result = await deliver("star", webhookExample("star"));
    expect(result).toMatchObject({ ok: true, event: { kind: "ignored", event: "star" } });
  });
});

describe("refused deliveries", () => {
  const payload = webhookExample("push", (p) => String(p.ref).startsWith("refs/heads/"));

  it("unsigned: 401 missing_signature", async () => {
    const { body, headers } = webhookRequest("push", payload, SECRET);
    delete headers["x-hub-signature-256"];
    const result = await verifyAndParseWebhook({ rawBody: body, headers, secret: SECRET });
    expect(result).toMatchObject({ ok: false, code: "missing_signature", status: 401 });
  });

  it("signed with another secret: 401 bad_signature", async () => {
    expect(await deliver("push", payload, "another-secret")).toMatchObject({
      ok: false,
      code: "bad_signature",
      status: 401,
    });
  });

  it("only the legacy SHA-1 signature: 401 missing_signature", async () => {
    const { body, headers } = webhookRequest("push", payload, SECRET);
    delete headers["x-hub-signature-256"];
    expect(headers["x-hub-signature"]).toMatch(/^sha1=/);
    expect(await verifyAndParseWebhook({ rawBody: body, headers, secret: SECRET })).toMatchObject({
      code: "missing_signature",
    });
  });

  it("tampered body: 401 bad_signature", async () => {
    const { body, headers } = webhookRequest("push", payload, SECRET);
    const tampered = Buffer.from(body.toString("utf8").replace(payload.after as string, "f".repeat(40)));
    expect(tampered.equals(body)).toBe(false);
    expect(await verifyAndParseWebhook({ rawBody: tampered, headers, secret: SECRET })).toMatchObject({
      code: "bad_signature",
    });
  });

  it("re-serialized JSON is not the signed body (whitespace changes the bytes)", async () => {
    const { body, headers } = webhookRequest("push", payload, SECRET);
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8")), null, 2));
    expect(await verifyAndParseWebhook({ rawBody: pretty, headers, secret: SECRET })).toMatchObject({
      code: "bad_signature",
    });
  });

  it("truncated JSON, correctly signed: 400 malformed", async () => {
    const { body, headers } = webhookRequest("push", payload, SECRET);
    const truncated = body.subarray(0, Math.floor(body.length / 2));
    headers["x-hub-signature-256"] = signWebhook(truncated, SECRET);
    expect(await verifyAndParseWebhook({ rawBody: truncated, headers, secret: SECRET })).toMatchObject({
      ok: false,
      code: "malformed",
      status: 400,
    });
  });

  it("signed but missing fields: 400 malformed", async () => {
    const { after: _after, ...incomplete } = payload;
    expect(await deliver("push", incomplete)).toMatchObject({
      code: "malformed",
      message: expect.stringMatching(/after/),
    });
  });

  it("signed but a hostile branch name: 400 malformed", async () => {
    for (const ref of [
      "refs/heads/a..b",
      "refs/heads/x y",
      "refs/heads/$(x)~1",
      "refs/heads/evil.lock",
      "refs/heads/a\nb",
    ]) {
      expect(await deliver("push", { ...payload, ref })).toMatchObject({ code: "malformed" });
    }
  });

  it("missing X-GitHub-Event or X-GitHub-Delivery: 400 missing_headers", async () => {
    for (const name of ["x-github-event", "x-github-delivery"]) {
      const { body, headers } = webhookRequest("push", payload, SECRET);
      delete headers[name];
      expect(await verifyAndParseWebhook({ rawBody: body, headers, secret: SECRET })).toMatchObject({
        code: "missing_headers",
        status: 400,
      });
    }
  });

  it("over 25 MB: 413 too_large, before any parsing", async () => {
    const big = Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20);
    const headers = webhookRequest("push", payload, SECRET).headers;
    headers["x-hub-signature-256"] = signWebhook(big, SECRET);
    expect(await verifyAndParseWebhook({ rawBody: big, headers, secret: SECRET })).toMatchObject({
      code: "too_large",
      status: 413,
    });
  });

  it("accepts a Fetch Headers object as well as a plain record", async () => {
    const { body, headers } = webhookRequest("ping", webhookExample("ping"), SECRET);
    const result = await verifyAndParseWebhook({
      rawBody: body,
      headers: new Headers(headers),
      secret: SECRET,
    });
    expect(result).toMatchObject({ ok: true, event: { kind: "ping" } });
  });
});
