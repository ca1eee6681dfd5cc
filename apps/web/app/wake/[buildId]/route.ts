// A sleeping build's address, as Caddy hands it over (/wake/<buildId>, the original Host kept
// and the original URI in a header): asks a worker to wake the build and shows the "starting"
// page, which reloads the original URL until the build answers there. No Docker here: the
// worker acts.
// Relative imports only, so the integration suite can serve this handler as is.
import { createLogger, isAppError, originalUriHeader, requestWake } from "@gantry/core";
import { originalUriOf, wakePageHtml } from "../../../lib/wake/page";

const log = createLogger("web");

export const dynamic = "force-dynamic";

interface Params {
  params: Promise<{ buildId: string }>;
}

function html(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

async function wake(request: Request, { params }: Params): Promise<Response> {
  const { buildId } = await params;
  const host = request.headers.get("host") ?? "";
  try {
    const state = await requestWake(buildId, host);
    if (state.state === "awake") {
      // Awake already (the route switched while this request was on its way): same URL again.
      const uri = originalUriOf(request.headers.get(originalUriHeader));
      return new Response(null, { status: 307, headers: { location: `${state.url}${uri}` } });
    }
    if (state.state === "failed") {
      return html(503, wakePageHtml({ kind: "failed", host, reason: state.reason }));
    }
    return html(503, wakePageHtml({ kind: "starting", host }), { "retry-after": "2" });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      return html(404, wakePageHtml({ kind: "missing", message: error.message }));
    }
    log.error({ err: error, buildId }, "waking a build failed");
    return html(
      503,
      wakePageHtml({ kind: "failed", host, reason: "Gantry could not ask a worker to start it." }),
    );
  }
}

export const GET = wake;
export const HEAD = wake;
export const POST = wake;
export const PUT = wake;
export const PATCH = wake;
export const DELETE = wake;
