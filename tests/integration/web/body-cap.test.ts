import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;

const chunk = 64 * 1024;

/** A body sent in chunks with no Content-Length, counting how much of it was pulled. */
function streamed(totalBytes: number) {
  const sent = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent.bytes >= totalBytes) return controller.close();
      sent.bytes += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x20));
    },
  });
  return { body, sent };
}

function post(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request(`${dashboard}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: dashboard, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

async function expectTooLarge(response: Response) {
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("too_large");
}

beforeAll(async () => {
  db = await useWebDatabase();
  prisma = (await import("@gantry/db")).prisma;
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("request bodies are read under a cap", () => {
  it("an API body stops being read past the endpoint's limit", async () => {
    const { POST } = await import("../../../apps/web/app/api/v1/invitations/[token]/accept/route");
    const { body, sent } = streamed(8 * 1024 * 1024);
    const response = await POST(post("/api/v1/invitations/some-token/accept", body), {
      params: Promise.resolve({ token: "some-token" }),
    });
    await expectTooLarge(response);
    expect(sent.bytes).toBeLessThanOrEqual(1024 * 1024 + 2 * chunk);
  });

  it("a declared Content-Length over the limit is refused before reading", async () => {
    const { POST } = await import("../../../apps/web/app/api/v1/invitations/[token]/accept/route");
    const { body, sent } = streamed(8 * 1024 * 1024);
    const response = await POST(
      post("/api/v1/invitations/some-token/accept", body, { "content-length": String(8 * 1024 * 1024) }),
      { params: Promise.resolve({ token: "some-token" }) },
    );
    await expectTooLarge(response);
    expect(sent.bytes).toBeLessThanOrEqual(2 * chunk);
  });

  it("a webhook delivery stops being read past GitHub's largest payload", async () => {
    const { POST } = await import("../../../apps/web/app/api/github/webhook/route");
    const { body, sent } = streamed(40 * 1024 * 1024);
    await expectTooLarge(await POST(post("/api/github/webhook", body, { "x-github-event": "push" })));
    expect(sent.bytes).toBeLessThanOrEqual(25 * 1024 * 1024 + 2 * chunk);
  });

  it("a sign-in body stops being read past a few kilobytes", async () => {
    const core = await import("@gantry/core");
    const { body, sent } = streamed(8 * 1024 * 1024);
    await expectTooLarge(await core.handleAuthRequest(post("/api/auth/sign-in/email", body)));
    expect(sent.bytes).toBeLessThanOrEqual(64 * 1024 + 2 * chunk);
  });
});
