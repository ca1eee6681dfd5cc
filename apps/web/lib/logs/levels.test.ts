import { describe, expect, it } from "vitest";
import { atLeast, classify, levelOf, matching } from "./levels";

const info = "2024-05-01 12:00:00,123 4242 INFO acme odoo.modules.loading: loading 42 modules...";
const warning = "2024-05-01 12:00:01,004 4242 WARNING acme odoo.models: field x has no string";
const error = "2024-05-01 12:00:02,500 4242 ERROR acme odoo.addons.acme.tests: FAIL: test_total";
const traceback = "Traceback (most recent call last):";

describe("levelOf", () => {
  it("reads the level of Odoo's line format", () => {
    expect(levelOf(info)).toBe("INFO");
    expect(levelOf(warning)).toBe("WARNING");
    expect(levelOf(error)).toBe("ERROR");
    expect(levelOf("2024-05-01 12:00:02,500 7 CRITICAL ? odoo.service.server: down")).toBe("CRITICAL");
    expect(levelOf("2024-05-01 12:00:02,500 7 DEBUG ? odoo.sql_db: query")).toBe("DEBUG");
  });

  it("finds no level in continuation lines or in words that look like one", () => {
    expect(levelOf(traceback)).toBeNull();
    expect(levelOf('  File "x.py", line 3, in test_total ERROR')).toBeNull();
    expect(levelOf("INFO something")).toBeNull();
    expect(levelOf("")).toBeNull();
  });
});

describe("classify and atLeast", () => {
  it("gives a traceback the level of the line it follows", () => {
    const lines = classify([info, error, traceback, '  File "x.py"', warning]);
    expect(lines.map((l) => l.level)).toEqual(["INFO", "ERROR", "ERROR", "ERROR", "WARNING"]);
    expect(atLeast(lines, "ERROR").map((l) => l.text)).toEqual([error, traceback, '  File "x.py"']);
    expect(atLeast(lines, "WARNING")).toHaveLength(4);
    expect(atLeast(lines, "DEBUG")).toHaveLength(5);
  });

  it("carries the level across chunks of a stream", () => {
    const first = classify([info, error]);
    const second = classify([traceback], first.at(-1)!.level);
    expect(second[0]!.level).toBe("ERROR");
  });

  it("keeps lines that precede any Odoo line (pip output) at every level", () => {
    const lines = classify(["Collecting requests", info]);
    expect(atLeast(lines, "CRITICAL").map((l) => l.text)).toEqual(["Collecting requests"]);
  });
});

describe("matching", () => {
  it("searches without regard to case, and an empty query keeps all", () => {
    const lines = classify([info, warning, error]);
    expect(matching(lines, "fail").map((l) => l.level)).toEqual(["ERROR"]);
    expect(matching(lines, "  ")).toHaveLength(3);
    expect(matching(lines, "nothing like this")).toHaveLength(0);
  });
});
