// Phase "serve" of a build: a free port, the serving container with the stage's settings
// (shared/serve.ts), the route through the proxy, and the row saying where the build answers.
import { bestEffort } from "@gantry/config";
import {
  applyBaseUrl,
  buildContainerName,
  buildHost,
  buildUrl,
  endPhase,
  followBuild,
  issueMailLogin,
  routeBuild,
} from "@gantry/core";
import { prisma } from "@gantry/db";
import { pickPort, startServing } from "../shared/serve";
import { recordServingNode } from "../shared/serving-node";
import { odooLogMount } from "../shared/workspace";
import { type BuildContext, odooMounts } from "./context";
import type { PreparedDatabase, ServeSettings } from "./stages/types";

/**
 * Phase "serve" of any stage: a port, the serving container with the stage's settings, the
 * route through the proxy, the row saying where it answers. Returns the build's URL.
 */
export async function servePhase(
  ctx: BuildContext,
  prepared: PreparedDatabase,
  settings: ServeSettings,
  slug: string,
): Promise<string> {
  const host = buildHost(slug);
  const url = buildUrl(host);
  const port = await pickPort();
  const name = buildContainerName(ctx.id, "serve");
  await prisma().build.update({ where: { id: ctx.id }, data: { httpPort: port, containerName: name } });
  const runtime = ctx.job.services.runtime;
  await startServing({
    runtime,
    name,
    image: ctx.image.image,
    series: ctx.series,
    database: prepared.database,
    connection: prepared.connection,
    addonsPath: ctx.code.addonsPath,
    mounts: [
      ...odooMounts(ctx, prepared.dataDir),
      // The one file, not the folder: the folder holds Gantry's own logs and notes.
      await odooLogMount(ctx.ws.logs),
    ],
    port,
    workers: settings.workers,
    // A new login at each serve: the catcher attributes each mail to the build that sent it.
    mailLogin: settings.withMailCatcher ? await issueMailLogin(ctx.id) : null,
    memoryMb: settings.memoryMb,
    cpus: settings.cpus,
    owner: ctx.owner,
    pool: await ctx.pool(),
    // A fork's code gets no egress, whatever the project allows its development builds.
    stage: ctx.fork ? null : ctx.build.stage,
    signal: ctx.abort,
  });
  const upstream = await runtime.publishedAddress(name, port);
  await routeBuild(ctx.id, host, upstream);
  await recordServingNode(runtime, ctx.id, name);
  await prisma().build.update({ where: { id: ctx.id }, data: { servingAt: new Date(), url } });
  // Now that it serves, the branch's custom domains come to it, and Odoo learns its address.
  await followBuild(ctx.id);
  await bestEffort("writing web.base.url", () => applyBaseUrl(ctx.build.branchId), {
    fields: { buildId: ctx.id },
  });
  await endPhase(ctx.id, "serve", "DONE", {
    message: `http://${upstream} (${settings.workers} worker${settings.workers === 1 ? "" : "s"}${settings.withMailCatcher ? ", mail caught" : ""})`,
    output: { port, upstream, workers: settings.workers, mailCatcher: settings.withMailCatcher },
  });
  return url;
}
