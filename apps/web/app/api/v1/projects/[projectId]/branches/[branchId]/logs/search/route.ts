import { AppError, branchLogSources } from "@gantry/core";
import { searchBranchLogs, searchBranchLogsQuery } from "@/lib/api/endpoints/builds";
import { rawRoute } from "@/lib/logs/raw-route";
import { searchLogs, searchStream } from "@/lib/logs/search";

export const dynamic = "force-dynamic";

export const GET = rawRoute(searchBranchLogs, async ({ actor, params, request }) => {
  const url = new URL(request.url);
  const parsed = searchBranchLogsQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("invalid_input", `Invalid request: query.${issue.path.join(".")}: ${issue.message}`);
  }
  const sources = await branchLogSources(actor, params.projectId, params.branchId, {
    take: parsed.data.builds,
    file: parsed.data.file,
  });
  const files = sources.flatMap((source) =>
    source.files.map((f) => ({ buildId: source.buildId, commitSha: source.commitSha, ...f })),
  );
  const body = searchStream((signal) => searchLogs(files, parsed.data.q, undefined, signal));
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
});
