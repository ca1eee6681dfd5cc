// The collaborator access matrix walked through the real endpoints of each feature, one signed-in
// collaborator per role, on a branch of each stage. What each role may do is written below as
// ODOO.md states it, not read from the application: a change to the application's matrix that
// ODOO.md does not make fails here.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { anonymous, baseURL, createUser, runId, signedIn } from "./fixtures/auth";
import { sql } from "./fixtures/db";

type Role = "ADMIN" | "USER" | "TESTER" | "DEVELOPER";
type Stage = "PRODUCTION" | "STAGING" | "DEVELOPMENT";
const roles: Role[] = ["ADMIN", "USER", "TESTER", "DEVELOPER"];
const stages: Stage[] = ["PRODUCTION", "STAGING", "DEVELOPMENT"];

// ODOO.md, "Collaborator access (the original Odoo.sh matrix)", with its User split as ODOO.md
// says today's Odoo.sh splits it: Developer (development tools) and Tester (staging and
// development tools). Both keep what every User has: History and Settings everywhere.
const everyone: Role[] = ["ADMIN", "USER", "TESTER", "DEVELOPER"];
const adminOnly: Role[] = ["ADMIN"];
const adminAndTester: Role[] = ["ADMIN", "TESTER"];
const nobody: Role[] = [];
/** Development tools: History, 1-click connect, Logs, Shell/SSH, Mails, Settings (User: yes). */
const developmentTool = { PRODUCTION: adminOnly, STAGING: adminAndTester, DEVELOPMENT: everyone };
const expected = {
  // "Production & Staging: History, Settings": User yes.
  history: { PRODUCTION: everyone, STAGING: everyone, DEVELOPMENT: everyone },
  settings: { PRODUCTION: everyone, STAGING: everyone, DEVELOPMENT: everyone },
  // "Production & Staging: 1-click connect, Logs, Shell/SSH, Mails": User no.
  connect: developmentTool,
  logs: developmentTool,
  mails: developmentTool,
  shell: developmentTool,
  // "Production & Staging: Monitoring": User no; a development build's figures are its
  // developer's, like its other development tools.
  monitoring: developmentTool,
  // "Production & Staging: Backups": User no; development has none.
  backups: { PRODUCTION: adminOnly, STAGING: adminAndTester, DEVELOPMENT: nobody },
  // Not in the table: rebuilding or cancelling a build decides what the stage serves, so it
  // follows the stage's tools (Admin on production, Tester too on staging, all on development).
  deploy: developmentTool,
  // Not in the table: an upgrade decides production's future, like the project settings (Admin),
  // and is rehearsed on staging; development builds on the series it declares.
  upgrade: { PRODUCTION: adminOnly, STAGING: adminOnly, DEVELOPMENT: nobody },
} satisfies Record<string, Record<Stage, Role[]>>;
/** "Status": yes for all; "Project settings (collaborators, project)": Admin only. */
const expectedProject = { status: everyone, project_settings: adminOnly };

// Every tool of the matrix has its endpoints probed here (a test below fails for a tool without
// probes). SSH is the Shell right over another protocol (tests/integration/shell/ssh.test.ts
// walks it with the OpenSSH client); its API is the caller's own keys, probed below.

interface Seeded {
  branchId: string;
  /** An ended build with an install.log on disk. */
  ended: string;
  /** A build still waiting (its row only: no job, so it stays queued). */
  waiting: string;
  /** An error group seen only in the ended build's install.log. */
  errorGroup: string;
}

type Probe = [
  name: string,
  allowedStatus: number,
  call: (api: APIRequestContext, on: Seeded) => Promise<number>,
];
const code = async (response: Promise<{ status(): number }>) => (await response).status();

/** For each branch feature, real endpoints it guards and the status each answers when allowed. */
const branchProbes: Record<keyof typeof expected, Probe[]> = {
  history: [
    [
      "GET branch builds",
      200,
      (api, on) => code(api.get(`/api/v1/projects/${projectId}/branches/${on.branchId}/builds`)),
    ],
    ["GET build", 200, (api, on) => code(api.get(`/api/v1/builds/${on.ended}`))],
  ],
  deploy: [
    // Allowed, then refused for what the build is: a waiting build is not rebuilt, an ended one
    // not cancelled. Neither changes anything.
    ["POST rebuild", 409, (api, on) => code(api.post(`/api/v1/builds/${on.waiting}/rebuild`))],
    ["POST cancel", 409, (api, on) => code(api.post(`/api/v1/builds/${on.ended}/cancel`))],
    // "Deploy now" releases a build held by its deploy gates: the seeded build is queued, not
    // held, so an allowed caller is refused for what the build is.
    ["POST deploy now", 409, (api, on) => code(api.post(`/api/v1/builds/${on.waiting}/deploy-now`))],
  ],
  settings: [
    [
      "GET settings",
      200,
      (api, on) => code(api.get(`/api/v1/projects/${projectId}/branches/${on.branchId}/settings`)),
    ],
    [
      "PATCH settings",
      200,
      (api, on) =>
        code(
          api.patch(`/api/v1/projects/${projectId}/branches/${on.branchId}/settings`, {
            data: { testTags: null },
          }),
        ),
    ],
  ],
  logs: [
    ["GET log", 200, (api, on) => code(api.get(`/api/v1/builds/${on.ended}/logs/install.log`))],
    ["GET log stream", 200, (api, on) => code(api.get(`/api/v1/builds/${on.ended}/logs/install.log/stream`))],
    // The errors found in a stage's logs are read with those logs.
    [
      "GET branch errors",
      200,
      (api, on) => code(api.get(`/api/v1/projects/${projectId}/errors?branch=${on.branchId}`)),
    ],
    [
      "GET error group",
      200,
      (api, on) => code(api.get(`/api/v1/projects/${projectId}/errors/${on.errorGroup}`)),
    ],
  ],
  mails: [
    // The seeded build sent none: the list answers empty, and an unknown mail 404 once allowed.
    ["GET mails", 200, (api, on) => code(api.get(`/api/v1/builds/${on.ended}/mails`))],
    ["GET one mail", 404, (api, on) => code(api.get(`/api/v1/builds/${on.ended}/mails/none`))],
    ["GET raw mail", 404, (api, on) => code(api.get(`/api/v1/builds/${on.ended}/mails/none/raw`))],
  ],
  connect: [
    // Allowed, then refused for what the build is: the seeded build serves nothing to log into,
    // so no token is made and no users are asked for.
    ["POST connect", 409, (api, on) => code(api.post(`/api/v1/builds/${on.ended}/connect`, { data: {} }))],
    ["GET odoo users", 409, (api, on) => code(api.get(`/api/v1/builds/${on.ended}/odoo-users`))],
  ],
  shell: [
    // Allowed, then refused for what the build is: the seeded build serves nothing to open a
    // shell in, so no ticket is made.
    ["POST shell", 409, (api, on) => code(api.post(`/api/v1/builds/${on.ended}/shell`, { data: {} }))],
  ],
  monitoring: [
    // The seeded build never served: allowed, it answers with empty series.
    ["GET metrics", 200, (api, on) => code(api.get(`/api/v1/builds/${on.ended}/metrics?range=hour`))],
    ["GET metrics month", 200, (api, on) => code(api.get(`/api/v1/builds/${on.ended}/metrics?range=month`))],
  ],
  backups: [
    [
      "GET branch backups",
      200,
      (api, on) => code(api.get(`/api/v1/projects/${projectId}/branches/${on.branchId}/backups`)),
    ],
  ],
  upgrade: [
    [
      "GET upgrade",
      200,
      (api, on) => code(api.get(`/api/v1/projects/${projectId}/branches/${on.branchId}/upgrade`)),
    ],
  ],
};

type ProjectProbe = [name: string, allowedStatus: number, call: (api: APIRequestContext) => Promise<number>];
const projectProbes: Record<keyof typeof expectedProject, ProjectProbe[]> = {
  status: [
    ["GET project", 200, (api) => code(api.get(`/api/v1/projects/${projectId}`))],
    ["GET branches", 200, (api) => code(api.get(`/api/v1/projects/${projectId}/branches`))],
    // Lists the builds of the stages whose History the caller has: every stage, for everyone.
    ["GET project builds", 200, (api) => code(api.get(`/api/v1/projects/${projectId}/builds`))],
    // Production's uptime and incidents: whoever may see the production branch (History, everyone).
    ["GET status", 200, (api) => code(api.get(`/api/v1/projects/${projectId}/status`))],
  ],
  project_settings: [
    ["GET collaborators", 200, (api) => code(api.get(`/api/v1/projects/${projectId}/collaborators`))],
    ["GET audit", 200, (api) => code(api.get(`/api/v1/projects/${projectId}/audit`))],
    ["GET github", 200, (api) => code(api.get(`/api/v1/projects/${projectId}/github`))],
    ["GET deliveries", 200, (api) => code(api.get(`/api/v1/projects/${projectId}/deliveries`))],
    [
      "GET notification channels",
      200,
      (api) => code(api.get(`/api/v1/projects/${projectId}/notifications/channels`)),
    ],
    [
      "GET notification deliveries",
      200,
      (api) => code(api.get(`/api/v1/projects/${projectId}/notifications/deliveries`)),
    ],
    [
      "PUT notification settings",
      200,
      (api) =>
        code(
          api.put(`/api/v1/projects/${projectId}/notifications/settings`, { data: { diskAlertMb: null } }),
        ),
    ],
    [
      "PUT status (down alert minutes)",
      200,
      (api) => code(api.put(`/api/v1/projects/${projectId}/status`, { data: { downAlertMinutes: 3 } })),
    ],
    [
      "PATCH project",
      200,
      (api) => code(api.patch(`/api/v1/projects/${projectId}`, { data: { name: `Matrix ${runId}` } })),
    ],
    [
      "POST branch",
      201,
      (api) =>
        code(
          api.post(`/api/v1/projects/${projectId}/branches`, {
            data: { name: `probe-${Math.random().toString(36).slice(2, 8)}` },
          }),
        ),
    ],
    [
      "POST move to its own stage",
      409,
      (api) =>
        code(
          api.post(`/api/v1/projects/${projectId}/branches/${seeded.get("DEVELOPMENT")!.branchId}/move`, {
            data: { stage: "DEVELOPMENT" },
          }),
        ),
    ],
  ],
};

const contexts = new Map<Role, APIRequestContext>();
let projectId = "";
let otherProjectId = "";
const seeded = new Map<Stage, Seeded>();

/** A build row of the branch in `status`, as the worker leaves one (no job, no containers). */
async function seedBuild(branchId: string, stage: Stage, status: "DONE" | "QUEUED"): Promise<string> {
  const id = `matrix${stage.toLowerCase()}${status.toLowerCase()}${runId}`;
  await sql(
    `INSERT INTO "Build" (id, "projectId", "branchId", stage, "commitSha", status, result, "finishedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      projectId,
      branchId,
      stage,
      "a".repeat(40),
      status,
      status === "DONE" ? "SUCCESS" : null,
      status === "DONE" ? new Date() : null,
    ],
  );
  return id;
}

/** An error group seen once, in the build's install.log, as the worker's scan records one. */
async function seedErrorGroup(buildId: string, branchId: string, stage: Stage): Promise<string> {
  const id = `matrixerr${stage.toLowerCase()}${runId}`;
  await sql(
    `INSERT INTO "ErrorGroup" (id, "projectId", fingerprint, title, "firstSeenAt", "lastSeenAt", count, stages)
     VALUES ($1, $2, $1, 'odoo.matrix: an error', now(), now(), 1, ARRAY[$3]::"Stage"[])`,
    [id, projectId, stage],
  );
  await sql(
    `INSERT INTO "ErrorOccurrence" (id, "groupId", "buildId", "branchId", stage, file, line, at, message, text)
     VALUES ($1, $1, $2, $3, $4, 'install.log', 1, now(), 'an error', 'an error')`,
    [id, buildId, branchId, stage],
  );
  return id;
}

test.beforeAll(async () => {
  const api = await anonymous();
  const root = await createUser(api, "MatrixRoot", { isAdmin: true });
  const owner = await signedIn(root);
  const created = await owner.post("/api/v1/projects", {
    data: { name: `Matrix ${runId}`, repository: `matrix/app-${runId}` },
  });
  expect(created.status()).toBe(201);
  projectId = ((await created.json()) as { id: string }).id;
  const other = await owner.post("/api/v1/projects", {
    data: { name: `Other ${runId}`, repository: `matrix/other-${runId}` },
  });
  otherProjectId = ((await other.json()) as { id: string }).id;
  for (const stage of stages) {
    const branch = await owner.post(`/api/v1/projects/${projectId}/branches`, {
      data: { name: `${stage.toLowerCase()}-${runId}`, stage },
    });
    expect(branch.status()).toBe(201);
    const branchId = ((await branch.json()) as { id: string }).id;
    const ended = await seedBuild(branchId, stage, "DONE");
    // The log the worker would have written, where the web app reads build logs.
    const logs = join(process.env.GANTRY_DATA_DIR as string, "builds", ended, "logs");
    await mkdir(logs, { recursive: true });
    await writeFile(
      join(logs, "install.log"),
      "2026-01-01 00:00:00,000 1 INFO matrix odoo: Modules loaded.\n",
    );
    seeded.set(stage, {
      branchId,
      ended,
      waiting: await seedBuild(branchId, stage, "QUEUED"),
      errorGroup: await seedErrorGroup(ended, branchId, stage),
    });
  }
  // One collaborator per role, none a platform administrator: the role alone decides.
  for (const role of roles) {
    const user = await createUser(api, `Matrix${role}`);
    const added = await owner.post(`/api/v1/projects/${projectId}/collaborators`, {
      data: { email: user.email, role },
    });
    expect(added.status()).toBe(201);
    contexts.set(role, await signedIn(user));
  }
  await owner.dispose();
  await api.dispose();
});

test.afterAll(async () => {
  for (const context of contexts.values()) await context.dispose();
});

/** Every probe of the branch features on every stage, as `role` through `api`: the mismatches. */
async function walkBranchFeatures(api: APIRequestContext, role: Role): Promise<string[]> {
  const mismatches: string[] = [];
  for (const stage of stages) {
    for (const [feature, probes] of Object.entries(branchProbes) as [keyof typeof expected, Probe[]][]) {
      const allowed = expected[feature][stage].includes(role);
      for (const [name, allowedStatus, call] of probes) {
        const got = await call(api, seeded.get(stage)!);
        const want = allowed ? allowedStatus : 403;
        if (got !== want) mismatches.push(`${feature}@${stage} ${name}: ${got}, expected ${want}`);
      }
    }
  }
  return mismatches;
}

test("every feature of the matrix is walked through at least one real endpoint", () => {
  const unprobed = Object.entries(branchProbes)
    .filter(([, probes]) => probes.length === 0)
    .map(([feature]) => feature);
  expect(unprobed).toEqual([]);
});

for (const role of roles) {
  test(`${role}: each branch feature's endpoints on each stage answer as ODOO.md says`, async () => {
    expect(await walkBranchFeatures(contexts.get(role)!, role)).toEqual([]);
  });

  test(`${role}: project features answer as ODOO.md says`, async () => {
    const api = contexts.get(role)!;
    const mismatches: string[] = [];
    for (const [feature, probes] of Object.entries(projectProbes) as [
      keyof typeof expectedProject,
      ProjectProbe[],
    ][]) {
      const allowed = expectedProject[feature].includes(role);
      for (const [name, allowedStatus, call] of probes) {
        const got = await call(api);
        const want = allowed ? allowedStatus : 403;
        if (got !== want) mismatches.push(`${feature} ${name}: ${got}, expected ${want}`);
      }
    }
    // The project's backups list shows the stages whose Backups the caller has; none: refused.
    const backupStages = stages.filter((stage) => expected.backups[stage].includes(role));
    const backups = await code(api.get(`/api/v1/projects/${projectId}/backups`));
    if (backups !== (backupStages.length > 0 ? 200 : 403)) mismatches.push(`GET project backups: ${backups}`);
    expect(mismatches).toEqual([]);
  });

  test(`${role}: nothing on a project they are not part of`, async () => {
    const api = contexts.get(role)!;
    expect((await api.get(`/api/v1/projects/${otherProjectId}`)).status()).toBe(403);
    expect((await api.get(`/api/v1/projects/${otherProjectId}/collaborators`)).status()).toBe(403);
  });
}

test("SSH keys are each person's own, whatever their role, and never a token's", async () => {
  const tester = contexts.get("TESTER")!;
  const developer = contexts.get("DEVELOPER")!;
  // An ed25519 public key (32 bytes of key after the type), made up for this run.
  const blob = Buffer.concat([
    Buffer.from([0, 0, 0, 11]),
    Buffer.from("ssh-ed25519"),
    Buffer.from([0, 0, 0, 32]),
    Buffer.from(runId.padEnd(32, "k").slice(0, 32)),
  ]);
  const publicKey = `ssh-ed25519 ${blob.toString("base64")} matrix`;
  const added = await tester.post("/api/v1/me/ssh-keys", { data: { publicKey } });
  expect(added.status()).toBe(201);
  const key = (await added.json()) as { id: string; fingerprint: string };
  expect(key.fingerprint).toMatch(/^SHA256:/);
  // Another person neither sees it, nor removes it, nor registers the same key.
  const theirs = (await (await developer.get("/api/v1/me/ssh-keys")).json()) as { keys: unknown[] };
  expect(theirs.keys).toEqual([]);
  expect((await developer.delete(`/api/v1/me/ssh-keys/${key.id}`)).status()).toBe(404);
  expect((await developer.post("/api/v1/me/ssh-keys", { data: { publicKey } })).status()).toBe(409);
  const created = await developer.post("/api/v1/tokens", { data: { name: "keys", projectIds: [projectId] } });
  const { token } = (await created.json()) as { token: string };
  const bearer = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  expect((await bearer.get("/api/v1/me/ssh-keys")).status()).toBe(403);
  await bearer.dispose();
  expect((await tester.delete(`/api/v1/me/ssh-keys/${key.id}`)).status()).toBe(204);
});

test("a refusal says forbidden in the API's error shape", async () => {
  const response = await contexts
    .get("USER")!
    .get(`/api/v1/builds/${seeded.get("PRODUCTION")!.ended}/logs/install.log`);
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden");
});

test("API tokens follow the same matrix and stay inside their projects", async () => {
  const tester = contexts.get("TESTER")!;
  const created = await tester.post("/api/v1/tokens", { data: { name: "ci", projectIds: [projectId] } });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  const bearer = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: auth });
  expect(await walkBranchFeatures(bearer, "TESTER")).toEqual([]);
  // A token of one project gets nothing from another, and cannot mint tokens.
  expect((await bearer.get(`/api/v1/projects/${otherProjectId}`)).status()).toBe(403);
  expect(
    (await bearer.post("/api/v1/tokens", { data: { name: "x", projectIds: [projectId] } })).status(),
  ).toBe(403);
  // Revoked: the same token is now refused as unauthenticated.
  const { tokens } = (await (await tester.get("/api/v1/tokens")).json()) as { tokens: { id: string }[] };
  expect((await tester.delete(`/api/v1/tokens/${tokens[0]!.id}`)).status()).toBe(204);
  expect((await bearer.get(`/api/v1/projects/${projectId}`)).status()).toBe(401);
  await bearer.dispose();
});

test("no session, a forged cookie or a made-up token: 401", async () => {
  const api = await anonymous();
  expect((await api.get(`/api/v1/projects/${projectId}`)).status()).toBe(401);
  const forged = await api.get(`/api/v1/projects/${projectId}`, {
    headers: { cookie: "gantry.session_token=abc.def" },
  });
  expect(forged.status()).toBe(401);
  expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  const made = await api.get("/api/v1/me", {
    headers: { authorization: "Bearer gty_AAAAAAAA_notarealtokennotarealtokennotareal" },
  });
  expect(made.status()).toBe(401);
  await api.dispose();
});

test("the last Admin can be neither demoted nor removed", async () => {
  const admin = contexts.get("ADMIN")!;
  const { collaborators } = (await (
    await admin.get(`/api/v1/projects/${projectId}/collaborators`)
  ).json()) as {
    collaborators: { id: string; role: Role; user: { email: string } }[];
  };
  // Two Admins now (creator and the ADMIN collaborator): demote the creator, then the last one stays.
  const creator = collaborators.find((c) => c.user.email.startsWith("matrixroot-"))!;
  expect(
    (
      await admin.patch(`/api/v1/projects/${projectId}/collaborators/${creator.id}`, {
        data: { role: "USER" },
      })
    ).status(),
  ).toBe(200);
  const last = collaborators.find((c) => c.user.email.startsWith("matrixadmin-"))!;
  const demote = await admin.patch(`/api/v1/projects/${projectId}/collaborators/${last.id}`, {
    data: { role: "TESTER" },
  });
  expect(demote.status()).toBe(409);
  expect((await admin.delete(`/api/v1/projects/${projectId}/collaborators/${last.id}`)).status()).toBe(409);
});
