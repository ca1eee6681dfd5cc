import type { DockerOptions } from "dockerode";

/**
 * Turns a DOCKER_HOST-style address (`unix:///var/run/docker.sock`, `tcp://host:2375`, or a
 * bare socket path) into dockerode's connection options.
 */
export function dockerOptionsFromHost(host: string): DockerOptions {
  if (host.startsWith("/")) return { socketPath: host };
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new Error(
      `unsupported Docker host ${JSON.stringify(host)}: expected unix:///path or tcp://host:port`,
    );
  }
  if (url.protocol === "unix:") return { socketPath: url.pathname };
  if (url.protocol === "tcp:" || url.protocol === "http:") {
    return { protocol: "http", host: url.hostname, port: Number(url.port || 2375) };
  }
  if (url.protocol === "https:")
    return { protocol: "https", host: url.hostname, port: Number(url.port || 2376) };
  throw new Error(
    `unsupported Docker host ${JSON.stringify(host)}: expected unix:///path or tcp://host:port`,
  );
}
