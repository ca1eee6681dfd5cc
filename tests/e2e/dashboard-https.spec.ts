// The dashboard over HTTPS in Chromium: a Caddy of the spec's own, configured by Gantry's
// routeDashboard (HTTPS=acme, PUBLIC_URL=https://<name>), proxies <name> to this suite's web
// app with a certificate from pebble. A Chromium whose NSS database trusts pebble's root loads
// the sign-in page over https without any certificate error and gets HSTS; http:// is
// redirected there. A Chromium without that root refuses the same page: the trust is the root's.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Browser, chromium, expect, test } from "@playwright/test";
import { PrivateCaddy } from "../integration/routing/private-caddy";
import { freePort } from "../integration/worker/private-redis";
import { Pebble, TestDns } from "../support/pebble";
import { runId } from "./fixtures/auth";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const host = `gantry-${runId}.example.test`.toLowerCase();
const caddy = new PrivateCaddy();
const dns = new TestDns();
const pebble = new Pebble();
const home = mkdtempSync(join(tmpdir(), "gantry-chromium-"));
let browsers: { trusting: Browser; plain: Browser };

/** Chromium with `host`'s ports 80 and 443 resolved to the spec's Caddy, and `env` (its HOME). */
function launch(httpPort: number, httpsPort: number, env: Record<string, string> = {}): Promise<Browser> {
  const rules = `MAP ${host}:443 127.0.0.1:${httpsPort}, MAP ${host}:80 127.0.0.1:${httpPort}`;
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", `--host-resolver-rules=${rules}`],
    env: { ...process.env, ...env },
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const httpPort = await freePort();
  const httpsPort = await freePort();
  await dns.start({ ipv6: false });
  await pebble.start(dns.server, { httpPort, tlsPort: httpsPort });
  await caddy.start();
  const env = {
    ...process.env,
    CADDY_ADMIN_URL: caddy.adminUrl,
    CADDY_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    CADDY_HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
    HTTPS: "acme",
    ACME_CA: pebble.directory,
    ACME_CA_ROOT: pebble.serverRootFile,
    PUBLIC_URL: `https://${host}`,
    // This suite's web app (playwright.config.ts).
    WEB_HOST: "127.0.0.1",
    WEB_PORT: "3100",
  };
  const routed = await run("node", ["--import", "tsx", "tests/support/route-dashboard.ts"], {
    cwd: root,
    env,
  });
  expect(routed.stdout.trim()).toBe(host);
  // Chromium on Linux trusts the roots of the NSS database under $HOME/.pki/nssdb.
  const nssdb = join(home, ".pki", "nssdb");
  const rootFile = join(home, "pebble-root.pem");
  writeFileSync(rootFile, await pebble.management("/roots/0"));
  execFileSync("mkdir", ["-p", nssdb]);
  execFileSync("certutil", ["-N", "-d", `sql:${nssdb}`, "--empty-password"]);
  execFileSync("certutil", [
    "-A",
    "-d",
    `sql:${nssdb}`,
    "-n",
    "pebble test root",
    "-t",
    "C,,",
    "-i",
    rootFile,
  ]);
  browsers = {
    trusting: await launch(httpPort, httpsPort, { HOME: home }),
    plain: await launch(httpPort, httpsPort, { HOME: mkdtempSync(join(home, "plain-")) }),
  };
});

test.afterAll(async () => {
  await browsers?.trusting.close();
  await browsers?.plain.close();
  await caddy.remove();
  await pebble.remove();
  await dns.stop();
  rmSync(home, { recursive: true, force: true });
});

test("the sign-in page over HTTPS with a valid certificate and HSTS; http:// redirects", async () => {
  const page = await browsers.trusting.newPage();
  // The certificate is obtained in the background once the route is set: until then, no page.
  await expect(async () => {
    const response = await page.goto(`http://${host}/login`);
    expect(response?.url()).toBe(`https://${host}/login`);
  }).toPass({ timeout: 90_000 });

  const response = await page.goto(`https://${host}/login`);
  expect(response?.status()).toBe(200);
  const security = await response?.securityDetails();
  expect(security?.issuer).toMatch(/Pebble/i);
  expect(security?.subjectName).toBe(host);
  expect(security?.validTo).toBeGreaterThan(Date.now() / 1000);
  expect(response?.headers()["strict-transport-security"]).toBe("max-age=31536000");
  await expect(page.getByRole("heading", { name: "Sign in to Gantry" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("01-sign-in-over-https.png"), fullPage: true });

  // The redirect itself, in a fresh context (no HSTS remembered): Caddy answers http:// with a
  // permanent redirect to https://, without HSTS on the plain answer.
  const fresh = await browsers.trusting.newContext();
  const second = await fresh.newPage();
  const landed = await second.goto(`http://${host}/login`);
  const hop = landed?.request().redirectedFrom();
  expect(hop?.url()).toBe(`http://${host}/login`);
  const hopResponse = await hop?.response();
  expect(hopResponse?.status()).toBe(308);
  expect(hopResponse?.headers()["strict-transport-security"]).toBeUndefined();
  expect(landed?.url()).toBe(`https://${host}/login`);
  await fresh.close();

  // Without pebble's root the same page is refused: the certificate is valid through that root.
  const untrusting = await browsers.plain.newPage();
  await expect(untrusting.goto(`https://${host}/login`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
});
