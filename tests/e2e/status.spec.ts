import { expect, test } from "@playwright/test";
import { createUser, signIn } from "./fixtures/auth";

const components = ["database", "migrations", "redis", "docker", "worker"];

test.describe("Status page", () => {
  test("shows every component with its state and refreshes", async ({ page }) => {
    await page.goto("/status");
    await expect(page.getByRole("heading", { level: 1, name: "Status" })).toBeVisible();
    for (const name of components) {
      const row = page.getByTestId(`component-${name}`);
      await expect(row).toBeVisible();
      await expect(row).toHaveAttribute("data-ok", "true");
      await expect(row).toContainText("ms");
    }
    await expect(page.getByTestId("health-summary")).toContainText("All systems operational");
    // Queue depth per queue and the worker count, for anyone.
    for (const queue of ["builds", "backups", "migrations", "maintenance"]) {
      await expect(page.getByTestId(`queue-${queue}`)).toBeVisible();
    }
    await expect(page.getByTestId("worker-count")).toContainText(/Live workers \([1-9]\d*\)/);
    // A stranger sees no host, process, version or check text: those are the administrators'.
    await expect(page.getByTestId("worker")).toHaveCount(0);
    await expect(page.getByTestId("component-redis")).not.toContainText("reachable at");
    await expect(page.getByTestId("component-docker")).not.toContainText("Docker Engine");
    // Diagnostics are for platform administrators: nobody else is offered them.
    await expect(page.getByRole("button", { name: "Run diagnostics" })).toHaveCount(0);

    const refresh = page.getByTestId("last-refresh");
    await expect(refresh).toContainText("Last refresh");
    const first = await refresh.textContent();
    // The page polls on its own: the refresh time changes without a reload.
    await expect(refresh).not.toHaveText(first ?? "", { timeout: 15_000 });
  });

  test("runs diagnostics on a worker and shows the result", async ({ page, request }) => {
    await signIn(page, await createUser(request, "StatusRoot", { isAdmin: true }));
    await page.goto("/status");
    // Administrators see who the workers are.
    await expect(page.getByTestId("worker").first()).toBeVisible();
    const button = page.getByRole("button", { name: "Run diagnostics" });
    await button.click();
    const job = page.getByTestId("diagnostics-job");
    await expect(job).toBeVisible();
    await expect(job).toHaveAttribute("data-state", "completed", { timeout: 60_000 });
    await expect(page.getByTestId("diagnostics-result")).not.toBeEmpty();
    await expect(button).toBeEnabled();
  });

  test("the main navigation marks the Status page and links to Projects", async ({ page }) => {
    await page.goto("/status");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Status" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Projects" })).toHaveAttribute("href", "/projects");
    await expect(nav.getByRole("link", { name: "Projects" })).not.toHaveAttribute("aria-current", "page");
  });
});
