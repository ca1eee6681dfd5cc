// What a fault run counts and prints: trials, faults injected, and per check how often it was
// made and how often it failed (a violation; the goal is 0). The kept test reads the same tally.
export interface Tally {
  fault: string;
  trials: number;
  faults: number;
  checks: Map<string, { made: number; violations: string[] }>;
  notes: string[];
}

export function newTally(fault: string): Tally {
  return { fault, trials: 0, faults: 0, checks: new Map(), notes: [] };
}

/** Records one check: `problems` empty means it held. */
export function check(tally: Tally, what: string, problems: string[]): void {
  const entry = tally.checks.get(what) ?? { made: 0, violations: [] };
  entry.made += 1;
  entry.violations.push(...problems);
  tally.checks.set(what, entry);
}

export function violations(tally: Tally): string[] {
  return [...tally.checks.entries()].flatMap(([what, entry]) => entry.violations.map((v) => `${what}: ${v}`));
}

export function formatTally(tally: Tally): string {
  const rows = [...tally.checks.entries()].map(([what, entry]) => [
    what,
    String(entry.made),
    String(entry.violations.length),
  ]);
  const lines = [
    `${tally.fault}: ${tally.trials} trials, ${tally.faults} faults injected`,
    "",
    "| check | made | violations |",
    "| --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
  const all = violations(tally);
  if (all.length) lines.push("", "violations:", ...all.map((v) => `  - ${v}`));
  if (tally.notes.length) lines.push("", ...tally.notes.map((n) => `  ${n}`));
  return lines.join("\n");
}
