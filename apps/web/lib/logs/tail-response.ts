// A log file followed as a server-sent events response: resumes at the client's
// Last-Event-ID and ends once `finished` says the writer is done (a build, an upgrade).
import { resumeOffset } from "./sse";
import { tailStream } from "./tail";

export function tailResponse(input: {
  path: string;
  request: Request;
  finished: () => Promise<boolean>;
}): Response {
  const body = tailStream({
    path: input.path,
    from: resumeOffset(input.request.headers.get("last-event-id")),
    signal: input.request.signal,
    finished: input.finished,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}

/** A `finished` check that asks `ended` at most every `everyMs` while the file is quiet. */
export function throttledEnd(ended: () => Promise<boolean>, everyMs = 1500): () => Promise<boolean> {
  let checkedAt = 0;
  let done = false;
  return async () => {
    if (done || Date.now() - checkedAt < everyMs) return done;
    checkedAt = Date.now();
    done = await ended();
    return done;
  };
}
