// GitHub API failures as one typed error with a code; callers decide what a code means for them.

export type GithubErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid"
  | "rate_limited"
  | "unavailable"
  | "bad_response";

export class GithubError extends Error {
  override name = "GithubError";
  constructor(
    readonly code: GithubErrorCode,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export function codeForStatus(
  status: number,
  headers: Record<string, string | number | undefined> = {},
): GithubErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 429 || (status === 403 && String(headers["x-ratelimit-remaining"]) === "0"))
    return "rate_limited";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 422) return "invalid";
  return "unavailable";
}

// Octokit's RequestError, recognized by shape so that any copy of the class matches.
interface RequestErrorLike {
  name: "HttpError";
  status: number;
  message: string;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    error instanceof Error &&
    error.name === "HttpError" &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

function githubMessage(error: RequestErrorLike): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
  if (typeof data?.message !== "string") return error.message;
  // Validation failures carry the useful part in errors[].message ("key is already in use").
  const details = Array.isArray(data.errors)
    ? data.errors
        .map((e: unknown) => (typeof e === "object" && e && "message" in e ? String(e.message) : null))
        .filter((m): m is string => !!m)
    : [];
  return details.length ? `${data.message}: ${details.join("; ")}` : data.message;
}

/** Maps octokit's errors (and network failures) to GithubError; rethrows anything else. */
export function toGithubError(error: unknown, what: string): GithubError {
  if (error instanceof GithubError) return error;
  if (isRequestError(error)) {
    if (error.status >= 400) {
      const headers = error.response?.headers ?? {};
      return new GithubError(
        codeForStatus(error.status, headers),
        `${what}: ${githubMessage(error)}`,
        error.status,
      );
    }
    return new GithubError("unavailable", `${what}: ${error.message}`, error.status || null);
  }
  return new GithubError("unavailable", `${what}: ${(error as Error)?.message ?? String(error)}`);
}

export async function call<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toGithubError(error, what);
  }
}
