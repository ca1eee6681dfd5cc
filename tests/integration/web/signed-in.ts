// Shared frame of the web hardening suites: a scratch database, the dashboard's origin, and
// people signed in through better-auth the way the login form does it.
import { randomBytes } from "node:crypto";
import { resetConfigForTests } from "@gantry/config";
import { cloneTestDatabase, type ScratchDatabase } from "../../support/databases";

export const dashboard = "http://127.0.0.1:3000";

export async function useWebDatabase(): Promise<ScratchDatabase> {
  const db = await cloneTestDatabase("web");
  process.env.DATABASE_URL = db.url;
  process.env.PUBLIC_URL = dashboard;
  resetConfigForTests();
  return db;
}

/** Jobs the handlers enqueue go to a Redis prefix of the calling file's own. */
export function usePrivateQueues(): void {
  process.env.REDIS_PREFIX = `t-web-${randomBytes(3).toString("hex")}`;
  resetConfigForTests();
}

export interface Person {
  id: string;
  email: string;
  password: string;
  cookie: string;
}

/** Creates a person and signs them in: the answer's session cookie, ready for a Cookie header. */
export async function signedInPerson(name: string, options: { isAdmin?: boolean } = {}): Promise<Person> {
  const core = await import("@gantry/core");
  const email = `${name.toLowerCase()}@example.com`;
  const password = `pw-${name}-secret-words`;
  const user = await core.createUserWithPassword({
    email,
    name,
    password,
    isAdmin: options.isAdmin ?? false,
  });
  const response = await core.handleAuthRequest(
    new Request(`${dashboard}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: dashboard },
      body: JSON.stringify({ email, password }),
    }),
  );
  if (response.status !== 200) throw new Error(`sign-in of ${email} answered ${response.status}`);
  const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
  return { id: user.id, email, password, cookie };
}
