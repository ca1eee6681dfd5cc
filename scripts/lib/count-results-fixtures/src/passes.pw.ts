import { expect, test } from "@playwright/test";

test("passes", () => expect(1).toBe(1));
test.skip("is skipped", () => expect(1).toBe(2));
test("is skipped at run time", () => {
  test.skip(true, "not on this machine");
});
