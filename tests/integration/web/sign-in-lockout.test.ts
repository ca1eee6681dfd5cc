import { resetConfigForTests } from "@gantry/config";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;

const email = "grace@example.com";
const password = "correct horse battery";
const signInUrl = `${dashboard}/api/auth/sign-in/email`;

const asJson = (pw: string, headers: Record<string, string> = {}) =>
  core.handleAuthRequest(
    new Request(signInUrl, {
      method: "POST",
      headers: { "content-type": "application/json", origin: dashboard, ...headers },
      body: JSON.stringify({ email, password: pw }),
    }),
  );
const asForm = (pw: string, headers: Record<string, string> = {}) =>
  core.handleAuthRequest(
    new Request(signInUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: dashboard, ...headers },
      body: new URLSearchParams({ email, password: pw }).toString(),
    }),
  );

function withEnv(values: Record<string, string>): void {
  Object.assign(process.env, values);
  resetConfigForTests();
}

beforeAll(async () => {
  db = await useWebDatabase();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  await core.createUserWithPassword({ email, name: "Grace", password });
});
afterEach(async () => {
  delete process.env.TRUSTED_PROXIES;
  delete process.env.SIGN_IN_ACCOUNT_MAX_FAILURES;
  resetConfigForTests();
  await prisma().signInAttempt.deleteMany({});
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("sign-in lock-out", () => {
  it("counts form-encoded attempts like JSON ones", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await asForm(`wrong-${i}`)).status);
    expect(statuses[4]).toBe(429);
    expect((await asForm(password)).status).toBe(429);
    expect((await asJson(password)).status).toBe(429);
  });

  it("never hands on an attempt whose email it cannot read", async () => {
    const response = await core.handleAuthRequest(
      new Request(signInUrl, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: dashboard },
        body: `email=${email}&password=wrong`,
      }),
    );
    expect(response.status).toBe(400);
  });

  it("ignores X-Forwarded-For unless a trusted proxy wrote it", async () => {
    // No trusted proxies: a new forwarded address per attempt changes nothing.
    for (let i = 0; i < 4; i++)
      expect((await asJson(`wrong-${i}`, { "x-forwarded-for": `198.51.100.${i}` })).status).toBe(401);
    expect((await asJson("wrong-4", { "x-forwarded-for": "198.51.100.99" })).status).toBe(429);
  });

  it("takes the client from the proxy's end of X-Forwarded-For", async () => {
    withEnv({ TRUSTED_PROXIES: "10.0.0.0/8" });
    // The client writes the first addresses, the proxies append theirs: only the last one that
    // is not a trusted proxy counts.
    const rotating = (i: number) => ({ "x-forwarded-for": `192.0.2.${i}, 203.0.113.5, 10.1.2.3` });
    for (let i = 0; i < 4; i++) expect((await asJson(`wrong-${i}`, rotating(i))).status).toBe(401);
    expect((await asJson("wrong-4", rotating(4))).status).toBe(429);
    // Another client of the same proxy is not locked out.
    expect((await asJson(password, { "x-forwarded-for": "203.0.113.6, 10.1.2.3" })).status).toBe(200);
  });

  it("locks the account after too many failures from all addresses together", async () => {
    withEnv({ TRUSTED_PROXIES: "10.0.0.1", SIGN_IN_ACCOUNT_MAX_FAILURES: "8" });
    const from = (i: number) => ({ "x-forwarded-for": `198.51.100.${i}` });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await asJson("wrong", from(i))).status);
    expect(statuses.slice(0, 7)).toEqual(Array(7).fill(401));
    expect(statuses[7]).toBe(429);
    const locked = await asJson(password, from(50));
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { error: { message: string } }).error.message).toMatch(
      /Too many wrong passwords for this account\. Sign-in is locked/,
    );
  });
});
