// What an SSH clone's stderr means, in words a project admin can act on.
export type SshFailure = "key_refused" | "host_key_changed" | "host_unknown" | "unreachable";

export function sshFailureOf(stderr: string): SshFailure | null {
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr))
    return "host_key_changed";
  if (
    /Permission denied \(publickey|Permission denied, please try again|ERROR: Repository not found/i.test(
      stderr,
    )
  )
    return "key_refused";
  if (/Host key verification failed/i.test(stderr)) return "host_unknown";
  if (/Could not resolve hostname|Connection refused|Connection timed out|No route to host/i.test(stderr))
    return "unreachable";
  return null;
}
