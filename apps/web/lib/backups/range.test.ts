import { describe, expect, it } from "vitest";
import { parseRange } from "./range";

describe("parseRange", () => {
  it("reads one byte range in its three forms", () => {
    expect(parseRange("bytes=0-99")).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=100-")).toEqual({ start: 100, end: undefined });
    expect(parseRange("bytes=-500")).toEqual({ suffix: 500 });
  });

  it("ignores what it does not serve: no header, other units, several ranges, nonsense", () => {
    for (const header of [null, "", "items=0-1", "bytes=0-1,5-9", "bytes=-", "bytes=a-b", "bytes 0-1"])
      expect(parseRange(header)).toBeUndefined();
  });
});
