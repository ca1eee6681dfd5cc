import { Readable } from "node:stream";
import { AppError, buildLogPath, openLogFile } from "@gantry/core";
import { downloadBuildLog } from "@/lib/api/endpoints/builds";
import { rawRoute } from "@/lib/logs/raw-route";

export const dynamic = "force-dynamic";

export const GET = rawRoute(downloadBuildLog, async ({ actor, params }) => {
  // The path comes from the allow-listed name and the build's id, never from the request.
  const path = await buildLogPath(actor, params.buildId, params.file);
  // The containers write this folder: a symlink or a FIFO planted there is not served.
  const log = await openLogFile(path);
  if (!log) throw new AppError("not_found", `${params.file} has not been written`);
  const size = log.stats.size;
  if (size === 0) await log.handle.close();
  const body =
    size === 0
      ? null
      : (Readable.toWeb(log.handle.createReadStream({ start: 0, end: size - 1 })) as ReadableStream);
  return new Response(body ?? "", {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-length": String(size),
      "content-disposition": `attachment; filename="${params.buildId}-${params.file}"`,
      "cache-control": "no-store",
    },
  });
});
