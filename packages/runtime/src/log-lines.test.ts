import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { collectLines, DemuxLines, RawLines } from "./log-lines";

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("DemuxLines", () => {
  it("tags lines by stream and joins lines split across frames and chunks", async () => {
    const bytes = Buffer.concat([frame(1, "hello wo"), frame(2, "oops\n"), frame(1, "rld\nsecond\nlast")]);
    // Cut the bytes at awkward places, including inside a header.
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 12), bytes.subarray(12)];
    const lines = await collectLines(Readable.from(chunks).pipe(new DemuxLines()));
    expect(lines).toEqual([
      { stream: "stderr", line: "oops" },
      { stream: "stdout", line: "hello world" },
      { stream: "stdout", line: "second" },
      { stream: "stdout", line: "last" },
    ]);
  });

  it("keeps multi-byte characters split between frames", async () => {
    const euro = Buffer.from("€\n");
    const a = frame(1, "");
    const first = Buffer.concat([a.subarray(0, 4), Buffer.from([0, 0, 0, 1]), euro.subarray(0, 1)]);
    const second = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 3]), euro.subarray(1)]);
    const lines = await collectLines(Readable.from([first, second]).pipe(new DemuxLines()));
    expect(lines).toEqual([{ stream: "stdout", line: "€" }]);
  });
});

describe("RawLines", () => {
  it("treats everything as stdout and drops carriage returns", async () => {
    const lines = await collectLines(
      Readable.from([Buffer.from("a\r\nb"), Buffer.from("c\n")]).pipe(new RawLines()),
    );
    expect(lines).toEqual([
      { stream: "stdout", line: "a" },
      { stream: "stdout", line: "bc" },
    ]);
  });
});
