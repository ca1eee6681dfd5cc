// A build's log folder has been written by the tenant's code (older builds had it mounted into
// the serving container): a log name that is a symlink to a file of the host, or a FIFO, is
// neither downloaded nor streamed, while a plain log of the same build is.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { resetConfigForTests } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, type Person, signedInPerson, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let dataDir: string;
let secretFile: string;
let ada: Person;
let buildId: string;
let download: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/logs/[file]/route");
let stream: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/logs/[file]/stream/route");

beforeAll(async () => {
  db = await useWebDatabase();
  dataDir = await mkdtemp(join(tmpdir(), "gantry-log-links-"));
  process.env.GANTRY_DATA_DIR = dataDir;
  resetConfigForTests();
  const core = await import("@gantry/core");
  const { prisma } = await import("@gantry/db");
  download = await import("../../../apps/web/app/api/v1/builds/[buildId]/logs/[file]/route");
  stream = await import("../../../apps/web/app/api/v1/builds/[buildId]/logs/[file]/stream/route");
  ada = await signedInPerson("Ada", { isAdmin: true });
  const principal = await core.resolvePrincipal(new Headers({ cookie: ada.cookie }));
  const projectId = (await core.createProject(principal!, { name: "Links", repository: "acme/links" })).id;
  const branchId = (await prisma().branch.create({ data: { projectId, name: "dev", stage: "DEVELOPMENT" } }))
    .id;
  buildId = (
    await prisma().build.create({
      data: { projectId, branchId, stage: "DEVELOPMENT", commitSha: "a".repeat(40), status: "DONE" },
    })
  ).id;
  const logs = join(dataDir, "builds", buildId, "logs");
  await mkdir(logs, { recursive: true });
  secretFile = join(dataDir, "host-secret.txt");
  await writeFile(secretFile, "the host's secret\n");
  await symlink(secretFile, join(logs, "install.log"));
  await promisify(execFile)("mkfifo", [join(logs, "tests.log")]);
  await writeFile(join(logs, "update.log"), "a plain log line\n");
}, 120_000);

afterAll(async () => {
  await (await import("@gantry/db")).prisma().$disconnect();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const params = (file: string) => ({ params: Promise.resolve({ buildId, file }) });
const request = (path: string) => new Request(`${dashboard}${path}`, { headers: { cookie: ada.cookie } });

describe("log files planted by the tenant", () => {
  it("downloads a plain log and refuses a symlink and a FIFO", async () => {
    const plain = await download.GET(
      request(`/api/v1/builds/${buildId}/logs/update.log`),
      params("update.log"),
    );
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe("a plain log line\n");
    for (const file of ["install.log", "tests.log"]) {
      const refused = await download.GET(request(`/api/v1/builds/${buildId}/logs/${file}`), params(file));
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain("the host's secret");
    }
  });

  it("streams nothing of a symlinked log", async () => {
    const abort = new AbortController();
    const response = await stream.GET(
      new Request(`${dashboard}/api/v1/builds/${buildId}/logs/install.log/stream`, {
        headers: { cookie: ada.cookie },
        signal: abort.signal,
      }),
      params("install.log"),
    );
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    // The build is done: the stream ends by itself after what the file holds (nothing here).
    const deadline = setTimeout(() => abort.abort(), 10_000);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch {
      // aborted: what arrived is checked below
    } finally {
      clearTimeout(deadline);
    }
    expect(text).not.toContain("the host's secret");
  });
});
