import { AppError, clientIp, importBackup as importArchive } from "@gantry/core";
import { importBackup, importQuery } from "@/lib/api/endpoints/backups";
import { rawRoute } from "@/lib/logs/raw-route";

export const dynamic = "force-dynamic";

// The archive is the raw request body, streamed to disk: never read into memory.
export const POST = rawRoute(importBackup, async ({ actor, params, request }) => {
  const query = importQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success)
    throw new AppError(
      "invalid_input",
      `Invalid request: query.${query.error.issues[0]?.path.join(".")}: ${query.error.issues[0]?.message}`,
    );
  if (!request.body)
    throw new AppError("invalid_input", "the request has no body: send the archive as the body");
  const declared = request.headers.get("content-length");
  const queued = await importArchive(
    actor,
    params.projectId,
    params.branchId,
    {
      body: request.body,
      filename: query.data.filename,
      declaredBytes: declared ? Number(declared) : undefined,
      neutralize: query.data.neutralize === undefined ? undefined : query.data.neutralize === "true",
    },
    { ip: clientIp(request.headers) },
  );
  return Response.json(queued, { status: 202 });
});
