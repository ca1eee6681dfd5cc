import { describe, expect, it } from "vitest";
import { parseProductionRollback } from "./production-rollback";

const stored = {
  serverId: "srv1",
  database: "gantry_p_abc",
  filestore: "/var/gantry/production/abc/data/filestore/gantry_p_abc",
  restore: {
    from: "copy",
    database: "gantry_p_abc_rollback",
    filestore: "/var/gantry/production/abc/rollback/gantry_p_abc",
    owner: "gantry_b_old",
  },
  previous: {
    buildId: "old",
    containerName: "gantry-build-old-serve",
    httpPort: 20001,
    host: "acme.localhost",
    stopped: true,
  },
  leftovers: { databases: ["gantry_p_abc_rollback"], filestores: [], roles: ["gantry_b_new"] },
};

describe("a stored production rollback", () => {
  it("reads back what was stored", () => {
    expect(parseProductionRollback(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it("is none when nothing was stored", () => {
    expect(parseProductionRollback(undefined)).toBeNull();
    expect(parseProductionRollback(null)).toBeNull();
  });

  it("reads each way of putting the database back", () => {
    for (const restore of [
      { from: "untouched" },
      { from: "nothing" },
      { from: "owner", role: "gantry_b_new", owner: "gantry_b_old" },
      { from: "copy", database: "gantry_p_abc_preupgrade", filestore: "/data/fs_preupgrade", owner: null },
    ]) {
      expect(parseProductionRollback({ ...stored, restore })?.restore).toEqual(restore);
    }
  });

  it("refuses what it cannot act on safely", () => {
    const broken = [
      { ...stored, restore: { from: "copy", database: "gantry_p_abc_rollback" } },
      { ...stored, restore: { from: "guess" } },
      { ...stored, database: 'gantry_p_abc"; DROP DATABASE x; --' },
      { ...stored, filestore: "relative/path" },
      { ...stored, filestore: "/var/gantry/../../etc" },
      { ...stored, previous: { ...stored.previous, httpPort: "20001" } },
      { ...stored, leftovers: { databases: [], filestores: [] } },
      "rolled back",
    ];
    for (const value of broken)
      expect(() => parseProductionRollback(value)).toThrow(/stored production rollback/);
  });
});
