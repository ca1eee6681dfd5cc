// Odoo's output when the PostgreSQL server went away under it (restarted, crashed, out of
// reach): psycopg2's and the server's own words. A run that failed with one of these lines
// failed because of the server, not the code, and its build should say so.
const LOST =
  /server closed the connection unexpectedly|terminating connection due to administrator command|the database system is (?:shutting down|starting up|in recovery mode)|could not connect to server|connection to server at .{1,200} failed|SSL SYSCALL error: EOF detected|connection already closed/i;

/** The part of a log line that says the database connection was lost, or null. */
export function databaseConnectionLost(line: string): string | null {
  const found = LOST.exec(line);
  return found ? found[0] : null;
}

/** The reason a person reads when a run failed on a lost database connection. */
export function databaseLostReason(evidence: string): string {
  return (
    `Odoo lost its connection to the database server ("${evidence}"): the server restarted or ` +
    "went away during this run. The code is not at fault as far as this run shows; build again " +
    "once the server is back"
  );
}
