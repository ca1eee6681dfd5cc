import { describe, expect, it } from "vitest";
import { FreeSpaceGuard, lowSpaceReason, oversizeReason } from "./upload-limits";

const MiB = 1024 * 1024;
const limits = { maxFileBytes: 10 * MiB, minFreeBytes: 100 * MiB };

describe("SFTP upload limits", () => {
  it("lets a file grow up to the cap and not one byte past it", () => {
    expect(oversizeReason(limits, 10 * MiB - 4096, 4096)).toBeNull();
    expect(oversizeReason(limits, 10 * MiB - 4096, 4097)).toMatch(/limited to 10 MiB per file/);
    // A write far beyond the end (a sparse file) counts where it lands, not what it carries.
    expect(oversizeReason(limits, 50 * MiB, 1)).not.toBeNull();
  });

  it("refuses a write that would leave less than the reserve free", () => {
    expect(lowSpaceReason(limits, 100 * MiB + 10, 10)).toBeNull();
    expect(lowSpaceReason(limits, 100 * MiB + 10, 11)).toMatch(/less than 100 MiB is free/);
  });

  it("reads the free space once for small writes and again after a few MiB or a refusal", async () => {
    let free = 200 * MiB;
    let reads = 0;
    const guard = new FreeSpaceGuard(limits, "/filestore", async () => {
      reads += 1;
      return free;
    });
    for (let i = 0; i < 100; i++) expect(await guard.refusal(32 * 1024)).toBeNull();
    expect(reads).toBe(1);
    for (let i = 0; i < 200; i++) await guard.refusal(32 * 1024);
    expect(reads).toBe(2);
    // Someone else filled the disk: the guard's own count does not know, the next look does.
    free = 50 * MiB;
    for (let i = 0; i < 300 && (await guard.refusal(32 * 1024)) === null; i++);
    expect(await guard.refusal(32 * 1024)).toMatch(/Not enough free space/);
    free = 500 * MiB;
    expect(await guard.refusal(32 * 1024)).toBeNull();
  });
});
