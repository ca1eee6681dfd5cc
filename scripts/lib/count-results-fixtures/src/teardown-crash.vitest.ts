import { afterAll, expect, it } from "vitest";

afterAll(() => {
  throw new Error("the service did not stop");
});
it("fails", () => expect(1).toBe(2));
