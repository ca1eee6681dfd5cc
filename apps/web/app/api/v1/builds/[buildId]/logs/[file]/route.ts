import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { AppError, buildLogPath } from "@gantry/core";
import { downloadBuildLog } from "@/lib/api/endpoints/builds";
import { rawRoute } from "@/lib/logs/raw-route";

export const dynamic = "force-dynamic";

export const GET = rawRoute(downloadBuildLog, async ({ actor, params }) => {
  // The path comes from the allow-listed name and the build's id, never from the request.
  const path = await buildLogPath(actor, params.buildId, params.file);
  const size = await stat(path).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) throw new AppError("not_found", `${params.file} has not been written`);
  const body = Readable.toWeb(createReadStream(path, { end: Math.max(size - 1, 0) })) as ReadableStream;
  return new Response(size === 0 ? "" : body, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-length": String(size),
      "content-disposition": `attachment; filename="${params.buildId}-${params.file}"`,
      "cache-control": "no-store",
    },
  });
});
