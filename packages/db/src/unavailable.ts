// Whether an error means Gantry's database cannot be reached right now (down, restarting,
// connections cut, pool exhausted) rather than a bug: the API answers such errors with 503
// and the caller tries again. Prisma reports them in several shapes: its own P1xxx codes, and
// through the pg driver adapter a DriverAdapterError whose kind or PostgreSQL state says so.

// Can't reach the server, timed out, server closed the connection, pool timeout.
const prismaCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const adapterKinds = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
// admin_shutdown, crash_shutdown, cannot_connect_now; class 08 is connection exceptions.
const pgStates = /^(57P01|57P02|57P03|08\w{3})$/;
const nodeCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN"]);
const pgMessages =
  /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/i;

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const code = fieldOf(error, "code");
  if (typeof code === "string" && (prismaCodes.has(code) || pgStates.test(code) || nodeCodes.has(code)))
    return true;
  const kind = fieldOf(error, "kind");
  if (typeof kind === "string" && adapterKinds.has(kind)) return true;
  const originalCode = fieldOf(error, "originalCode");
  if (typeof originalCode === "string" && pgStates.test(originalCode)) return true;
  const message = fieldOf(error, "message");
  if (typeof message === "string" && pgMessages.test(message)) return true;
  return [fieldOf(error, "cause"), fieldOf(fieldOf(error, "meta"), "driverAdapterError")].some((inner) =>
    isDatabaseUnavailable(inner, depth + 1),
  );
}
