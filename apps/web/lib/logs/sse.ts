/**
 * Server-sent events framing for log tails. The event id is the byte offset in the file just
 * after the lines the event carries, so a client reconnecting with `Last-Event-ID` resumes
 * exactly where it stopped.
 */

/** One event: each line of `data` becomes its own `data:` field (SSE joins them with "\n"). */
export function sseEvent(event: { id?: string | number; event?: string; data: string }): string {
  let frame = "";
  if (event.event) frame += `event: ${event.event}\n`;
  if (event.id !== undefined) frame += `id: ${event.id}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** A comment line: ignored by EventSource, keeps proxies from closing an idle stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/\n/g, " ")}\n\n`;
}

/** The offset to resume from: a non-negative integer Last-Event-ID, else the start. */
export function resumeOffset(lastEventId: string | null | undefined): number {
  if (!lastEventId || !/^\d{1,15}$/.test(lastEventId.trim())) return 0;
  return Number(lastEventId.trim());
}

/**
 * Splits freshly read bytes into complete lines and the bytes of an unfinished last line.
 * `consumed` is how many bytes the complete lines took (newlines included), so the caller moves
 * its offset by exactly that and reads the unfinished line again once it ends.
 */
export function completeLines(chunk: Buffer): { lines: string[]; consumed: number } {
  const end = chunk.lastIndexOf(0x0a);
  if (end < 0) return { lines: [], consumed: 0 };
  const text = chunk.subarray(0, end).toString("utf8");
  return { lines: text.split("\n").map((l) => l.replace(/\r$/, "")), consumed: end + 1 };
}

export interface ParsedEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Parses an SSE stream's text into events (for tests and non-browser clients); returns the
 * events whose blank-line terminator has arrived and the text left over.
 */
export function parseSse(text: string): { events: ParsedEvent[]; rest: string } {
  const events: ParsedEvent[] = [];
  const blocks = text.split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let id: string | null = null;
    let event = "message";
    const data: string[] = [];
    let any = false;
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else continue;
      any = true;
    }
    if (any) events.push({ id, event, data: data.join("\n") });
  }
  return { events, rest };
}

/** Every line of `chunk`, the last one whether terminated or not (the end of a finished file). */
export function allLines(chunk: Buffer): { lines: string[]; consumed: number } {
  const text = chunk.toString("utf8").replace(/\r?\n$/, "");
  return { lines: text.split("\n").map((l) => l.replace(/\r$/, "")), consumed: chunk.length };
}
