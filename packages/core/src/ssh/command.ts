import { type Config, config } from "@gantry/config";

/** The ssh command that opens a build's shell: the dashboard's host, SSH_LISTEN's port. */
export function sshCommand(
  user: string,
  settings: Pick<Config, "SSH_LISTEN" | "PUBLIC_URL"> = config(),
): string {
  const port = settings.SSH_LISTEN.slice(settings.SSH_LISTEN.lastIndexOf(":") + 1);
  return `ssh ${user}@${new URL(settings.PUBLIC_URL).hostname} -p ${port}`;
}

/** The SSH user naming a build: the slug of its URL (the first label of its host), else its id. */
export function sshUserOf(build: { id: string; url: string | null }): string {
  return build.url ? (new URL(build.url).hostname.split(".")[0] ?? build.id) : build.id;
}
