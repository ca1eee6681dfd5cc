import { describe, expect, it } from "vitest";
import { nodeLostText, placementText } from "./placement";

const served = {
  stage: "DEVELOPMENT",
  servingAt: "2026-12-07T10:00:00.000Z",
  cleanedAt: null,
  sleepingSince: null,
  servingNode: "node-2",
};

describe("where a build runs", () => {
  it("runs on its node while it serves", () => {
    expect(placementText(served)).toBe("Runs on node-2");
  });

  it("ran there once asleep or cleaned", () => {
    expect(placementText({ ...served, sleepingSince: "2026-12-07T11:00:00.000Z" })).toBe("Ran on node-2");
    expect(placementText({ ...served, cleanedAt: "2026-12-07T12:00:00.000Z" })).toBe("Ran on node-2");
  });

  it("says nothing before it served or without a recorded node", () => {
    expect(placementText({ ...served, servingAt: null })).toBeNull();
    expect(placementText({ ...served, servingNode: null })).toBeNull();
  });

  it("says when the cluster lost its node, and what each stage does about it", () => {
    expect(nodeLostText(served)).toBeNull();
    const lostAt = "2026-12-07T10:42:00.000Z";
    const development = nodeLostText({ ...served, nodeLostAt: lostAt });
    expect(development?.title).toBe("Node node-2 stopped answering the cluster at 10:42 UTC");
    expect(development?.detail).toMatch(/another node of its pool/);
    expect(nodeLostText({ ...served, stage: "PRODUCTION", nodeLostAt: lostAt })?.detail).toMatch(
      /^Production waits for its node/,
    );
    expect(nodeLostText({ ...served, nodeLostAt: lostAt, cleanedAt: lostAt })).toBeNull();
  });
});
