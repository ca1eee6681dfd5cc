// The Notifications section of a project's settings in Chromium: an Admin adds a generic
// webhook channel (its secret given, so the receiver can check it), sends a test, sees the
// result and the delivery in the list; the receiver got it signed.
import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver";
import { signIn } from "./fixtures/auth";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

const SECRET = "e2e-webhook-secret-0123456789";
let setup: ProjectSetup;
let receiver: HttpReceiver;

test.beforeAll(async () => {
  setup = await projectSetup("Notify");
  receiver = await startHttpReceiver();
});

test.afterAll(async () => {
  await setup?.close();
  await receiver?.close();
});

test("a webhook channel added, tested and its delivery listed", async ({ page }, testInfo) => {
  const project = await setup.project("Notify");
  await signIn(page, setup.admin);
  await page.goto(`/projects/${project.id}/settings`);
  const section = page.getByRole("region", { name: "Notifications" });
  // Every project starts with mail to its Admins; nothing sent yet.
  await expect(section.getByRole("listitem", { name: "Channel Project Admins" })).toBeVisible();
  await expect(section.getByText("Nothing sent yet.")).toBeVisible();

  const add = section.getByRole("form", { name: "Add a channel" });
  await add.getByLabel("Kind").selectOption("WEBHOOK");
  await add.getByLabel("Name").fill("Ops endpoint");
  await add.getByLabel("Webhook URL").fill(receiver.url("/gantry-hook"));
  await add.getByLabel("Secret (empty: generated)").fill(SECRET);
  await add.getByRole("button", { name: "Add channel" }).click();

  const channel = section.getByRole("listitem", { name: "Channel Ops endpoint" });
  await expect(channel).toBeVisible();
  // The URL is shown as a hint only.
  await expect(channel).not.toContainText("/gantry-hook");
  await channel.getByRole("button", { name: "Send test" }).click();
  await expect(channel.getByRole("status")).toHaveText(/Test delivered \(HTTP 200\)/);

  const deliveries = section.getByRole("table", { name: "Notification deliveries" });
  await expect(deliveries.getByRole("row").filter({ hasText: "Ops endpoint" })).toContainText("DELIVERED");
  await expect(deliveries).toContainText("#1 HTTP 200");
  await page.screenshot({ path: testInfo.outputPath("notifications.png"), fullPage: true });

  const received = receiver.requests.filter((r) => r.path === "/gantry-hook");
  expect(received).toHaveLength(1);
  const [request] = received;
  expect(request?.headers["x-gantry-event"]).toBe("test");
  const expected = `sha256=${createHmac("sha256", SECRET).update(request!.body).digest("hex")}`;
  expect(request?.headers["x-gantry-signature-256"]).toBe(expected);
});
