// One-click Connect and "Connect as": the Connect right of the build's stage, then a token the
// build's gantry_connect addon accepts once, within two minutes, to log the browser in as the
// database's administrator or as a chosen user (no password read, shown or changed). The
// browser is sent to the build's own URL with it: builds are reached through the proxy only.
import { prisma } from "@gantry/db";
import { CONNECT_PATH, signConnectToken } from "@gantry/odoo";
import { z } from "zod";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { isServing } from "../builds/serving";
import { AppError } from "../errors";
import { readBodyCapped } from "../request-body";
import { buildRouteDial } from "../routing";
import { connectKeyOf } from "./key";

const USERS_TIMEOUT_MS = 10_000;
const USERS_MAX_BYTES = 512 * 1024;

async function connectTarget(actor: Actor, buildId: string) {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: {
      id: true,
      projectId: true,
      stage: true,
      url: true,
      httpPort: true,
      databaseName: true,
      servingAt: true,
      cleanedAt: true,
      sleepingSince: true,
    },
  });
  if (!build) throw new AppError("not_found", "build not found");
  assertCan(actor, "connect", { projectId: build.projectId, stage: build.stage });
  if (!isServing(build) || !build.url || !build.databaseName) {
    throw new AppError("conflict", "the build does not serve: there is nothing to connect to");
  }
  return { ...build, url: build.url, databaseName: build.databaseName };
}

/** Where to send the browser: the build's URL with a login token, audited. */
export async function connectToBuild(
  actor: Actor,
  buildId: string,
  input: { userId?: number },
): Promise<{ url: string }> {
  const build = await connectTarget(actor, buildId);
  const user = input.userId ?? "admin";
  const token = signConnectToken(connectKeyOf(build.id), { db: build.databaseName, act: "login", user });
  await recordAudit({
    action: "build.connected",
    projectId: build.projectId,
    userId: actor.userId,
    target: build.id,
    data: { odooUser: user, stage: build.stage },
  });
  const url = new URL(CONNECT_PATH, build.url);
  url.searchParams.set("token", token);
  return { url: url.toString() };
}

// What the build answers is the build's (project code runs there): bounded and checked.
const usersAnswer = z.object({
  users: z
    .array(
      z.object({
        id: z.number().int().positive(),
        login: z.string().max(256),
        name: z.string().max(256),
      }),
    )
    .max(500),
});
export type OdooUser = z.infer<typeof usersAnswer>["users"][number];

/**
 * The build's active internal users, for "Connect as": read by the build's Odoo through its own
 * database connection (the build's role), asked with a single-use token where its route sends
 * requests: its port on this machine, or on a cluster the node its task runs on now (the route
 * follows a task the cluster moves). Its local port when the route goes elsewhere.
 */
export async function buildOdooUsers(actor: Actor, buildId: string): Promise<OdooUser[]> {
  const build = await connectTarget(actor, buildId);
  if (build.sleepingSince || !build.httpPort) {
    throw new AppError("conflict", "the build is asleep: Connect starts it, then its users can be listed");
  }
  const token = signConnectToken(connectKeyOf(build.id), { db: build.databaseName, act: "users" });
  const dial = (await buildRouteDial(build.id)) ?? `127.0.0.1:${build.httpPort}`;
  const url = `http://${dial}/gantry/users?token=${encodeURIComponent(token)}`;
  let text: string;
  try {
    const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(USERS_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // A build's answer is never trusted to be small.
    text = (await readBodyCapped(response, USERS_MAX_BYTES)).toString("utf8");
  } catch (error) {
    throw new AppError("unavailable", `the build did not list its users: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  const parsed = usersAnswer.safeParse(data);
  if (!parsed.success) throw new AppError("unavailable", "the build answered something else than its users");
  return parsed.data.users;
}
