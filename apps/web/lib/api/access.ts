/**
 * Who may call an endpoint. Every endpoint declares it and the route wrapper asks `authorize`
 * before validating anything, so sign-in and the access policy plug in here, in one place.
 * Until sign-in exists, "public" is the only level.
 */
export type Access = "public";

export async function authorize(access: Access, _request: Request): Promise<void> {
  switch (access) {
    case "public":
      return;
  }
}
