import { describe, expect, it } from "vitest";
import { gitHost } from "./clone-source";
import { commitStateOf } from "./feedback";

describe("commit states", () => {
  it("follows Odoo.sh: green is success, yellow and red are failure", () => {
    expect(commitStateOf({ status: "QUEUED", result: null })).toBe("pending");
    expect(commitStateOf({ status: "RUNNING", result: null })).toBe("pending");
    expect(commitStateOf({ status: "DONE", result: "SUCCESS" })).toBe("success");
    expect(commitStateOf({ status: "DONE", result: "WARNING" })).toBe("failure");
    expect(commitStateOf({ status: "DONE", result: "FAILED" })).toBe("failure");
    expect(commitStateOf({ status: "CANCELLED", result: null })).toBe("error");
    expect(commitStateOf({ status: "DONE", result: null })).toBe("error");
  });
});

describe("gitHost", () => {
  it("clones from github.com for the public API and from the server of an Enterprise API", () => {
    expect(gitHost("https://api.github.com")).toBe("github.com");
    expect(gitHost("https://ghe.example.com/api/v3")).toBe("ghe.example.com");
  });
});
