import { beforeAll, expect, it } from "vitest";

beforeAll(() => {
  throw new Error("the service did not start");
});
it("needs the service", () => expect(1).toBe(1));
it("needs it too", () => expect(1).toBe(1));
