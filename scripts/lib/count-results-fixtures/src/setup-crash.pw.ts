import { expect, test } from "@playwright/test";

test.beforeAll(() => {
  throw new Error("the service did not start");
});
test("needs the service", () => expect(1).toBe(1));
test("needs it too", () => expect(1).toBe(1));
