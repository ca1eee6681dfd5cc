import { describe, expect, it } from "vitest";
import {
  errorFingerprint,
  normalizeErrorText,
  tracebackException,
  tracebackFrames,
} from "./error-fingerprint";

describe("normalizeErrorText", () => {
  it("blanks numbers, alone or with decimals, but not the digits inside names", () => {
    expect(normalizeErrorText("1 failed, 0 error(s) of 12 tests in 0.17s")).toBe(
      "<n> failed, <n> error(s) of <n> tests in <n>s",
    );
    expect(normalizeErrorText("res.partner(42,) on test_x2 of model l10n_be")).toBe(
      "res.partner(<n>,) on test_x2 of model l10n_be",
    );
    expect(normalizeErrorText("at 2026-12-06 10:00:02,420")).toBe("at <n>-<n>-<n> <n>");
  });

  it("blanks UUIDs, hex addresses and long hex ids as whole tokens", () => {
    expect(normalizeErrorText("db 5f0c8e36-2a1b-4c7d-9e8f-0123456789ab gone")).toBe("db <uuid> gone");
    expect(normalizeErrorText("<object at 0x7f3a2b1c4d90>")).toBe("<object at <addr>>");
    expect(normalizeErrorText("commit 3f786850e387550fdab836ed7e6dc881de23001b")).toBe("commit <hex>");
    // A word of hex letters only is a word, not an id.
    expect(normalizeErrorText("deadbeefcafe is fine")).toBe("deadbeefcafe is fine");
  });

  it("blanks Gantry's database names and the build's own strings", () => {
    expect(normalizeErrorText("database gantry_b_ck1abc0001 and gantry_p_main, tpl_17_0_ab12")).toBe(
      "database <db> and <db>, <db>",
    );
    expect(
      normalizeErrorText("cannot open /srv/builds/ck1abc/data/x", {
        literals: ["/srv/builds/ck1abc", "ck1abc"],
      }),
    ).toBe("cannot open <build>/data/x");
    // Short literals would eat ordinary words: ignored.
    expect(normalizeErrorText("an id", { literals: ["id"] })).toBe("an id");
  });

  it("blanks quoted values, single or double, but keeps apostrophes inside words", () => {
    expect(normalizeErrorText(`Invalid field 'foo_42' on model "res.partner"`)).toBe(
      `Invalid field '<v>' on model "<v>"`,
    );
    expect(normalizeErrorText("don't stop")).toBe("don't stop");
    expect(normalizeErrorText(`value 'it\\'s' here`)).toBe("value '<v>' here");
  });

  it("collapses whitespace and is stable on its own output", () => {
    const once = normalizeErrorText("  a\t\tb \n 12  'x' ");
    expect(once).toBe("a b <n> '<v>'");
    expect(normalizeErrorText(once)).toBe(once);
  });

  it("stays linear on hostile input", () => {
    const hostile = `${"'".repeat(50_000)}${"9".repeat(50_000)}${"0x".repeat(20_000)}`;
    expect(normalizeErrorText(hostile).length).toBeGreaterThan(0);
  });
});

const traceback = (line: number, value: string) => [
  "Traceback (most recent call last):",
  `  File "/mnt/extra-addons/acme/models.py", line ${line}, in compute_total`,
  "    total = sum(values)",
  `  File "/usr/lib/python3/dist-packages/odoo/fields.py", line ${line + 100}, in __get__`,
  "    raise ValueError(x)",
  `ValueError: Expected singleton: sale.order(${value})`,
  "",
];

describe("traceback frames and exception", () => {
  it("takes file and function of every frame, never the line number", () => {
    expect(tracebackFrames(traceback(10, "1, 2"))).toEqual([
      { file: "/mnt/extra-addons/acme/models.py", function: "compute_total" },
      { file: "/usr/lib/python3/dist-packages/odoo/fields.py", function: "__get__" },
    ]);
  });

  it("takes the exception after the last frame, normalised", () => {
    expect(tracebackException(traceback(10, "1, 2"))).toBe("ValueError: Expected singleton: sale.order(<n>)");
    expect(tracebackException(["no traceback here"])).toBeNull();
  });
});

describe("errorFingerprint", () => {
  const base = { logger: "odoo.addons.acme.models", message: "Failed to compute total of record 12" };

  it("is the same for the same fault with other ids, lines and values", () => {
    const a = errorFingerprint({ ...base, continuation: traceback(10, "1, 2") });
    const b = errorFingerprint({
      ...base,
      message: "Failed to compute total of record 9876",
      continuation: traceback(57, "33, 34, 35"),
    });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it("differs by logger, message, exception and frames", () => {
    const a = errorFingerprint({ ...base, continuation: traceback(10, "1") });
    expect(
      errorFingerprint({ ...base, logger: "odoo.addons.other", continuation: traceback(10, "1") }),
    ).not.toBe(a);
    expect(
      errorFingerprint({ ...base, message: "Another fault 12", continuation: traceback(10, "1") }),
    ).not.toBe(a);
    const otherException = traceback(10, "1").map((l) => l.replace("ValueError", "KeyError"));
    expect(errorFingerprint({ ...base, continuation: otherException })).not.toBe(a);
    const otherFunction = traceback(10, "1").map((l) => l.replace("compute_total", "compute_tax"));
    expect(errorFingerprint({ ...base, continuation: otherFunction })).not.toBe(a);
  });

  it("treats a traceback starting in the message (output without a log record) like any other", () => {
    const [first, ...rest] = traceback(10, "1");
    const a = errorFingerprint({ logger: null, message: first as string, continuation: rest });
    const b = errorFingerprint({
      logger: null,
      message: first as string,
      continuation: traceback(99, "8").slice(1),
    });
    expect(a).toBe(b);
  });
});
