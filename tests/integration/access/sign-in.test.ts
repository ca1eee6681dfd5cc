import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { useScratchDatabase } from "./setup";

let db: ScratchDatabase;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;

const base = "http://127.0.0.1:3000/api/auth";
const signIn = (email: string, password: string, ip = "203.0.113.7") =>
  core.handleAuthRequest(
    new Request(`${base}/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip, origin: "http://127.0.0.1:3000" },
      body: JSON.stringify({ email, password }),
    }),
  );
const cookieOf = (response: Response) => response.headers.get("set-cookie")?.split(";")[0] ?? "";

beforeAll(async () => {
  // Caddy in front: the address it appends to X-Forwarded-For names the client.
  process.env.TRUSTED_PROXIES = "10.0.0.0/8";
  db = await useScratchDatabase();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  await core.createUserWithPassword({
    email: "ada@example.com",
    name: "Ada",
    password: "correct horse battery",
  });
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("sign-in", () => {
  it("signs in with the right password into an httpOnly, SameSite=Lax session cookie", async () => {
    const response = await signIn("ada@example.com", "correct horse battery");
    expect(response.status).toBe(200);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/gantry\.session_token=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const principal = await core.resolvePrincipal(new Headers({ cookie: cookieOf(response) }));
    expect(principal?.email).toBe("ada@example.com");
    const stored = await prisma().account.findFirst({ where: { providerId: "credential" } });
    expect(stored?.password).toBeTruthy();
    expect(stored?.password).not.toContain("correct horse");
  });

  it("rejects a forged or expired session cookie", async () => {
    const good = cookieOf(await signIn("ada@example.com", "correct horse battery"));
    const [name, value] = good.split("=") as [string, string];
    const forged = `${name}=${value.slice(0, -4)}AAAA`;
    expect(await core.resolvePrincipal(new Headers({ cookie: forged }))).toBeNull();
    expect(await core.resolvePrincipal(new Headers({ cookie: `${name}=made-up.signature` }))).toBeNull();
    await prisma().session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await core.resolvePrincipal(new Headers({ cookie: good }))).toBeNull();
  });

  it("locks a burst of wrong passwords with a clear 429, per email and address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await signIn("ada@example.com", `wrong-${i}`, "198.51.100.1")).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[4]).toBe(429);
    // Locked: even the right password is refused from that address, with the reason given.
    const locked = await signIn("ada@example.com", "correct horse battery", "198.51.100.1");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await locked.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/Too many wrong passwords.*try again in \d+ minute/);
    // Another address is not locked out of the account.
    expect((await signIn("ada@example.com", "correct horse battery", "198.51.100.2")).status).toBe(200);
    const audit = await prisma().auditEvent.findMany({ where: { action: { startsWith: "auth.sign_in" } } });
    expect(audit.some((e) => e.action === "auth.sign_in_locked")).toBe(true);
    expect(audit.some((e) => e.action === "auth.sign_in_failed")).toBe(true);
  });

  it("signs out: the session no longer resolves", async () => {
    const cookie = cookieOf(await signIn("ada@example.com", "correct horse battery", "192.0.2.9"));
    const out = await core.handleAuthRequest(
      new Request(`${base}/sign-out`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", origin: "http://127.0.0.1:3000" },
        body: "{}",
      }),
    );
    expect(out.status).toBe(200);
    expect(await core.resolvePrincipal(new Headers({ cookie }))).toBeNull();
  });

  it("creates the first administrator once", async () => {
    const first = await core.ensureFirstAdmin();
    expect(first.created).toBe(true);
    if (first.created)
      expect(first.generatedPassword === null || first.generatedPassword.length >= 16).toBe(true);
    expect(await core.ensureFirstAdmin()).toEqual({ created: false, reason: "admin exists" });
    expect(await prisma().user.count({ where: { isAdmin: true } })).toBe(1);
  });
});
