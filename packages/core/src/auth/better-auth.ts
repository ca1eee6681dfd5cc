import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { acceptInvitationsFor } from "../projects/collaborators";
import { authSecret } from "./secret";

function build() {
  const cfg = config();
  const github =
    cfg.GITHUB_CLIENT_ID && cfg.GITHUB_CLIENT_SECRET
      ? {
          github: {
            clientId: cfg.GITHUB_CLIENT_ID,
            clientSecret: cfg.GITHUB_CLIENT_SECRET,
            // The login is how collaborators are invited "by GitHub login".
            mapProfileToUser: (profile: { login: string }) => ({ githubLogin: profile.login }),
          },
        }
      : {};
  return betterAuth({
    appName: "Gantry",
    baseURL: cfg.PUBLIC_URL,
    basePath: "/api/auth",
    secret: authSecret(),
    database: prismaAdapter(prisma(), { provider: "postgresql" }),
    // Accounts are created by an administrator (first start, invitations), never by sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    socialProviders: github,
    user: {
      additionalFields: {
        isAdmin: { type: "boolean", required: false, defaultValue: false, input: false },
        githubLogin: { type: "string", required: false, input: false },
      },
    },
    session: { expiresIn: cfg.SESSION_MAX_AGE_DAYS * 86_400, updateAge: 86_400 },
    advanced: {
      cookiePrefix: "gantry",
      useSecureCookies: cfg.PUBLIC_URL.startsWith("https:"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
    },
    // Wrong-password bursts are limited per email and address in lockout.ts; this IP-wide limit
    // only guards the other endpoints against floods in production.
    rateLimit: { enabled: cfg.NODE_ENV === "production" && !cfg.GANTRY_TEST_MODE, window: 60, max: 300 },
    trustedOrigins: [cfg.PUBLIC_URL],
    telemetry: { enabled: false },
    databaseHooks: {
      user: {
        create: {
          // An OAuth sign-in creates an account only for someone invited (or already known).
          before: async (user) => {
            const login = (user as { githubLogin?: string | null }).githubLogin ?? null;
            const invited = await prisma().invitation.findFirst({
              where: {
                acceptedAt: null,
                expiresAt: { gt: new Date() },
                OR: [{ email: user.email.toLowerCase() }, ...(login ? [{ githubLogin: login }] : [])],
              },
            });
            return invited ? { data: user } : false;
          },
          after: async (user) => {
            await acceptInvitationsFor(user as { id: string; email: string; githubLogin?: string | null });
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof build>;

const globalForAuth = globalThis as unknown as { gantryAuth?: Auth };

/** The better-auth instance, built once per process from the configuration. */
export function auth(): Auth {
  globalForAuth.gantryAuth ??= build();
  return globalForAuth.gantryAuth;
}
