import { AppError } from "@gantry/core";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { z } from "zod";
import { log } from "../log";
import { defineEndpoint } from "./endpoint";
import { reply } from "./reply";
import { route } from "./route";

const item = z.object({ id: z.string(), count: z.number() });

const createItem = defineEndpoint({
  method: "post",
  path: "/api/v1/test/{group}/items",
  summary: "test",
  params: z.object({ group: z.string().regex(/^[a-z]+$/) }),
  query: z.object({ dryRun: z.enum(["true", "false"]).optional() }),
  body: z.object({ name: z.string().min(1), count: z.number().int() }),
  output: item,
  status: 201,
  maxBodyBytes: 200,
});

const post = (body: string, url = "http://x/api/v1/test/abc/items", headers: Record<string, string> = {}) =>
  new Request(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

let logged: MockInstance;
beforeEach(() => {
  // The wrapper logs unexpected errors server-side; keep test output quiet but observable.
  logged = vi.spyOn(log, "error").mockImplementation(() => {});
});
afterEach(() => logged.mockRestore());

describe("route", () => {
  it("validates the request and answers the output with the endpoint's status", async () => {
    const handler = route(createItem, async ({ params, query, body }) => ({
      id: `${params.group}-${body.name}-${query.dryRun ?? "none"}`,
      count: body.count,
      secret: "stripped by the output schema",
    }));
    const response = await handler(
      post('{"name":"a","count":3}', "http://x/api/v1/test/abc/items?dryRun=true"),
      ctx({ group: "abc" }),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: "abc-a-true", count: 3 });
  });

  it("answers 400 invalid_json for a malformed body", async () => {
    const handler = route(createItem, async () => ({ id: "x", count: 1 }));
    const response = await handler(post("{not json"), ctx({ group: "abc" }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_json");
    expect(body.error.message).toMatch(/not valid JSON/);
  });

  it("answers 400 invalid_input with the path of every issue", async () => {
    const handler = route(createItem, async () => ({ id: "x", count: 1 }));
    const response = await handler(
      post('{"name":"","count":1.5}', "http://x/api/v1/test/abc/items?dryRun=maybe"),
      ctx({ group: "ABC" }),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_input");
    const paths = body.error.details.issues.map((issue: { path: string[] }) => issue.path.join("."));
    // Params are checked first; the first failing part stops the request.
    expect(paths).toEqual(["params.group"]);

    const second = await handler(
      post('{"name":"","count":1.5}', "http://x/api/v1/test/abc/items"),
      ctx({ group: "abc" }),
    );
    const issues = (await second.json()).error.details.issues.map((issue: { path: string[] }) =>
      issue.path.join("."),
    );
    expect(issues).toEqual(["body.name", "body.count"]);
  });

  it("answers invalid_input for a missing body when one is required", async () => {
    const handler = route(createItem, async () => ({ id: "x", count: 1 }));
    const response = await handler(post(""), ctx({ group: "abc" }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_input");
  });

  it("answers 413 too_large for a body over the endpoint's limit", async () => {
    const handler = route(createItem, async () => ({ id: "x", count: 1 }));
    const response = await handler(
      post(JSON.stringify({ name: "n".repeat(300), count: 1 })),
      ctx({ group: "abc" }),
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("too_large");
  });

  it.each([
    ["not_found", 404],
    ["conflict", 409],
    ["forbidden", 403],
    ["unauthorized", 401],
    ["rate_limited", 429],
    ["unavailable", 503],
  ] as const)("maps AppError %s to %i with its message and details", async (code, status) => {
    const handler = route(createItem, async () => {
      throw new AppError(code, `it is ${code}`, { details: { hint: 1 } });
    });
    const response = await handler(post('{"name":"a","count":1}'), ctx({ group: "abc" }));
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({
      error: { code, message: `it is ${code}`, details: { hint: 1 } },
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it("answers 500 internal for an unknown error without leaking it, and logs it", async () => {
    const handler = route(createItem, async () => {
      throw new Error("password=hunter2 at /srv/secret.ts:10");
    });
    const response = await handler(post('{"name":"a","count":1}'), ctx({ group: "abc" }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "Internal server error" } });
    expect(text).not.toContain("hunter2");
    expect(logged).toHaveBeenCalledOnce();
  });

  it("treats an answer that breaks the output schema as an internal error", async () => {
    const handler = route(createItem, async () => ({ id: 7 }) as never);
    const response = await handler(post('{"name":"a","count":1}'), ctx({ group: "abc" }));
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe("internal");
    expect(logged).toHaveBeenCalledOnce();
  });

  it("lets a handler choose another status with reply()", async () => {
    const read = defineEndpoint({ method: "get", path: "/api/v1/test", summary: "t", output: item });
    const handler = route(read, async () => reply(503, { id: "x", count: 0 }));
    const response = await handler(new Request("http://x/api/v1/test"));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ id: "x", count: 0 });
  });

  it("ignores no body on GET and needs no route context", async () => {
    const read = defineEndpoint({ method: "get", path: "/api/v1/test", summary: "t", output: item });
    const handler = route(read, async ({ params, body }) => ({
      id: String(params ?? body ?? "none"),
      count: 0,
    }));
    const response = await handler(new Request("http://x/api/v1/test"));
    expect(await response.json()).toEqual({ id: "none", count: 0 });
  });
});
