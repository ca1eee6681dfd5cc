// A server-sent events reader for the log streams: fed text as it arrives, it hands back each
// event once its blank line has come, following the EventSource rules (the last id carries over
// to later events; `retry:` sets the reconnection delay).

export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private sawData = false;
  private pendingId: string | null | undefined;
  /** The id of the last complete event: what a reconnection sends as Last-Event-ID. */
  lastEventId: string | null = null;
  /** The delay the server asked for before reconnecting, in milliseconds. */
  retryMs: number | undefined;

  push(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    for (;;) {
      const end = /\r\n|\r|\n/.exec(this.buffer);
      if (!end) break;
      // A lone CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (end[0] === "\r" && end.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      this.data.push(value);
      this.sawData = true;
    } else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.pendingId = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    // An id counts once its event is complete: a connection dropped mid-event resumes before it.
    if (this.pendingId !== undefined) this.lastEventId = this.pendingId;
    this.pendingId = undefined;
    const event = this.sawData
      ? { event: this.event || "message", id: this.lastEventId, data: this.data.join("\n") }
      : undefined;
    this.data = [];
    this.event = "";
    this.sawData = false;
    return event;
  }
}
