import { afterEach, describe, expect, it, vi } from "vitest";
import { CLEARED_PG_VARIABLES, connectionArgs, connectionEnv } from "./environment";

const login = { host: "db.example", port: 5433, user: "gantry_b_1", password: "s3cret" };
// The environment a child inherits is the process's: hostile libpq defaults are planted there.
function setEnv(values: Record<string, string>) {
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("connectionEnv", () => {
  it("clears every libpq variable that would redirect the connection", () => {
    setEnv(Object.fromEntries(CLEARED_PG_VARIABLES.map((key) => [key, "planted"])));
    const env = connectionEnv({ ...login, password: undefined });
    for (const key of CLEARED_PG_VARIABLES) expect(env[key], key).toBeUndefined();
    for (const key of ["PGDATABASE", "PGSERVICE", "PGOPTIONS", "PGPASSFILE", "PGHOSTADDR"])
      expect(Object.hasOwn(env, key), key).toBe(false);
  });

  it("passes the password as PGPASSWORD and keeps the rest of the environment", () => {
    setEnv({ PGPASSWORD: "someone-elses", GANTRY_TEST_KEEP: "kept" });
    const env = connectionEnv(login);
    expect(env.PGPASSWORD).toBe("s3cret");
    expect(env.GANTRY_TEST_KEEP).toBe("kept");
  });

  it("puts the caller's variables last", () => {
    setEnv({ PGOPTIONS: "-c search_path=evil" });
    const env = connectionEnv(login, { PGOPTIONS: "-c synchronous_commit=off", PGAPPNAME: "gantry-copy" });
    expect(env.PGOPTIONS).toBe("-c synchronous_commit=off");
    expect(env.PGAPPNAME).toBe("gantry-copy");
  });
});

describe("connectionArgs", () => {
  it("names host, port and user, and never prompts for a password", () => {
    expect(connectionArgs(login)).toEqual([
      "--host",
      "db.example",
      "--port",
      "5433",
      "--username",
      "gantry_b_1",
      "--no-password",
    ]);
    expect(connectionArgs({ host: "h", user: "u" })).toContain("5432");
  });

  it("never carries the password", () => {
    expect(connectionArgs(login).join(" ")).not.toContain("s3cret");
  });
});
