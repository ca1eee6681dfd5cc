// Fuzzing the webhook endpoint over HTTP with a connected project: mutated bodies, headers and
// signatures, truncated JSON, huge bodies, unknown events, hostile branch names. Only 4xx or a
// 200 answer, never a crash, and no state change unless the signature matches the bytes.
import type { Server } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook, webhookExamples, webhookRequest } from "../../support/github-standin";
import { actorOf, type FlowEnv, serveWebhookRoute, startFlowEnv } from "./setup";

let env: FlowEnv;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let server: Server;
let url: string;
let secret: string;
const TOKEN = "ghp_fuzztoken0123456789";
const REPO = "acme/fuzz";

const EVENTS = ["push", "delete", "pull_request", "ping"] as const;
const samples = EVENTS.flatMap((event) =>
  webhookExamples(event).map((payload) => ({
    event: event as string,
    payload: { ...payload, repository: { ...(payload.repository as object), full_name: REPO } },
  })),
);

const hostileBranch = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.constantFrom(
    "$(touch /tmp/pwned)",
    "`id`",
    "a;rm -rf /",
    '\'; DROP TABLE "Branch"; --',
    '" OR 1=1 --',
    "feature/ünïcødé-分支",
    "emoji-🚀",
    "\u202eevil",
    "a..b",
    "x".repeat(300),
    "feature/ok",
  ),
);

async function post(body: Buffer, headers: Record<string, string>) {
  const response = await fetch(url, { method: "POST", headers, body: new Uint8Array(body) });
  const text = await response.text();
  return { status: response.status, text };
}

async function state() {
  const [deliveries, branches, builds] = await Promise.all([
    prisma().webhookDelivery.count(),
    prisma().branch.count(),
    prisma().build.count(),
  ]);
  return { deliveries, branches, builds };
}

function expectHarmless(status: number): void {
  expect(status === 200 || (status >= 400 && status < 500), `status ${status}`).toBe(true);
}

beforeAll(async () => {
  env = await startFlowEnv("fuzz");
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  env.gh.addToken(TOKEN);
  env.gh.addRepo({ owner: "acme", name: "fuzz", branches: [] });
  const admin = await core.createUserWithPassword({
    email: "f@example.com",
    name: "F",
    password: "password-1",
    isAdmin: true,
  });
  const project = await core.createProject(await actorOf(admin.id), { name: "Fuzz", repository: REPO });
  await core.connectGithub(await actorOf(admin.id), project.id, { kind: "token", token: TOKEN });
  secret = env.gh.state.repos.get(REPO)!.hooks[0]!.config.secret!;
  ({ server, url } = await serveWebhookRoute());
}, 60_000);

afterAll(async () => {
  server?.close();
  await queue?.closeDefaultQueueContext();
  await prisma?.().$disconnect();
  await env?.close();
});

describe("the webhook endpoint under fuzzing", () => {
  it("wrong, missing or mangled signatures and bodies: 4xx and no state change", async () => {
    const before = await state();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.record({
          secret: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(`${"x"}${secret}`)),
          flips: fc.array(fc.nat(), { maxLength: 3 }),
          truncate: fc.option(fc.nat()),
          dropHeader: fc.option(
            fc.constantFrom("x-github-event", "x-github-delivery", "x-hub-signature-256"),
          ),
          event: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("issues", "star", "fork"))),
        }),
        async (sample, m) => {
          const { body, headers } = webhookRequest(sample.event, sample.payload, m.secret);
          let raw = Buffer.from(body);
          for (const f of m.flips) raw[f % raw.length] = raw[f % raw.length]! ^ (1 << (f % 8));
          if (m.truncate !== null) raw = raw.subarray(0, m.truncate % (raw.length + 1));
          if (m.dropHeader !== null) delete headers[m.dropHeader];
          if (m.event !== null) headers["x-github-event"] = m.event.replace(/[^\x21-\x7e]/g, "");
          headers["content-length"] = String(raw.length);
          const { status } = await post(raw, headers);
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: 1500 },
    );
    expect(await state()).toEqual(before);
  }, 240_000);

  it("correctly signed hostile payloads: 4xx or a harmless 200, valid branch names only", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.oneof(
          hostileBranch.map((b) => `refs/heads/${b}`),
          fc.anything({ maxDepth: 2 }),
        ),
        fc.constantFrom("ref", "after", "commits", "pull_request", "action", "zen", "ref_type"),
        fc.option(fc.constantFrom("issues", "unknown_event", "push", "delete")),
        async (sample, value, field, event) => {
          const payload = { ...structuredClone(sample.payload), [field]: value };
          const delivery = webhookRequest(event ?? sample.event, payload, secret);
          const { status } = await post(delivery.body, delivery.headers);
          expectHarmless(status);
        },
      ),
      { numRuns: 1200 },
    );
    const names = (await prisma().branch.findMany({ select: { name: true } })).map((b) => b.name);
    const { isValidBranchName } = await import("@gantry/github");
    for (const name of names) expect(isValidBranchName(name), name).toBe(true);
  }, 240_000);

  it("huge and empty bodies are refused", async () => {
    const huge = Buffer.alloc(26 * 1024 * 1024, 0x20);
    const headers = {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": "huge-1",
      "x-hub-signature-256": signWebhook(huge, secret),
    };
    expect((await post(huge, headers)).status).toBe(413);
    expect(
      (await post(Buffer.alloc(0), { ...headers, "x-hub-signature-256": signWebhook("", secret) })).status,
    ).toBe(400);
    const notJson = Buffer.from("{not json");
    expect(
      (await post(notJson, { ...headers, "x-hub-signature-256": signWebhook(notJson, secret) })).status,
    ).toBe(400);
  });
});
