import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, type Person, signedInPerson, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let ada: Person;
let projectId: string;
let project: typeof import("../../../apps/web/app/api/v1/projects/[projectId]/route");
let prisma: typeof import("@gantry/db").prisma;

const json = { "content-type": "application/json" };
const rename = (name: string, headers: Record<string, string>, payload = JSON.stringify({ name })) =>
  project.PATCH(
    new Request(`${dashboard}/api/v1/projects/${projectId}`, { method: "PATCH", headers, body: payload }),
    { params: Promise.resolve({ projectId }) },
  );
const nameNow = async () => (await prisma().project.findUniqueOrThrow({ where: { id: projectId } })).name;

beforeAll(async () => {
  db = await useWebDatabase();
  const core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  project = await import("../../../apps/web/app/api/v1/projects/[projectId]/route");
  ada = await signedInPerson("Ada", { isAdmin: true });
  const principal = await core.resolvePrincipal(new Headers({ cookie: ada.cookie }));
  projectId = (await core.createProject(principal!, { name: "Shop", repository: "acme/shop" })).id;
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("cross-site requests on a session cookie", () => {
  it("lets the dashboard's own JSON calls through", async () => {
    expect((await rename("Shop 2", { cookie: ada.cookie, ...json, origin: dashboard })).status).toBe(200);
    // Without Origin, the browser's Sec-Fetch-Site speaks for it.
    const fetchSite = await rename("Shop 3", {
      cookie: ada.cookie,
      ...json,
      "sec-fetch-site": "same-origin",
    });
    expect(fetchSite.status).toBe(200);
    expect(await nameNow()).toBe("Shop 3");
  });

  it("refuses another origin, a cross-site fetch and a request naming no origin", async () => {
    const refused: Record<string, string>[] = [
      { origin: "http://shop.localhost" },
      { origin: "null" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site" },
      {},
    ];
    for (const headers of refused) {
      const response = await rename("Forged", { cookie: ada.cookie, ...json, ...headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect((await response.json()).error.code).toBe("forbidden");
    }
    expect(await nameNow()).toBe("Shop 3");
  });

  it("refuses a body an HTML form could send (not declared JSON) with 415", async () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const response = await rename("Forged", {
        cookie: ada.cookie,
        origin: dashboard,
        "content-type": type,
      });
      expect(response.status, type).toBe(415);
      expect((await response.json()).error.code).toBe("unsupported_media_type");
    }
    expect(await nameNow()).toBe("Shop 3");
  });

  it("exempts API tokens from the Origin check", async () => {
    const core = await import("@gantry/core");
    const principal = await core.resolvePrincipal(new Headers({ cookie: ada.cookie }));
    const { token } = await core.createToken(principal!, { name: "ci", projectIds: [projectId] });
    const response = await rename("By token", {
      authorization: `Bearer ${token}`,
      ...json,
      origin: "http://elsewhere.example",
    });
    expect(response.status).toBe(200);
    expect(await nameNow()).toBe("By token");
  });
});
