import { describe, expect, it } from "vitest";
import { BackupError } from "../errors";
import { classifyEntryName } from "./entries";

function code(name: string): string | undefined {
  try {
    classifyEntryName(name);
    return undefined;
  } catch (error) {
    return (error as BackupError).code;
  }
}

describe("classifyEntryName", () => {
  it("accepts the Odoo layout", () => {
    expect(classifyEntryName("dump.sql")).toBe("dump");
    expect(classifyEntryName("manifest.json")).toBe("manifest");
    expect(classifyEntryName("filestore/")).toBe("directory");
    expect(classifyEntryName("filestore/ab/")).toBe("directory");
    expect(classifyEntryName("filestore/ab/ab12cd34ef")).toBe("filestore");
    expect(classifyEntryName("dump.dump", { allowCustomDump: true })).toBe("customDump");
  });

  it.each([
    "../etc/passwd",
    "filestore/../../x",
    "/etc/passwd",
    "filestore\\..\\x",
    "C:/Windows/x",
    "c:x",
    "filestore/./x",
  ])("refuses %s as zip slip", (name) => {
    expect(code(name)).toBe("ZIP_SLIP");
  });

  it.each(["evil.sh", "dump.dump", "filestore/.hidden", "DUMP.SQL", "filestore/a b", "x/dump.sql"])(
    "refuses %s as not allowed",
    (name) => {
      expect(code(name)).toBe("ENTRY_NOT_ALLOWED");
    },
  );

  it("throws BackupError", () => {
    expect(() => classifyEntryName("../x")).toThrow(BackupError);
  });
});
