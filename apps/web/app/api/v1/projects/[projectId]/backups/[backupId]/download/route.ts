import { Readable } from "node:stream";
import { backupDownload, backupStorage, clientIp } from "@gantry/core";
import { downloadBackup } from "@/lib/api/endpoints/backups";
import { parseRange } from "@/lib/backups/range";
import { rawRoute } from "@/lib/logs/raw-route";

export const dynamic = "force-dynamic";

export const GET = rawRoute(downloadBackup, async ({ actor, params, request }) => {
  const range = parseRange(request.headers.get("range"));
  // A resumed download (a range not starting at 0) is the same download: audited once.
  const download = await backupDownload(actor, params.projectId, params.backupId, {
    ip: clientIp(request.headers),
    audit: !range || range.start === 0,
  });
  const etag = download.sha256 ? `"${download.sha256}"` : undefined;
  const ifRange = request.headers.get("if-range");
  const useRange = range && (!ifRange || ifRange === etag);
  const headers: Record<string, string> = {
    "content-type": "application/zip",
    "content-disposition": `attachment; filename="${download.filename}"`,
    "accept-ranges": "bytes",
    "cache-control": "no-store",
    ...(etag ? { etag } : {}),
  };
  if (useRange) {
    const start = range.start ?? Math.max(download.size - (range.suffix ?? 0), 0);
    const end = Math.min(range.end ?? download.size - 1, download.size - 1);
    if (start >= download.size || end < start) {
      return new Response(null, {
        status: 416,
        headers: { ...headers, "content-range": `bytes */${download.size}` },
      });
    }
    const body = await backupStorage().get(download.key, { start, end });
    return new Response(Readable.toWeb(body) as ReadableStream, {
      status: 206,
      headers: {
        ...headers,
        "content-length": String(end - start + 1),
        "content-range": `bytes ${start}-${end}/${download.size}`,
      },
    });
  }
  const body = await backupStorage().get(download.key);
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: { ...headers, "content-length": String(download.size) },
  });
});
