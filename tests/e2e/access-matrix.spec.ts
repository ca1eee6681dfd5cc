import { type APIRequestContext, expect, test } from "@playwright/test";
// The matrix itself, imported as data: every feature it lists is walked below.
import {
  branchFeatures,
  branchMatrix,
  type ProjectFeature,
  projectFeatures,
  projectMatrix,
  type Role,
  roles,
  type Stage,
  stages,
} from "../../packages/core/src/access/matrix";
import { anonymous, createUser, runId, signedIn } from "./fixtures/auth";

/** For each project-wide feature, real endpoints that it guards (name, request). */
const projectProbes: Record<
  ProjectFeature,
  [string, (api: APIRequestContext, projectId: string) => Promise<number>][]
> = {
  status: [
    ["GET project", async (api, id) => (await api.get(`/api/v1/projects/${id}`)).status()],
    ["GET branches", async (api, id) => (await api.get(`/api/v1/projects/${id}/branches`)).status()],
  ],
  project_settings: [
    [
      "GET collaborators",
      async (api, id) => (await api.get(`/api/v1/projects/${id}/collaborators`)).status(),
    ],
    ["GET audit", async (api, id) => (await api.get(`/api/v1/projects/${id}/audit`)).status()],
    [
      "PATCH project",
      async (api, id) =>
        (await api.patch(`/api/v1/projects/${id}`, { data: { name: `Matrix ${runId}` } })).status(),
    ],
    [
      "POST branch",
      async (api, id) =>
        (
          await api.post(`/api/v1/projects/${id}/branches`, {
            data: { name: `probe-${Math.random().toString(36).slice(2, 8)}` },
          })
        ).status(),
    ],
  ],
};

const contexts = new Map<Role, APIRequestContext>();
let projectId = "";
let otherProjectId = "";
const branchOf = new Map<Stage, string>();

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
    branchOf.set(stage, ((await branch.json()) as { id: string }).id);
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
});

test.afterAll(async () => {
  for (const context of contexts.values()) await context.dispose();
});

test("every project feature has endpoints to probe", () => {
  expect(Object.keys(projectProbes).sort()).toEqual([...projectFeatures].sort());
});

for (const role of roles) {
  test(`${role}: each branch feature on each stage answers as the matrix says`, async () => {
    const api = contexts.get(role)!;
    const mismatches: string[] = [];
    for (const stage of stages) {
      for (const feature of branchFeatures) {
        const response = await api.get(
          `/api/v1/projects/${projectId}/branches/${branchOf.get(stage)}/access/${feature}`,
        );
        const expected = branchMatrix[feature][stage].includes(role) ? 200 : 403;
        if (response.status() !== expected)
          mismatches.push(`${feature}@${stage}: ${response.status()} != ${expected}`);
        if (expected === 403) {
          const body = (await response.json()) as { error: { code: string } };
          if (body.error.code !== "forbidden")
            mismatches.push(`${feature}@${stage}: code ${body.error.code}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  test(`${role}: project features answer as the matrix says`, async () => {
    const api = contexts.get(role)!;
    const mismatches: string[] = [];
    for (const feature of projectFeatures) {
      const allowed = projectMatrix[feature].includes(role);
      for (const [name, probe] of projectProbes[feature]) {
        const status = await probe(api, projectId);
        const ok = allowed ? status >= 200 && status < 300 : status === 403;
        if (!ok) mismatches.push(`${feature} ${name}: ${status} (allowed: ${allowed})`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test(`${role}: nothing on a project they are not part of`, async () => {
    const api = contexts.get(role)!;
    expect((await api.get(`/api/v1/projects/${otherProjectId}`)).status()).toBe(403);
    expect((await api.get(`/api/v1/projects/${otherProjectId}/collaborators`)).status()).toBe(403);
  });
}

test("API tokens follow the same matrix and stay inside their projects", async () => {
  const tester = contexts.get("TESTER")!;
  const created = await tester.post("/api/v1/tokens", { data: { name: "ci", projectIds: [projectId] } });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const bearer = await anonymous();
  const auth = { authorization: `Bearer ${token}` };
  for (const stage of stages) {
    for (const feature of branchFeatures) {
      const response = await bearer.get(
        `/api/v1/projects/${projectId}/branches/${branchOf.get(stage)}/access/${feature}`,
        { headers: auth },
      );
      expect(response.status(), `${feature}@${stage}`).toBe(
        branchMatrix[feature][stage].includes("TESTER") ? 200 : 403,
      );
    }
  }
  // A token of one project gets nothing from another, and cannot mint tokens.
  expect((await bearer.get(`/api/v1/projects/${otherProjectId}`, { headers: auth })).status()).toBe(403);
  expect(
    (
      await bearer.post("/api/v1/tokens", { headers: auth, data: { name: "x", projectIds: [projectId] } })
    ).status(),
  ).toBe(403);
  // Revoked: the same token is now refused as unauthenticated.
  const { tokens } = (await (await tester.get("/api/v1/tokens")).json()) as { tokens: { id: string }[] };
  expect((await tester.delete(`/api/v1/tokens/${tokens[0]!.id}`)).status()).toBe(204);
  expect((await bearer.get(`/api/v1/projects/${projectId}`, { headers: auth })).status()).toBe(401);
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
