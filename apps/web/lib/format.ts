/** Small display helpers shared by client components (no server imports here). */

export function timeOfDay(date: Date): string {
  return date.toLocaleTimeString("en-GB", { hour12: false });
}

export function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}

const labels: Record<string, string> = {
  database: "Database",
  migrations: "Migrations",
  redis: "Redis",
  docker: "Docker",
  worker: "Worker",
};

export function componentLabel(name: string): string {
  return labels[name] ?? name;
}
