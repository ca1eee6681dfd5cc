import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PythonLiteralError, parsePythonLiteral } from "./python-literal";

function python3Available(): boolean {
  try {
    execFileSync("python3", ["-c", "import ast, json"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function errorOf(source: string): PythonLiteralError {
  try {
    parsePythonLiteral(source);
  } catch (error) {
    if (error instanceof PythonLiteralError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

describe("parsePythonLiteral", () => {
  it("reads dicts, lists, tuples, numbers, booleans and None with comments and trailing commas", () => {
    const source = `# -*- coding: utf-8 -*-
{
    'name': "My Module",  # a comment
    'version': '17.0.1.0.3',
    'depends': ['base', 'mail',],
    'pair': (1, 2),
    'single': ('x',),
    'grouped': ('x'),
    'empty': (),
    'flags': [True, False, None],
    'numbers': [0, 42, -3, +4, 1_000, 0x1F, 0o17, 0b101, 1.5, .5, 5., 1e3, -2.5e-1],
    'nested': {'a': {'b': [{}]}},
}
`;
    expect(parsePythonLiteral(source)).toEqual({
      name: "My Module",
      version: "17.0.1.0.3",
      depends: ["base", "mail"],
      pair: [1, 2],
      single: ["x"],
      grouped: "x",
      empty: [],
      flags: [true, false, null],
      numbers: [0, 42, -3, 4, 1000, 31, 15, 5, 1.5, 0.5, 5, 1000, -0.25],
      nested: { a: { b: [{}] } },
    });
  });

  it("reads every string form: quotes, triple quotes, raw, prefixes, escapes, implicit concatenation", () => {
    const source = String.raw`[
      'single', "double", '''tri
ple''', """dq "inner" tri""",
      r'raw\n\'', R"C:\path", u'unicode', U"x",
      'a' "b" '''c''',
      'tab\there\x41\u00e9\U0001F600\101\0',
      'unknown\q', 'cont\
inued',
      b'bytes', rb'\d',
    ]`;
    expect(parsePythonLiteral(source)).toEqual([
      "single",
      "double",
      "tri\nple",
      'dq "inner" tri',
      "raw\\n\\'",
      "C:\\path",
      "unicode",
      "x",
      "abc",
      "tab\there\x41\u00e9\u{1F600}\x41\0",
      "unknown\\q",
      "continued",
      "bytes",
      "\\d",
    ]);
  });

  it("keeps a __proto__ key as plain data", () => {
    const value = parsePythonLiteral("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("reads set literals as lists of distinct items", () => {
    expect(parsePythonLiteral("{1, 2, 2, 'a'}")).toEqual([1, 2, "a"]);
  });

  it.each([
    ["__import__('os').system('id')", "names are not allowed", 1],
    ["{\n 'a': 1,\n 'b': open('/etc/passwd'),\n}", "names are not allowed", 3],
    ["{'a': 1 + 2}", "operator or symbol `+`", 1],
    ["{'a': [x for x in range(3)]}", "names are not allowed", 1],
    ["{'a': [1 for x in y]}", "`for`", 1],
    ["{'a': lambda: 1}", "`lambda`", 1],
    ["{'a': f'{1}'}", "f-strings are not literals", 1],
    ["{'a': 'x'.upper()}", "`.`", 1],
    ["{'a': 1}\n{'b': 2}", "after the literal", 2],
    ["{'a': 'unterminated}", "unterminated string", 1],
    ["{'a': '''never closed}", "unterminated string", 1],
    ["{'a': 01}", "leading zeros", 1],
    ["{'a': 1j}", "complex numbers", 1],
    ["{1: 'a'}", "dict keys must be strings", 1],
    ["{'a': b'x' 'y'}", "cannot mix bytes", 1],
    ["{'a': '\\N{BULLET}'}", "\\N{...}", 1],
    ["{'a': 1,,}", "`,`", 1],
    ["", "empty input", 1],
    ["{'a': [1, 2}", "`}`", 1],
  ])("rejects %j", (source, message, line) => {
    const error = errorOf(source);
    expect(error.message).toContain(message);
    expect(error.line).toBe(line);
  });

  it("bounds nesting depth without exhausting the stack", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(errorOf(deep).message).toContain("nesting deeper than 32 levels");
    expect(parsePythonLiteral(`${"[".repeat(32)}${"]".repeat(32)}`)).toBeDefined();
  });

  it("bounds input size before tokenizing", () => {
    const huge = `{'description': '${"x".repeat(10 * 1024 * 1024)}'}`;
    expect(errorOf(huge).message).toContain("input larger than");
  });

  it.skipIf(!python3Available())("agrees with Python's ast.literal_eval on a sample of inputs", () => {
    const samples = [
      "{'a': 'x' \"y\" '''z'''}",
      String.raw`['\x41\101\u00e9', r'\n', 'a\
b', '\q']`,
      "(1, -2.5, 0x10, 1_0, .5e1, [], {}, (), ('a',))",
      "{'k': {'n': [True, False, None]},}",
    ];
    // One interpreter for all samples: Python starts slowly.
    const json = execFileSync(
      "python3",
      [
        "-c",
        "import ast, json, sys; print(json.dumps([ast.literal_eval(s) for s in json.loads(sys.stdin.read())]))",
      ],
      { input: JSON.stringify(samples), encoding: "utf8" },
    );
    expect(samples.map((sample) => parsePythonLiteral(sample))).toEqual(JSON.parse(json));
  });
});
