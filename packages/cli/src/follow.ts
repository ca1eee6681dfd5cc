// Follows a build's log through the API's event stream until the server says the log is
// complete (`event: end`), reconnecting after a dropped connection with Last-Event-ID, the
// byte offset already shown, so nothing is printed twice or skipped.
import type { ApiClient } from "./client.js";
import { errorOf } from "./client.js";
import { CliError, exitCodes } from "./exit.js";
import { type SseEvent, SseParser } from "./sse.js";

export interface FollowHandlers {
  /** The lines of one event (the file's bytes up to offset `id`). */
  lines(text: string, id: string | null): void;
  /** The file was truncated or replaced: what follows starts again from its beginning. */
  reset(): void;
}

/** Consecutive failed connections tolerated before giving up. */
const maxFailures = 10;
const maxDelayMs = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads one connection; true once the stream said `end`. */
async function readOnce(response: Response, parser: SseParser, handlers: FollowHandlers): Promise<boolean> {
  const decoder = new TextDecoder();
  const handle = (event: SseEvent): boolean => {
    if (event.event === "end") return true;
    if (event.event === "reset") handlers.reset();
    else if (event.event === "message") handlers.lines(event.data, event.id);
    return false;
  };
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
      if (handle(event)) return true;
    }
  }
  // A connection that drops mid-event leaves that event unfinished: it is read again from
  // the last complete event's offset.
  return false;
}

export async function followStream(client: ApiClient, path: string, handlers: FollowHandlers): Promise<void> {
  let lastEventId: string | null = null;
  let retryMs = 2000;
  let failures = 0;
  for (;;) {
    const parser = new SseParser();
    parser.lastEventId = lastEventId;
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (parser.lastEventId !== null) headers["last-event-id"] = parser.lastEventId;
    let ended = false;
    try {
      const response = await client.send(path, { headers });
      // An error answer (gone, forbidden) is final: reconnecting would get the same.
      if (!response.ok) throw await errorOf(response);
      ended = await readOnce(response, parser, handlers);
      failures = 0;
    } catch (error) {
      const final = error instanceof CliError && error.exitCode !== exitCodes.api;
      failures += 1;
      if (final || failures >= maxFailures) throw error;
    }
    if (ended) return;
    lastEventId = parser.lastEventId;
    retryMs = parser.retryMs ?? retryMs;
    await sleep(Math.min(retryMs * Math.max(failures, 1), maxDelayMs));
  }
}
