import { type APIRequestContext, expect, test } from "@playwright/test";
import { createUser, signedIn } from "./fixtures/auth";

/** Diagnostics are for platform administrators: a signed-in one, made once per worker. */
let rootApi: APIRequestContext | undefined;
async function asRoot(request: APIRequestContext): Promise<APIRequestContext> {
  rootApi ??= await signedIn(await createUser(request, "ApiRoot", { isAdmin: true }));
  return rootApi;
}

test.describe("API conventions", () => {
  test("openapi.json is an OpenAPI 3.1 document listing the system routes", async ({ request }) => {
    const response = await request.get("/api/v1/openapi.json");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/json");
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.title).toBe("Gantry API");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/health",
        "/api/v1/system/health",
        "/api/v1/system/diagnostics",
        "/api/v1/system/diagnostics/{jobId}",
        "/api/v1/openapi.json",
      ]),
    );
    expect(document.paths["/api/v1/system/diagnostics"].post.responses["202"]).toBeDefined();
    expect(document.components.schemas.Error).toBeDefined();
  });

  test("an unknown job id answers 404 not_found in the error shape", async ({ request }) => {
    const response = await (await asRoot(request)).get("/api/v1/system/diagnostics/no-such-job-0");
    expect(response.status()).toBe(404);
    const body = await response.json();
    expect(body).toEqual({ error: { code: "not_found", message: expect.stringContaining("no-such-job-0") } });
  });

  test("a malformed JSON body answers 400 invalid_json", async ({ request }) => {
    const response = await (await asRoot(request)).post("/api/v1/system/diagnostics", {
      headers: { "content-type": "application/json" },
      // A Buffer goes out as is; a string with a JSON content type would be re-encoded.
      data: Buffer.from('{"broken": '),
    });
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_json");
    expect(typeof body.error.message).toBe("string");
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  test("an unknown path under /api/v1 answers JSON not_found", async ({ request }) => {
    const response = await request.get("/api/v1/no/such/endpoint");
    expect(response.status()).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
  });

  test("health answers 200 with every component ok when the stack runs", async ({ request }) => {
    const response = await request.get("/api/health");
    const body = await response.json();
    expect(body.failing, JSON.stringify(body.components)).toEqual([]);
    expect(response.status()).toBe(200);
    expect(Object.keys(body.components).sort()).toEqual([
      "database",
      "docker",
      "migrations",
      "redis",
      "worker",
    ]);
  });
});
