// Images reach the nodes through a registry: an image the local engine holds (built or tagged
// there) is pushed under the registry's name once per image id, and services name it the way
// the nodes pull it.
import type Docker from "dockerode";

export interface RegistryAddresses {
  /** `host:port` the local engine pushes to. */
  push: string;
  /** `host:port` the nodes pull from (the same registry as the nodes reach it). */
  pull: string;
}

function withTag(reference: string): string {
  const lastSlash = reference.lastIndexOf("/");
  return reference.slice(lastSlash + 1).includes(":") ? reference : `${reference}:latest`;
}

export class ImagePublisher {
  private readonly pushed = new Map<string, string>();

  constructor(
    private readonly builder: Docker,
    private readonly registry: RegistryAddresses | undefined,
  ) {}

  /** The reference nodes pull `reference` by, pushing it first when its image is new. */
  async publish(reference: string): Promise<string> {
    if (!this.registry) return reference; // the nodes are expected to hold it already
    const name = withTag(reference);
    const id = (await this.builder.getImage(reference).inspect()).Id;
    const target = `${this.registry.push}/${name}`;
    if (this.pushed.get(target) !== id) {
      const [repo, tag] = [
        target.slice(0, target.lastIndexOf(":")),
        target.slice(target.lastIndexOf(":") + 1),
      ];
      await this.builder.getImage(id).tag({ repo, tag });
      try {
        // The engine wants an X-Registry-Auth header even for a registry without authentication.
        const stream = await this.builder
          .getImage(target)
          .push({ authconfig: { username: "", password: "", serveraddress: this.registry.push } });
        await new Promise<void>((resolve, reject) => {
          this.builder.modem.followProgress(
            stream,
            (error: Error | null) => (error ? reject(error) : resolve()),
            (event: { error?: string }) => {
              if (event.error) reject(new Error(`pushing ${target}: ${event.error}`));
            },
          );
        });
      } finally {
        // The push name was only a means to push: untag it (the image keeps its own name).
        await this.builder
          .getImage(target)
          .remove({ noprune: true })
          .catch(() => undefined);
      }
      this.pushed.set(target, id);
    }
    return `${this.registry.pull}/${name}`;
  }
}
