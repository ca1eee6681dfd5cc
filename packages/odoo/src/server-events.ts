// What Odoo's prefork server says about its own workers (odoo/service/server.py): a worker
// replaced because it reached a limit (memory, requests, CPU time, or killed by the watchdog
// for its real time), and a cron worker killed for its time. The Monitor counts them per
// sample. The log is the tenant's text: a forged line only inflates its own build's counts.
export type ServerEvent = "worker-recycled" | "cron-timeout";

// `2024-05-01 10:00:00,123 42 INFO db odoo.service.server: Worker (43) ...`
const odooLine = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ [A-Z]+ \S+ odoo\.service\.server: (.*)$/;

const cronTimeout = /^WorkerCron \(\d+\) timeout after \d+s/;
const recycled = [
  /^Worker(HTTP)? \(\d+\) timeout after \d+s/,
  /^Worker \(\d+\) max request \(\d+\) reached/,
  /^Worker \(\d+\) (virtual )?memory limit \(\d+\) reached/,
  /^Worker \(\d+\) max memory reached/,
  /^Worker \(\d+\) CPU time limit \(\d+\) reached/,
  /^Worker \(\d+\) virtual real time limit \(\d+\) reached/,
];

/** The server event a line of odoo.log reports, or null. */
export function serverEventOf(line: string): ServerEvent | null {
  const match = odooLine.exec(line);
  if (!match) return null;
  const message = match[1] as string;
  if (cronTimeout.test(message)) return "cron-timeout";
  return recycled.some((rule) => rule.test(message)) ? "worker-recycled" : null;
}

/** Counts of each event over lines of odoo.log. */
export function countServerEvents(lines: Iterable<string>): { workerRecycles: number; cronTimeouts: number } {
  const counts = { workerRecycles: 0, cronTimeouts: 0 };
  for (const line of lines) {
    const event = serverEventOf(line);
    if (event === "worker-recycled") counts.workerRecycles += 1;
    else if (event === "cron-timeout") counts.cronTimeouts += 1;
  }
  return counts;
}
