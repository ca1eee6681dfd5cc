import { describe, expect, it } from "vitest";
import { poolName, poolOf } from "./pool";

describe("the pool of a stage's builds", () => {
  it("is the stage's name when the server names no pool, for every stage it serves", () => {
    const main = { pool: null };
    expect(poolOf(main, "PRODUCTION")).toBe("production");
    expect(poolOf(main, "STAGING")).toBe("staging");
    expect(poolOf({ pool: null }, "DEVELOPMENT")).toBe("development");
  });

  it("is the server's own pool whatever the stage", () => {
    const customer = { pool: "customer-a" };
    expect(poolOf(customer, "DEVELOPMENT")).toBe("customer-a");
    expect(poolOf(customer, "PRODUCTION")).toBe("customer-a");
  });

  it("accepts label-safe names only", () => {
    for (const good of ["customer-a", "dev_2", "7eu"])
      expect(poolName.safeParse(good).success, good).toBe(true);
    for (const bad of ["", "Customer", "-a", "a==b", "a b", "a,node.role==manager", "a".repeat(64)]) {
      expect(poolName.safeParse(bad).success, bad).toBe(false);
    }
  });
});
