import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADDONS,
  checkout,
  cloneDb,
  DB_ARGS,
  dataDir,
  dropDb,
  logsOf,
  makeTemplate,
  odooDetached,
  removeContainer,
  removeTestContainers,
  requireImages,
  uniqueDb,
  waitFor,
} from "./helpers";
import { freePort } from "./smtp";

const dbs: string[] = [];
const name = `gantry-standin-serve-${process.pid}`;
let port: number;

beforeAll(async () => {
  await requireImages(["17.0"]);
  const template = await makeTemplate();
  dbs.push(template);
  const db = uniqueDb();
  dbs.push(db);
  await cloneDb(template, db);
  port = await freePort();
  const source = await checkout("acme17", "main");
  await odooDetached(
    [
      "odoo",
      "-d",
      db,
      ...DB_ARGS,
      "--addons-path",
      ADDONS,
      "--http-interface",
      "127.0.0.1",
      "--http-port",
      String(port),
    ],
    { name, source, data: await dataDir() },
  );
  await waitFor("the HTTP server", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/web/health`);
    return res.ok ? true : undefined;
  });
});

afterAll(async () => {
  await removeContainer(name);
  await removeTestContainers();
  for (const db of dbs) await dropDb(db);
});

async function login(password: string) {
  return fetch(`http://127.0.0.1:${port}/web/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: "admin", password }).toString(),
  });
}

describe("serving mode", () => {
  it("answers /web/health", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/web/health`);
    expect(await res.json()).toEqual({ status: "pass" });
  });

  it("returns the version over JSON-RPC", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/web/webclient/version_info`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: {}, id: 1 }),
    });
    const body = (await res.json()) as { result: { server_serie: string; server_version: string } };
    expect(body.result.server_serie).toBe("17.0");
  });

  it("logs admin/admin in and redirects to /web with a session", async () => {
    const res = await login("admin");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/web");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/session_id=/);
    const web = await fetch(`http://127.0.0.1:${port}/web`, {
      headers: { cookie: cookie.split(";")[0] ?? "" },
    });
    expect(web.status).toBe(200);
  });

  it("rejects a wrong password", async () => {
    const res = await login("not-the-password");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Wrong login/password");
  });

  it("shuts down gracefully on SIGTERM", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    await promisify(execFile)("docker", ["stop", "-t", "20", name]);
    const logs = await logsOf(name);
    expect(logs).toMatch(/odoo\.service\.server: Initiating shutdown/);
    const { stdout } = await promisify(execFile)("docker", ["inspect", "-f", "{{.State.ExitCode}}", name]);
    expect(stdout.trim()).toBe("0");
  });
});
