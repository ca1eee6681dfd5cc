// Custom domains in the browser: an Admin adds a domain that points at Gantry (verified, with its
// DNS answer), one that points elsewhere (unverified: the reason, the answer and the record to
// create are shown), is refused a name under Gantry's own domain, and removes a domain. DNS
// answers come from pebble-challtestsrv on the port the web app was told (fixtures/dns.ts).
import { expect, test } from "@playwright/test";
import { TestDns } from "../support/pebble";
import { runId, signIn } from "./fixtures/auth";
import { DNS_PORT } from "./fixtures/dns";
import { type ProjectSetup, projectSetup } from "./fixtures/project";

let setup: ProjectSetup;
const dns = new TestDns();

test.beforeAll(async () => {
  setup = await projectSetup("Domains");
  await dns.start({ port: DNS_PORT, ipv6: false });
});

test.afterAll(async () => {
  await setup?.close();
  await dns.stop();
});

test("a branch's custom domains: verified, unverified with the reason, refused, removed", async ({
  page,
}, testInfo) => {
  const shot = (name: string) =>
    page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const project = await setup.project("Domains");
  const branch = await setup.branch(project, "main", "PRODUCTION");
  const good = `shop-${runId}.example.test`;
  const elsewhere = `old-${runId}.example.test`;
  await dns.point(elsewhere, ["192.0.2.7"], []);

  await signIn(page, setup.admin);
  await page.goto(`/projects/${project.id}/branches/${branch.id}`);
  const panel = page.getByRole("region", { name: "Custom domains" });
  await expect(panel.getByText("No custom domain")).toBeVisible();
  const add = async (name: string) => {
    await panel.getByRole("textbox", { name: "Domain name" }).fill(name);
    await panel.getByRole("button", { name: "Add domain" }).click();
  };

  await add(good);
  const goodRow = panel.getByRole("listitem", { name: good });
  await expect(goodRow.getByText("verified", { exact: true })).toBeVisible();
  await expect(goodRow.getByText("primary")).toBeVisible();
  await expect(goodRow.getByText("A 127.0.0.1")).toBeVisible();

  await add(elsewhere);
  const badRow = panel.getByRole("listitem", { name: elsewhere });
  await expect(badRow.getByText("not verified")).toBeVisible();
  await expect(
    badRow.getByText(/points at 192\.0\.2\.7, which is not Gantry's address \(127\.0\.0\.1\)/),
  ).toBeVisible();
  const records = badRow.getByRole("table", { name: `DNS records for ${elsewhere}` });
  await expect(records.getByRole("row").nth(1)).toContainText(`${elsewhere}CNAME`);
  await expect(records).toContainText("127.0.0.1");
  await shot("01-domains");

  await add(`x-${runId}.localhost`);
  await expect(panel.getByRole("alert")).toContainText("Gantry's own build addresses");
  await shot("02-refused");

  await badRow.getByRole("button", { name: "Remove" }).click();
  await expect(badRow).toHaveCount(0);
  await expect(goodRow).toBeVisible();
  await shot("03-removed");
});
