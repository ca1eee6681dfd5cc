/**
 * Stable job ids make enqueueing idempotent (`build-<id>`, `backup-<id>`). BullMQ refuses
 * integer ids and ids with a colon, so ids are words joined by `-`, `_` or `.`.
 */
const jobIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

export class InvalidJobIdError extends Error {
  override readonly name = "InvalidJobIdError";
}

export function assertJobId(id: string): string {
  if (!jobIdPattern.test(id) || /^\d+$/.test(id)) {
    throw new InvalidJobIdError(
      `invalid job id ${JSON.stringify(id)}: use [A-Za-z0-9_.-], start with a letter or digit, not only digits`,
    );
  }
  return id;
}
