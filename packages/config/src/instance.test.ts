import { afterEach, describe, expect, it } from "vitest";
import { resetConfigForTests } from "./config";
import { instanceId } from "./instance";

const saved = process.env.DATABASE_URL;

function withDatabase(url: string): string {
  process.env.DATABASE_URL = url;
  resetConfigForTests();
  return instanceId();
}

afterEach(() => {
  process.env.DATABASE_URL = saved;
  resetConfigForTests();
});

describe("instanceId", () => {
  it("names the instance by its database's address, whatever the credentials", () => {
    const one = withDatabase("postgresql://gantry:a@db.example:5432/gantry");
    expect(one).toMatch(/^[0-9a-f]{12}$/);
    expect(withDatabase("postgresql://other:b@db.example/gantry")).toBe(one);
    expect(withDatabase("postgresql://gantry:a@db.example:5432/gantry_two")).not.toBe(one);
    expect(withDatabase("postgresql://gantry:a@db2.example:5432/gantry")).not.toBe(one);
  });
});
