// `--test-tags` specs: comma-separated `[-][tag][/module][:class][.method]` (Odoo's
// TagsSelector). An include without a tag means the `standard` tag; `*` means every tag.
import { MODULE_NAME_PATTERN } from "./graph";

const SPEC = /^([+-]?)(\*|\w*)(?:\/([\w/]*(?:\.py)?))?(?::(\w*))?(?:\.(\w*))?$/;

export interface TestTagSpec {
  exclude: boolean;
  tag?: string;
  module?: string;
  className?: string;
  method?: string;
}

export class TestTagsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TestTagsError";
  }
}

export function parseTestTags(spec: string): TestTagSpec[] {
  if (spec.length > 4096) throw new TestTagsError("test tags longer than 4096 characters");
  const parts = spec
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  return parts.map((part) => {
    const match = SPEC.exec(part);
    if (!match || part === "-" || part === "+") {
      throw new TestTagsError(
        `invalid test tag ${JSON.stringify(part)}: expected [-][tag][/module][:class][.method], e.g. /my_module or -at_install`,
      );
    }
    const [, sign, tag, module, className, method] = match;
    return {
      exclude: sign === "-",
      ...(tag ? { tag } : {}),
      ...(module ? { module } : {}),
      ...(className ? { className } : {}),
      ...(method ? { method } : {}),
    };
  });
}

export function formatTestTags(specs: readonly TestTagSpec[]): string {
  return specs
    .map(
      (s) =>
        `${s.exclude ? "-" : ""}${s.tag ?? ""}${s.module ? `/${s.module}` : ""}${s.className ? `:${s.className}` : ""}${s.method ? `.${s.method}` : ""}`,
    )
    .join(",");
}

export interface TestTagSettings {
  /** The branch's own spec, as typed in its settings (validated). Replaces the module default. */
  custom?: string;
  /** Restrict the tests to these modules (the ones the build installs). */
  modules?: readonly string[];
  /** Tags to leave out, e.g. `post_install` or `-at_install` spelled without the dash. */
  excludeTags?: readonly string[];
}

/** The `--test-tags` value for a build, or undefined when Odoo's default applies. */
export function buildTestTags(settings: TestTagSettings): string | undefined {
  const specs: TestTagSpec[] = [];
  if (settings.custom?.trim()) {
    specs.push(...parseTestTags(settings.custom));
  } else {
    for (const module of settings.modules ?? []) {
      if (!MODULE_NAME_PATTERN.test(module))
        throw new TestTagsError(`invalid module name ${JSON.stringify(module)}`);
      specs.push({ exclude: false, module });
    }
  }
  for (const tag of settings.excludeTags ?? []) {
    const name = tag.replace(/^-/, "");
    if (!/^\w+$/.test(name)) throw new TestTagsError(`invalid tag ${JSON.stringify(tag)}`);
    specs.push({ exclude: true, tag: name });
  }
  return specs.length > 0 ? formatTestTags(specs) : undefined;
}
