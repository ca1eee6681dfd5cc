import { resetConfigForTests } from "@gantry/config";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;
let testUsers: typeof import("../../../apps/web/app/api/v1/test/users/route.testonly");

const create = (body: string) =>
  testUsers.POST(
    new Request(`${dashboard}/api/v1/test/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    }),
  );
const valid = JSON.stringify({ email: "made@example.com", name: "Made", password: "pw-made-secret" });

function testMode(on: boolean): void {
  process.env.GANTRY_TEST_MODE = String(on);
  resetConfigForTests();
}

beforeAll(async () => {
  db = await useWebDatabase();
  prisma = (await import("@gantry/db")).prisma;
  testUsers = await import("../../../apps/web/app/api/v1/test/users/route.testonly");
});
afterEach(() => testMode(true));
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("test-only routes", () => {
  it("answer 404 like an unknown path outside test mode, whatever is sent", async () => {
    testMode(false);
    for (const body of [valid, "{broken", JSON.stringify({ email: 1 })]) {
      const response = await create(body);
      expect(response.status, body).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: "not_found", message: "No endpoint POST /api/v1/test/users" },
      });
    }
    expect(await prisma().user.count({ where: { email: "made@example.com" } })).toBe(0);
  });

  it("exist in test mode", async () => {
    testMode(true);
    expect((await create(valid)).status).toBe(201);
  });
});
