import { describe, expect, it } from "vitest";
import { completeLines, parseSse, resumeOffset, sseComment, sseEvent } from "./sse";

describe("sseEvent", () => {
  it("frames one data field per line, with id and event name", () => {
    expect(sseEvent({ id: 42, data: "a\nb" })).toBe("id: 42\ndata: a\ndata: b\n\n");
    expect(sseEvent({ event: "end", id: 7, data: "" })).toBe("event: end\nid: 7\ndata: \n\n");
  });

  it("never lets a carriage return end a field early", () => {
    const frame = sseEvent({ data: "one\r\ntwo\rthree" });
    expect(frame).toBe("data: one\ndata: two\ndata: three\n\n");
  });

  it("round-trips through the parser, comments ignored", () => {
    const text = `${sseComment("heartbeat")}${sseEvent({ id: 10, data: "x\ny" })}${sseEvent({ event: "end", id: 10, data: "" })}id: 11\ndata: part`;
    const { events, rest } = parseSse(text);
    expect(events).toEqual([
      { id: "10", event: "message", data: "x\ny" },
      { id: "10", event: "end", data: "" },
    ]);
    expect(rest).toBe("id: 11\ndata: part");
  });

  it("keeps a comment on one line", () => {
    expect(sseComment("a\nb")).toBe(": a b\n\n");
  });
});

describe("resumeOffset", () => {
  it("accepts only a non-negative integer Last-Event-ID", () => {
    expect(resumeOffset("1234")).toBe(1234);
    expect(resumeOffset(" 5 ")).toBe(5);
    expect(resumeOffset(null)).toBe(0);
    expect(resumeOffset("")).toBe(0);
    expect(resumeOffset("-3")).toBe(0);
    expect(resumeOffset("12abc")).toBe(0);
    expect(resumeOffset("1e9")).toBe(0);
    expect(resumeOffset("9".repeat(40))).toBe(0);
  });
});

describe("completeLines", () => {
  it("holds back an unfinished last line and counts bytes, not characters", () => {
    const chunk = Buffer.from("héllo\nworld\r\npart", "utf8");
    const { lines, consumed } = completeLines(chunk);
    expect(lines).toEqual(["héllo", "world"]);
    expect(consumed).toBe(Buffer.byteLength("héllo\nworld\r\n"));
    expect(chunk.subarray(consumed).toString()).toBe("part");
  });

  it("returns nothing before the first newline", () => {
    expect(completeLines(Buffer.from("no newline yet"))).toEqual({ lines: [], consumed: 0 });
    expect(completeLines(Buffer.from("\n"))).toEqual({ lines: [""], consumed: 1 });
  });
});
