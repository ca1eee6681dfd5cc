// The search across a branch's builds' logs, through its route with a signed-in session: the
// matches of every build of the branch (a cleaned one too) stream as NDJSON, newest build
// first; another branch's logs are not read; a collaborator without the project's Admin role
// does not see webshell.log's lines; someone outside the project is refused.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resetConfigForTests } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, type Person, signedInPerson, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let dataDir: string;
let prisma: typeof import("@gantry/db").prisma;
let route: typeof import("../../../apps/web/app/api/v1/projects/[projectId]/branches/[branchId]/logs/search/route");
let ada: Person;
let bob: Person;
let eve: Person;
let projectId: string;
let branchId: string;
const builds: string[] = [];

async function writeLog(buildId: string, file: string, text: string) {
  const dir = join(dataDir, "builds", buildId, "logs");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), text);
}

async function search(person: Person, query: string) {
  const response = await route.GET(
    new Request(`${dashboard}/api/v1/projects/${projectId}/branches/${branchId}/logs/search?q=${query}`, {
      headers: { cookie: person.cookie },
    }),
    { params: Promise.resolve({ projectId, branchId }) },
  );
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    records: response.ok
      ? text
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line))
      : [],
  };
}

beforeAll(async () => {
  db = await useWebDatabase();
  dataDir = await mkdtemp(join(tmpdir(), "gantry-log-search-"));
  process.env.GANTRY_DATA_DIR = dataDir;
  resetConfigForTests();
  const core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  route = await import(
    "../../../apps/web/app/api/v1/projects/[projectId]/branches/[branchId]/logs/search/route"
  );
  ada = await signedInPerson("Ada", { isAdmin: true });
  bob = await signedInPerson("Bob");
  eve = await signedInPerson("Eve");
  const principal = await core.resolvePrincipal(new Headers({ cookie: ada.cookie }));
  projectId = (await core.createProject(principal!, { name: "Shop", repository: "acme/shop" })).id;
  await prisma().collaborator.create({ data: { projectId, userId: bob.id, role: "DEVELOPER" } });
  branchId = (await prisma().branch.create({ data: { projectId, name: "feature", stage: "DEVELOPMENT" } }))
    .id;
  const other = await prisma().branch.create({ data: { projectId, name: "other", stage: "DEVELOPMENT" } });
  for (const [i, cleaned] of [
    [0, true],
    [1, false],
  ] as const) {
    const build = await prisma().build.create({
      data: {
        projectId,
        branchId,
        stage: "DEVELOPMENT",
        commitSha: `${i}`.repeat(40),
        status: "DONE",
        createdAt: new Date(Date.now() - (2 - i) * 60_000),
        cleanedAt: cleaned ? new Date() : null,
      },
    });
    builds.push(build.id);
  }
  const elsewhere = await prisma().build.create({
    data: { projectId, branchId: other.id, stage: "DEVELOPMENT", commitSha: "e".repeat(40), status: "DONE" },
  });
  await writeLog(builds[0]!, "odoo.log", "INFO start\nERROR KeyError: 'partner_id' in old build\n");
  await writeLog(builds[1]!, "odoo.log", "INFO start\nERROR keyerror: 'partner_id' again\n");
  await writeLog(builds[1]!, "webshell.log", '2026-12-07T00:00:00Z s1 in "keyerror typed in a shell"\n');
  await writeLog(elsewhere.id, "odoo.log", "ERROR KeyError on another branch\n");
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("searching a branch's builds' logs", () => {
  it("streams the matches of every build of the branch, newest first, cleaned ones too", async () => {
    const answer = await search(ada, "keyerror");
    expect(answer.status).toBe(200);
    expect(answer.type).toContain("application/x-ndjson");
    expect(answer.records).toEqual([
      {
        build: builds[1],
        commit: "1".repeat(12),
        file: "odoo.log",
        line: 2,
        text: "ERROR keyerror: 'partner_id' again",
      },
      {
        build: builds[1],
        commit: "1".repeat(12),
        file: "webshell.log",
        line: 1,
        text: '2026-12-07T00:00:00Z s1 in "keyerror typed in a shell"',
      },
      {
        build: builds[0],
        commit: "0".repeat(12),
        file: "odoo.log",
        line: 2,
        text: "ERROR KeyError: 'partner_id' in old build",
      },
      { done: true, matches: 3, truncated: false },
    ]);
  });

  it("leaves webshell.log out for a collaborator who is not the project's Admin", async () => {
    const answer = await search(bob, "keyerror");
    expect(answer.records.map((r) => r.file ?? "end")).toEqual(["odoo.log", "odoo.log", "end"]);
  });

  it("refuses someone outside the project, and a query too short", async () => {
    expect((await search(eve, "keyerror")).status).toBe(403);
    expect((await search(ada, "k")).status).toBe(400);
  });
});
