import { expect, test } from "@playwright/test";
import { createUser, signIn } from "./fixtures/auth";

// On the one-host runtime the e2e suite runs: this machine is the only node.
test.describe("Nodes page", () => {
  test("lists this host and refuses to drain it, saying why", async ({ page, request }, testInfo) => {
    await signIn(page, await createUser(request, "NodesRoot", { isAdmin: true }));
    await page.goto("/projects");
    // The side menu has the platform's pages for its administrators.
    const menu = page.getByRole("navigation", { name: "Main" });
    await expect(menu.getByRole("link", { name: "Database servers" })).toBeVisible();
    await menu.getByRole("link", { name: "Nodes" }).click();
    await expect(page).toHaveURL(/\/nodes$/);
    await expect(page.getByRole("heading", { level: 1, name: "Nodes" })).toBeVisible();
    const rows = page.getByTestId("node-row");
    await expect(rows).toHaveCount(1);
    const row = rows.first();
    await expect(row.getByRole("cell").nth(1)).toHaveText("all");
    await expect(row).toContainText("ready");
    await expect(row.getByTestId("node-availability")).toHaveText("active");
    await expect(row).toContainText(/of \d+ CPU/);
    await page.screenshot({ path: testInfo.outputPath("nodes.png"), fullPage: true });

    // Drain asks first; cancelling changes nothing.
    await row.getByRole("button", { name: "Drain" }).click();
    await expect(row).toContainText("Its builds move to the other nodes of its pool");
    await row.getByRole("button", { name: "Cancel" }).click();
    await row.getByRole("button", { name: "Drain" }).click();
    await row.getByRole("button", { name: "Confirm drain" }).click();
    const refusal = page.getByTestId("node-action-error");
    await expect(refusal).toContainText("only node");
    await expect(refusal).toContainText("cannot be drained");
    await expect(row.getByTestId("node-availability")).toHaveText("active");
    await page.screenshot({ path: testInfo.outputPath("nodes-drain-refused.png"), fullPage: true });
  });

  test("is for platform administrators only, page and API", async ({ page, request }) => {
    await signIn(page, await createUser(request, "NodesMember"));
    await page.goto("/status");
    await expect(page.getByRole("link", { name: "Nodes" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Database servers" })).toHaveCount(0);
    const answer = await page.goto("/nodes");
    expect(answer?.status()).toBe(404);
    const listed = await page.request.get("/api/v1/system/nodes");
    expect(listed.status()).toBe(403);
    const drained = await page.request.post("/api/v1/system/nodes/any/availability", {
      data: { availability: "drain" },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(drained.status()).toBe(403);
  });
});
