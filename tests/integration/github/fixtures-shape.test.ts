// The stand-in's answers compared with real GitHub exchanges recorded in @octokit/fixtures:
// same status codes, same content type, same Link header form, and for every field the
// stand-in sends that GitHub also sent, the same JSON type (recursively).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubStandin, startGithubStandin } from "../../support/github-standin";

type Recorded = {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  response: unknown;
};

const fixturesRoot = join(
  dirname(createRequire(import.meta.url).resolve("@octokit/fixtures/package.json")),
  "scenarios/api.github.com",
);
const scenario = (name: string): Recorded[] =>
  JSON.parse(readFileSync(join(fixturesRoot, name, "normalized-fixture.json"), "utf8")) as Recorded[];

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Paths where both bodies have a field but of a different JSON type. */
function typeMismatches(ours: unknown, theirs: unknown, path = "$"): string[] {
  if (typeOf(ours) !== typeOf(theirs)) {
    // Nullable fields: GitHub records null where a value is optional (and the reverse).
    if (ours === null || theirs === null) return [];
    return [`${path}: ${typeOf(ours)} vs GitHub ${typeOf(theirs)}`];
  }
  if (Array.isArray(ours) && Array.isArray(theirs) && ours.length && theirs.length) {
    return typeMismatches(ours[0], theirs[0], `${path}[0]`);
  }
  if (typeOf(ours) === "object") {
    const a = ours as Record<string, unknown>;
    const b = theirs as Record<string, unknown>;
    return Object.keys(a)
      .filter((k) => k in b)
      .flatMap((k) => typeMismatches(a[k], b[k], `${path}.${k}`));
  }
  return [];
}

let gh: GithubStandin;
beforeAll(async () => {
  gh = await startGithubStandin();
  gh.addRepo({ owner: "octokit-fixture-org", name: "hello-world", private: false, defaultBranch: "main" });
});
afterAll(() => gh?.close());

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${gh.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

describe("stand-in vs recorded GitHub", () => {
  it("GET /repos/{owner}/{repo}", async () => {
    const [recorded] = scenario("get-repository");
    const ours = await call("GET", "/repos/octokit-fixture-org/hello-world");
    expect(ours.status).toBe(recorded!.status);
    expect(ours.headers.get("content-type")).toBe(recorded!.headers["content-type"]);
    expect(ours.headers.get("x-github-media-type")).toBe(recorded!.headers["x-github-media-type"]);
    const theirs = recorded!.response as Record<string, unknown>;
    // Fields Gantry and octokit consumers read must exist on both sides.
    for (const key of [
      "id",
      "name",
      "full_name",
      "private",
      "owner",
      "default_branch",
      "permissions",
      "clone_url",
      "ssh_url",
      "html_url",
      "archived",
    ]) {
      expect(theirs).toHaveProperty(key);
      expect(ours.body).toHaveProperty(key);
    }
    expect(Object.keys(ours.body.permissions).sort()).toEqual(
      Object.keys(theirs.permissions as object).sort(),
    );
    expect(Object.keys(ours.body).filter((k) => !(k in theirs))).toEqual([]);
    expect(typeMismatches(ours.body, theirs)).toEqual([]);
  });

  it("POST /repos/{owner}/{repo}/statuses/{sha} and GET .../commits/{ref}/statuses", async () => {
    const recorded = scenario("create-status");
    const create = recorded.find((r) => r.method === "post")!;
    const sha = create.path.split("/").at(-1)!;
    const ours = await call("POST", `/repos/octokit-fixture-org/hello-world/statuses/${sha}`, {
      state: "failure",
      target_url: "https://example.com",
      description: "create-status failure test",
      context: "example/1",
    });
    expect(ours.status).toBe(create.status);
    expect(Object.keys(ours.body).sort()).toEqual(Object.keys(create.response as object).sort());
    expect(typeMismatches(ours.body, create.response)).toEqual([]);

    const list = recorded.find((r) => r.method === "get" && r.path.endsWith("/statuses"))!;
    const listed = await call("GET", `/repos/octokit-fixture-org/hello-world/commits/${sha}/statuses`);
    expect(listed.status).toBe(list.status);
    expect(typeMismatches(listed.body, list.response)).toEqual([]);
  });

  it("Link pagination headers have GitHub's form", async () => {
    const pages = scenario("paginate-issues");
    gh.addRepo({
      owner: "octokit-fixture-org",
      name: "paginated",
      branches: Array.from({ length: 13 }, (_, i) => ({ name: `b${i}`, sha: String(i).padStart(40, "0") })),
    });
    const form = (link: string) =>
      link.split(", ").map((part) => {
        const m = /^<([^>]+)>; rel="(\w+)"$/.exec(part);
        expect(m, part).not.toBeNull();
        const url = new URL(m![1]!);
        return `${m![2]} per_page=${url.searchParams.get("per_page")} page=${url.searchParams.get("page")}`;
      });
    // Same page size and position as the recording: 13 items, 3 per page -> 5 pages.
    for (const [index, recorded] of pages.entries()) {
      const ours = await call(
        "GET",
        `/repos/octokit-fixture-org/paginated/branches?per_page=3&page=${index + 1}`,
      );
      expect(ours.body).toHaveLength((recorded.response as unknown[]).length);
      expect(form(ours.headers.get("link")!)).toEqual(form(recorded.headers.link!));
    }
  });

  it("error bodies: 404 and 422 carry message, documentation_url and errors[] like GitHub", async () => {
    const notFound = scenario("branch-protection").find((r) => r.status === 404)!;
    const ours404 = await call("GET", "/repos/octokit-fixture-org/hello-world/branches/nope");
    expect(ours404.status).toBe(404);
    expect(Object.keys(ours404.body).sort()).toEqual(Object.keys(notFound.response as object).sort());

    const validation = scenario("errors")[0]!;
    const ours422 = await call("POST", "/repos/octokit-fixture-org/hello-world/hooks", { config: {} });
    expect(ours422.status).toBe(validation.status);
    expect(ours422.body.message).toBe((validation.response as { message: string }).message);
    expect(Object.keys(ours422.body).sort()).toEqual(Object.keys(validation.response as object).sort());
    expect(typeMismatches(ours422.body, validation.response)).toEqual([]);
  });
});
