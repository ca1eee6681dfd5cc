import { describe, expect, it } from "vitest";
import {
  demoArgs,
  entrypointEnvironment,
  installCommand,
  neutralizeCommand,
  odooConfigFile,
  REDACTED,
  redactCommand,
  serveCommand,
  shellCommand,
  updateCommand,
} from "./commands";
import { buildTestTags, parseTestTags } from "./test-tags";

const connection = { host: "db.internal", port: 5432, user: "build_42", password: "s3cr3t pass;rm -rf /" };
const base = {
  db: "proj-main-42",
  connection,
  addonsPath: ["/mnt/extra-addons", "/mnt/extra-addons/vendor/oca-web"],
  dataDir: "/var/lib/odoo",
};

describe("installCommand", () => {
  it("builds the argument array for a tested development install on 17.0", () => {
    expect(
      installCommand({
        ...base,
        modules: ["my_sale", "my_stock"],
        series: "17.0",
        demo: false,
        tests: { tags: "/my_sale,/my_stock" },
      }),
    ).toEqual([
      "odoo",
      "-d",
      "proj-main-42",
      "--db_host",
      "db.internal",
      "--db_port",
      "5432",
      "--db_user",
      "build_42",
      "--db_password",
      "s3cr3t pass;rm -rf /",
      "--addons-path",
      "/mnt/extra-addons,/mnt/extra-addons/vendor/oca-web",
      "--data-dir",
      "/var/lib/odoo",
      "--log-level",
      "info",
      "-i",
      "my_sale,my_stock",
      "--stop-after-init",
      "--without-demo=all",
      "--test-enable",
      "--test-tags",
      "/my_sale,/my_stock",
    ]);
  });

  it("handles demo data per series", () => {
    expect(demoArgs("17.0", true)).toEqual([]);
    expect(demoArgs("17.0", false)).toEqual(["--without-demo=all"]);
    expect(demoArgs("saas-18.2", false)).toEqual(["--without-demo=all"]);
    expect(demoArgs("saas-18.3", true)).toEqual(["--with-demo"]);
    expect(demoArgs("saas-18.3", false)).toEqual([]);
    expect(demoArgs("19.0", true)).toEqual(["--with-demo"]);
    const args = installCommand({ ...base, modules: ["base"], series: "19.0", demo: true });
    expect(args).toContain("--with-demo");
    expect(args).not.toContain("--test-enable");
  });

  it("validates everything that becomes an argument", () => {
    expect(() => installCommand({ ...base, modules: ["a,b"], series: "17.0", demo: true })).toThrow(
      /invalid module/,
    );
    expect(() => installCommand({ ...base, modules: [], series: "17.0", demo: true })).toThrow(/no modules/);
    expect(() => installCommand({ ...base, db: "-rf", modules: ["x"], series: "17.0", demo: true })).toThrow(
      /database name/,
    );
    expect(() =>
      installCommand({ ...base, addonsPath: ["/a,b"], modules: ["x"], series: "17.0", demo: true }),
    ).toThrow(/addons path/);
    expect(() =>
      installCommand({ ...base, modules: ["x"], series: "17.0", demo: true, tests: { tags: "/x;rm" } }),
    ).toThrow(/invalid test tag/);
    expect(() =>
      installCommand({
        ...base,
        connection: { ...connection, host: "--evil" },
        modules: ["x"],
        series: "17.0",
        demo: true,
      }),
    ).toThrow(/host/);
  });
});

describe("other commands", () => {
  it("update", () => {
    const args = updateCommand({ ...base, modules: ["my_sale"] });
    expect(args.slice(-3)).toEqual(["-u", "my_sale", "--stop-after-init"]);
    expect(updateCommand({ ...base, modules: "all", omitPassword: true })).not.toContain("--db_password");
  });

  it("update installing new modules in the same run, with tests", () => {
    const args = updateCommand({
      ...base,
      modules: ["my_sale"],
      install: ["my_new"],
      tests: { tags: "/my_sale,/my_new" },
    });
    expect(args.slice(-8)).toEqual([
      "-i",
      "my_new",
      "-u",
      "my_sale",
      "--stop-after-init",
      "--test-enable",
      "--test-tags",
      "/my_sale,/my_new",
    ]);
    expect(() => updateCommand({ ...base, modules: ["my_sale"], install: ["bad name"] })).toThrow(
      /invalid module/,
    );
  });

  it("serve", () => {
    const args = serveCommand({
      ...base,
      db: "proj.main",
      workers: 2,
      maxCronThreads: 1,
      limitTimeReal: 600,
      smtp: { server: "mailcatcher", port: 1025 },
    });
    expect(args.slice(17)).toEqual([
      "--http-interface",
      "0.0.0.0",
      "--http-port",
      "8069",
      "--workers",
      "2",
      "--max-cron-threads",
      "1",
      "--limit-time-real",
      "600",
      "--proxy-mode",
      "--smtp",
      "mailcatcher",
      "--smtp-port",
      "1025",
      "--db-filter",
      "^proj\\.main$",
      "--no-database-list",
    ]);
    expect(() => serveCommand({ ...base, workers: -1, maxCronThreads: 1 })).toThrow(/workers/);
  });

  it("serve reads a config file first when given one, holding the master password", () => {
    const args = serveCommand({
      ...base,
      workers: 1,
      maxCronThreads: 1,
      configFile: "/etc/odoo/gantry.conf",
    });
    expect(args.slice(0, 3)).toEqual(["odoo", "-c", "/etc/odoo/gantry.conf"]);
    expect(() =>
      serveCommand({ ...base, workers: 1, maxCronThreads: 1, configFile: "relative.conf" }),
    ).toThrow(/config file/);
    expect(odooConfigFile({ adminPasswd: "a".repeat(32) })).toBe(
      `[options]\nadmin_passwd = ${"a".repeat(32)}\n`,
    );
    // A newline would let the value add options of its own.
    expect(() => odooConfigFile({ adminPasswd: `${"a".repeat(20)}\nlist_db = True` })).toThrow(
      /master password/,
    );
    expect(() => odooConfigFile({ adminPasswd: "short" })).toThrow(/master password/);
    // Connect's key goes into the same file, checked the same way.
    expect(odooConfigFile({ adminPasswd: "a".repeat(32), connectKey: "k".repeat(43) })).toBe(
      `[options]\nadmin_passwd = ${"a".repeat(32)}\ngantry_connect_key = ${"k".repeat(43)}\n`,
    );
    expect(() =>
      odooConfigFile({ adminPasswd: "a".repeat(32), connectKey: `${"k".repeat(40)}\nlist_db = True` }),
    ).toThrow(/connect key/);
  });

  it("serve loads the server-wide modules it is given, checked like module names", () => {
    const args = serveCommand({
      ...base,
      workers: 1,
      maxCronThreads: 1,
      serverWideModules: ["base", "web", "gantry_connect"],
    });
    expect(args).toContain("--load=base,web,gantry_connect");
    expect(serveCommand({ ...base, workers: 1, maxCronThreads: 1 }).some((a) => a.startsWith("--load"))).toBe(
      false,
    );
    expect(() =>
      serveCommand({ ...base, workers: 1, maxCronThreads: 1, serverWideModules: ["web,evil"] }),
    ).toThrow(/invalid module names/);
  });

  it("serve logs in to the mail server with the build's own credentials, checked", () => {
    const serve = (smtp: { server: string; port: number; user?: string; password?: string }) =>
      serveCommand({ ...base, workers: 1, maxCronThreads: 1, smtp });
    const args = serve({ server: "127.0.0.1", port: 2525, user: "build42", password: "a1b2" });
    const at = args.indexOf("--smtp-user");
    expect(args.slice(at, at + 4)).toEqual(["--smtp-user", "build42", "--smtp-password", "a1b2"]);
    expect(redactCommand(args)).not.toContain("a1b2");
    expect(() => serve({ server: "127.0.0.1", port: 2525, user: "a b", password: "x" })).toThrow(/SMTP user/);
    expect(() => serve({ server: "127.0.0.1", port: 2525, user: "b", password: "" })).toThrow(/password/);
    expect(() => serve({ server: "127.0.0.1", port: 2525, user: "b", password: "x y" })).toThrow(/password/);
  });

  it("neutralize and shell put the subcommand first", () => {
    expect(neutralizeCommand(base).slice(0, 4)).toEqual(["odoo", "neutralize", "-d", "proj-main-42"]);
    expect(shellCommand({ ...base, binary: "/opt/odoo/odoo-bin" }).slice(0, 2)).toEqual([
      "/opt/odoo/odoo-bin",
      "shell",
    ]);
  });

  it("redacts the database password in every spelling", () => {
    const args = installCommand({ ...base, modules: ["x"], series: "17.0", demo: true });
    const redacted = redactCommand([
      ...args,
      "--db_password=other",
      "-wglued",
      "-w",
      "short",
      "--smtp-password",
      "p",
    ]);
    expect(redacted.join(" ")).not.toMatch(/s3cr3t|other|glued|short| p\b/);
    expect(redacted).toContain(REDACTED);
    expect(redacted.length).toBe(args.length + 6);
    // The original is left alone.
    expect(args).toContain(connection.password);
  });

  it("gives the official entrypoint the same connection", () => {
    expect(entrypointEnvironment(connection)).toEqual({
      HOST: "db.internal",
      PORT: "5432",
      USER: "build_42",
      PASSWORD: connection.password,
    });
  });
});

describe("test tags", () => {
  it("parses Odoo's spec syntax", () => {
    expect(parseTestTags("/my_module, -at_install,post_install/sale:TestSale.test_x,-/web,*,+slow")).toEqual([
      { exclude: false, module: "my_module" },
      { exclude: true, tag: "at_install" },
      { exclude: false, tag: "post_install", module: "sale", className: "TestSale", method: "test_x" },
      { exclude: true, module: "web" },
      { exclude: false, tag: "*" },
      { exclude: false, tag: "slow" },
    ]);
    for (const bad of ["-", "/my mod", "a;b", "tag/mod:Class.meth.extra", "$(id)"]) {
      expect(() => parseTestTags(bad)).toThrow(/invalid test tag/);
    }
  });

  it("builds a spec from branch settings", () => {
    expect(buildTestTags({ modules: ["my_sale", "my_stock"] })).toBe("/my_sale,/my_stock");
    expect(buildTestTags({ modules: ["my_sale"], excludeTags: ["-at_install"] })).toBe(
      "/my_sale,-at_install",
    );
    expect(buildTestTags({ custom: " :TestX , -slow", modules: ["ignored"] })).toBe(":TestX,-slow");
    expect(buildTestTags({})).toBeUndefined();
    expect(() => buildTestTags({ custom: "/x y" })).toThrow();
    expect(() => buildTestTags({ modules: ["bad name"] })).toThrow();
  });
});
