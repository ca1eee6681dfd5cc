import { describe, expect, it } from "vitest";
import { findWeakCredentials, resetPasswordStatements } from "./credentials";
import { ab64Decode, ab64Encode, hashPassword, parsePbkdf2Hash, verifyPassword } from "./passwords";

// Known-correct hashes of "password" from passlib's own test suite (test_handlers: the
// pbkdf2_sha1/sha256/sha512 handler cases), so the format is checked against passlib itself
// even where python's passlib is not installed.
const PASSLIB_VECTORS = [
  "$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI",
  "$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ",
  "$pbkdf2-sha512$1212$RHY0Fr3IDMSVO/RSZyb5ow$eNLfBK.eVozomMr.1gYa17k9B7KIK25NOEshvhrSX.esqY3s.FvWZViXz4KoLlQI.BzY/YTNJOiKc5gBYFYGww",
];

describe("passlib pbkdf2 hashes", () => {
  it.each(PASSLIB_VECTORS)("verifies passlib's vector %s", async (hash) => {
    expect(await verifyPassword("password", hash)).toBe(true);
    expect(await verifyPassword("p4ssword", hash)).toBe(false);
  });

  it("reproduces passlib's vector from its salt", async () => {
    const vector = PASSLIB_VECTORS[2] as string;
    const parsed = parsePbkdf2Hash(vector);
    expect(parsed?.rounds).toBe(1212);
    expect(
      await hashPassword("password", { scheme: "pbkdf2-sha512", rounds: 1212, salt: parsed?.salt }),
    ).toBe(vector);
  });

  it("round-trips its own hashes, in Odoo's format by default", async () => {
    const hash = await hashPassword("admin", { rounds: 2000 });
    expect(hash).toMatch(/^\$pbkdf2-sha512\$2000\$[A-Za-z0-9./]{22}\$[A-Za-z0-9./]{86}$/);
    expect(await verifyPassword("admin", hash)).toBe(true);
    expect(await verifyPassword("Admin", hash)).toBe(false);
    const sha256 = await hashPassword("demo", { scheme: "pbkdf2-sha256", rounds: 1000 });
    expect(await verifyPassword("demo", sha256)).toBe(true);
  });

  it("adapted base64 uses . for + and drops padding", () => {
    const bytes = Buffer.from([0xfb, 0xef, 0xbe, 0xff]);
    expect(Buffer.from(bytes).toString("base64")).toBe("++++/w==");
    expect(ab64Encode(bytes)).toBe("..../w");
    expect(ab64Decode("..../w")).toEqual(bytes);
  });

  it("treats values without $ as plaintext and never matches unknown or abusive hashes", async () => {
    expect(await verifyPassword("admin", "admin")).toBe(true);
    expect(await verifyPassword("admin", "admin2")).toBe(false);
    expect(await verifyPassword("admin", "")).toBe(false);
    expect(
      await verifyPassword("password", "$2b$12$abcdefghijklmnopqrstuu5Ok7FpY3I8mM2kEJqW0uJj3h3dC8mGa"),
    ).toBe(false);
    expect(
      await verifyPassword(
        "password",
        "$pbkdf2-sha512$99999999$RHY0Fr3IDMSVO/RSZyb5ow$eNLfBK.eVozomMr.1gYa17k9B7KIK25NOEshvhrSX.esqY3s.FvWZViXz4KoLlQI.BzY/YTNJOiKc5gBYFYGww",
      ),
    ).toBe(false);
  });
});

describe("credentials check", () => {
  it("finds users with a known demo/test password, hashed or plaintext", async () => {
    const rows = [
      { id: 2, login: "admin", password: await hashPassword("admin", { rounds: 1500 }) },
      { id: 6, login: "demo", password: "demo" },
      { id: 7, login: "portal", password: await hashPassword("a strong one", { rounds: 1500 }) },
      { id: 8, login: "alice", password: await hashPassword("admin", { rounds: 1500 }) },
      { id: 9, login: "demo2", password: null },
    ];
    expect(await findWeakCredentials(rows)).toEqual([
      { id: 2, login: "admin" },
      { id: 6, login: "demo" },
    ]);
    expect(await findWeakCredentials(rows, [{ login: "alice", password: "admin" }])).toEqual([
      { id: 8, login: "alice" },
    ]);
  });

  it("resets them to unusable random passwords with parameterised SQL", async () => {
    const statements = await resetPasswordStatements(
      [
        { id: 2, login: "admin" },
        { id: 6, login: "demo" },
      ],
      { rounds: 1000 },
    );
    expect(statements.map((s) => s.sql)).toEqual([
      "UPDATE res_users SET password = $1 WHERE id = $2",
      "UPDATE res_users SET password = $1 WHERE id = $2",
    ]);
    expect(statements[0]?.params[1]).toBe(2);
    const hashes = statements.map((s) => s.params[0] as string);
    expect(hashes[0]).not.toBe(hashes[1]);
    for (const hash of hashes) {
      expect(parsePbkdf2Hash(hash)?.scheme).toBe("pbkdf2-sha512");
      expect(await verifyPassword("admin", hash)).toBe(false);
      expect(await verifyPassword("demo", hash)).toBe(false);
    }
  });
});
