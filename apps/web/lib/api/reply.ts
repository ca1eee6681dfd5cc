/** A handler's answer with a status other than the endpoint's usual one. */
export class Reply<T> {
  constructor(
    readonly status: number,
    readonly body: T,
  ) {}
}

export function reply<T>(status: number, body: T): Reply<T> {
  return new Reply(status, body);
}
