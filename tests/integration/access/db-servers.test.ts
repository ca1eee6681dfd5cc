import { config } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { useScratchDatabase } from "./setup";

let db: ScratchDatabase;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let secrets: typeof import("@gantry/secrets");

beforeAll(async () => {
  db = await useScratchDatabase();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  secrets = await import("@gantry/secrets");
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("the registry of database servers", () => {
  it("re-keys a configured server whose password was stored under an earlier GANTRY_SECRET", async () => {
    const url = new URL(config().BUILD_DEV_DATABASE_URL);
    await prisma().dbServer.deleteMany({ where: { name: "dev" } });
    await prisma().dbServer.create({
      data: {
        name: "dev",
        host: url.hostname,
        port: Number(url.port || 5432),
        adminUser: decodeURIComponent(url.username),
        adminPasswordEnc: secrets.encrypt("an-old-password", "a secret that is no longer GANTRY_SECRET"),
        defaultStages: ["DEVELOPMENT"],
      },
    });
    const dev = (await core.listDbServers()).find((server) => server.name === "dev");
    expect(dev?.adminPassword).toBe(decodeURIComponent(url.password));
    const row = await prisma().dbServer.findUniqueOrThrow({ where: { name: "dev" } });
    expect(secrets.decrypt(row.adminPasswordEnc, config().GANTRY_SECRET as string)).toBe(
      decodeURIComponent(url.password),
    );
  });

  it("still refuses to read a server elsewhere whose password does not open", async () => {
    await prisma().dbServer.create({
      data: {
        name: "elsewhere",
        host: "db.example.com",
        port: 5432,
        adminUser: "postgres",
        adminPasswordEnc: secrets.encrypt("x", "another secret, not GANTRY_SECRET"),
        defaultStages: [],
      },
    });
    await expect(core.listDbServers()).rejects.toThrow(/tampered|secret is wrong/);
  });
});
