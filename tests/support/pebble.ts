// Let's Encrypt's test servers from Debian's pebble package, on loopback ports of the test's own:
// pebble-challtestsrv as the DNS server the test controls (every name answers 127.0.0.1 and ::1
// unless told otherwise through its management API), and pebble itself as the ACME directory,
// validating challenges against the test's Caddy and resolving names through that DNS server.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../integration/worker/private-redis";

async function until(what: string, ready: () => Promise<boolean>, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (await ready().catch(() => false)) return;
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  // Ended already (by an exit or a signal, e.g. a test that stopped it early): nothing to wait for.
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** pebble-challtestsrv's DNS server and management API. */
export class TestDns {
  dnsPort = 0;
  private managementPort = 0;
  private child: ChildProcess | undefined;

  get server(): string {
    return `127.0.0.1:${this.dnsPort}`;
  }

  /**
   * `ipv6: false`: no AAAA answers (pebble prefers IPv6 when validating; a Caddy on 127.0.0.1
   * only). `port`: the DNS port, when a server started beforehand was told it (end-to-end).
   */
  async start(options: { ipv6?: boolean; port?: number } = {}): Promise<void> {
    this.dnsPort = options.port ?? (await freePort());
    this.managementPort = await freePort();
    const child = spawn(
      "pebble-challtestsrv",
      [
        "-dns01",
        this.server,
        "-management",
        `127.0.0.1:${this.managementPort}`,
        ...(options.ipv6 === false ? ["-defaultIPv6", ""] : []),
        "-http01",
        "",
        "-https01",
        "",
        "-tlsalpn01",
        "",
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    await until("pebble-challtestsrv", async () => (await fetch(this.url("/"))).status > 0, child);
  }

  private url(path: string): string {
    return `http://127.0.0.1:${this.managementPort}${path}`;
  }

  private async post(path: string, body: unknown): Promise<void> {
    const response = await fetch(this.url(path), { method: "POST", body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`challtestsrv ${path}: ${response.status} ${await response.text()}`);
  }

  /** Answers A and AAAA queries for `host` with these addresses instead of 127.0.0.1 and ::1. */
  async point(host: string, ipv4: string[], ipv6: string[]): Promise<void> {
    const name = `${host}.`;
    await this.post("/clear-a", { host: name });
    await this.post("/clear-aaaa", { host: name });
    if (ipv4.length > 0) await this.post("/add-a", { host: name, addresses: ipv4 });
    if (ipv6.length > 0) await this.post("/add-aaaa", { host: name, addresses: ipv6 });
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

/** pebble, with a TLS certificate of its own for its directory (made with openssl). */
export class Pebble {
  readonly dir = mkdtempSync(join(tmpdir(), "gantry-pebble-"));
  port = 0;
  managementPort = 0;
  private child: ChildProcess | undefined;

  /** The PEM of the CA that signed pebble's own TLS certificate (what Caddy trusts for ACME_CA). */
  get serverRootFile(): string {
    return join(this.dir, "server-ca.pem");
  }

  get directory(): string {
    return `https://127.0.0.1:${this.port}/dir`;
  }

  /**
   * `httpPort`/`tlsPort`: where pebble sends its HTTP-01 and TLS-ALPN-01 validation requests;
   * `validitySeconds`: the lifetime of the certificates it issues (pebble's default: five years),
   * short enough for Caddy to renew them while a test watches.
   */
  async start(
    dnsServer: string,
    ports: { httpPort: number; tlsPort: number; validitySeconds?: number },
  ): Promise<void> {
    this.port = await freePort();
    this.managementPort = await freePort();
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: this.dir, stdio: "ignore" });
    openssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=gantry test pebble CA",
      "-keyout",
      "server-ca.key",
      "-out",
      "server-ca.pem",
    );
    openssl(
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-subj",
      "/CN=127.0.0.1",
      "-keyout",
      "key.pem",
      "-out",
      "server.csr",
    );
    writeFileSync(join(this.dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl(
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "server-ca.pem",
      "-CAkey",
      "server-ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "ext.cnf",
      "-out",
      "cert.pem",
    );
    const configFile = join(this.dir, "pebble.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${this.port}`,
          managementListenAddress: `127.0.0.1:${this.managementPort}`,
          certificate: join(this.dir, "cert.pem"),
          privateKey: join(this.dir, "key.pem"),
          httpPort: ports.httpPort,
          tlsPort: ports.tlsPort,
          ocspResponderURL: "",
          externalAccountBindingRequired: false,
          ...(ports.validitySeconds ? { certificateValidityPeriod: ports.validitySeconds } : {}),
        },
      }),
    );
    // No random refusals of nonces or waits: the test is about Gantry, not pebble's chaos.
    const env = { ...process.env, PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_VA_NOSLEEP: "1" };
    const child = spawn("pebble", ["-config", configFile, "-dnsserver", dnsServer], {
      cwd: this.dir,
      env,
      stdio: ["ignore", "ignore", "ignore"],
    });
    this.child = child;
    await until("pebble", async () => (await this.management("/roots/0")).length > 0, child);
  }

  /** A GET on pebble's management API (e.g. /roots/0: the root of the certificates it issues). */
  management(path: string): Promise<string> {
    const ca = readFileSync(this.serverRootFile);
    return new Promise((resolve, reject) => {
      const request = httpsRequest(
        { host: "127.0.0.1", port: this.managementPort, path, ca, servername: "localhost" },
        (response) => {
          let body = "";
          response.on("data", (chunk) => {
            body += chunk;
          });
          response.on("end", () => (response.statusCode === 200 ? resolve(body) : reject(new Error(body))));
        },
      );
      request.on("error", reject);
      request.end();
    });
  }

  async remove(): Promise<void> {
    await stopChild(this.child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
