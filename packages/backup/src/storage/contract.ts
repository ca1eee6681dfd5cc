// The behaviour every BackupStorage must have; run against each implementation's tests.
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BackupError } from "../errors";
import type { BackupStorage } from "./types";

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function storageContract(name: string, make: () => Promise<BackupStorage>): void {
  describe(`${name} storage contract`, () => {
    it("puts a stream and reports its size and sha256", async () => {
      const storage = await make();
      const data = randomBytes(3 * 1024 * 1024 + 17);
      const out = await storage.put(
        "p1/b1/a.zip",
        Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
      );
      expect(out.size).toBe(data.length);
      expect(out.sha256).toBe(createHash("sha256").update(data).digest("hex"));
      expect(await storage.stat("p1/b1/a.zip")).toEqual({ key: "p1/b1/a.zip", size: data.length });
      expect((await readAll(await storage.get("p1/b1/a.zip"))).equals(data)).toBe(true);
    });

    it("serves byte ranges", async () => {
      const storage = await make();
      const data = Buffer.from("0123456789abcdef");
      await storage.put("r/x.zip", Readable.from([data]));
      expect((await readAll(await storage.get("r/x.zip", { start: 3, end: 6 }))).toString()).toBe("3456");
      expect((await readAll(await storage.get("r/x.zip", { start: 10 }))).toString()).toBe("abcdef");
      await expect(storage.get("r/x.zip", { start: 5, end: 99 })).rejects.toMatchObject({
        code: "INVALID_RANGE",
      });
    });

    it("lists by prefix, deletes, and reports absent keys", async () => {
      const storage = await make();
      await storage.put("l/a/1.zip", Readable.from([Buffer.from("1")]));
      await storage.put("l/a/2.zip", Readable.from([Buffer.from("22")]));
      await storage.put("l/b/3.zip", Readable.from([Buffer.from("333")]));
      expect((await storage.list("l/a/")).map((o) => [o.key, o.size])).toEqual([
        ["l/a/1.zip", 1],
        ["l/a/2.zip", 2],
      ]);
      await storage.delete("l/a/1.zip");
      await storage.delete("l/a/absent.zip");
      expect(await storage.stat("l/a/1.zip")).toBeUndefined();
      expect((await storage.list("l/")).map((o) => o.key)).toEqual(["l/a/2.zip", "l/b/3.zip"]);
      await expect(storage.get("l/a/1.zip")).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("replaces an object whole and leaves nothing behind when a stream fails", async () => {
      const storage = await make();
      await storage.put("f/x.zip", Readable.from([Buffer.from("old")]));
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024, 1));
          this.destroy(new Error("source broke"));
        },
      });
      await expect(storage.put("f/x.zip", failing)).rejects.toThrow();
      expect((await readAll(await storage.get("f/x.zip"))).toString()).toBe("old");
      expect((await storage.list("f/")).map((o) => o.key)).toEqual(["f/x.zip"]);
    });

    it.each(["../x", "/abs", "a/../b", "a\\b", "", "a//b", ".hidden"])("refuses the key %j", async (key) => {
      const storage = await make();
      await expect(storage.put(key, Readable.from([Buffer.from("x")]))).rejects.toBeInstanceOf(BackupError);
      await expect(storage.stat(key)).rejects.toMatchObject({ code: "INVALID_KEY" });
    });
  });
}
