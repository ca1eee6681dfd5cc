import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { AppError, upgradeLogPath } from "@gantry/core";
import { downloadUpgradeLog } from "@/lib/api/endpoints/upgrades";
import { rawRoute } from "@/lib/logs/raw-route";

export const dynamic = "force-dynamic";

export const GET = rawRoute(downloadUpgradeLog, async ({ actor, params }) => {
  // The path comes from the attempt's id after the access check, never from the request.
  const path = await upgradeLogPath(actor, params.attemptId);
  const size = await stat(path).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) throw new AppError("not_found", "upgrade.log has not been written yet");
  const body = Readable.toWeb(createReadStream(path, { end: Math.max(size - 1, 0) })) as ReadableStream;
  return new Response(size === 0 ? "" : body, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-length": String(size),
      "content-disposition": `attachment; filename="${params.attemptId}-upgrade.log"`,
      "cache-control": "no-store",
    },
  });
});
