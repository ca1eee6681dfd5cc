// Where Caddy reaches Gantry's web app (the wake page, the TLS ask endpoint).
import { config } from "@gantry/config";

/** Where Caddy reaches the web app: its own address, or loopback when it listens everywhere. */
export function webDial(): string {
  const { WEB_HOST: host, WEB_PORT: port } = config();
  if (host === "" || host === "0.0.0.0" || host === "::") return `127.0.0.1:${port}`;
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
