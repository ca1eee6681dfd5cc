// The command line of a benchmark: `--name value` options and bare `--flag`s.
const args = process.argv.slice(2);

export function option(name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

export function flag(name: string): boolean {
  return args.includes(name);
}
