import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

describe("SseParser", () => {
  it("hands back events once their blank line arrives, across chunk boundaries", () => {
    const parser = new SseParser();
    expect(parser.push("retry: 2000\n\nid: 12\nda")).toEqual([]);
    expect(parser.lastEventId).toBeNull();
    expect(parser.retryMs).toBe(2000);
    expect(parser.push("ta: one\ndata: two\n")).toEqual([]);
    expect(parser.push("\n: heartbeat\n\nevent: end\ndata: \n\n")).toEqual([
      { event: "message", id: "12", data: "one\ntwo" },
      { event: "end", id: "12", data: "" },
    ]);
    expect(parser.lastEventId).toBe("12");
  });

  it("counts an id only once its event is complete, so a dropped connection resumes before it", () => {
    const parser = new SseParser();
    parser.push("id: 5\ndata: a\n\nid: 9\ndata: b\n");
    expect(parser.lastEventId).toBe("5");
  });

  it("reads CRLF and CR line ends, even a CRLF split between chunks", () => {
    const parser = new SseParser();
    expect(parser.push("data: x\r")).toEqual([]);
    expect(parser.push("\n\r\ndata: y\r\r\n")).toEqual([
      { event: "message", id: null, data: "x" },
      { event: "message", id: null, data: "y" },
    ]);
  });
});
