import { describe, expect, it } from "vitest";

it("passes", () => expect(1).toBe(1));
it.skip("is skipped", () => expect(1).toBe(2));
it.todo("is still to write");
describe.skip("a skipped group", () => {
  it("is skipped with its group", () => expect(1).toBe(2));
});
