import { GithubError } from "@gantry/github";
import { AppError, type ErrorCode } from "../errors";

const codes: Record<GithubError["code"], ErrorCode> = {
  unauthorized: "invalid_input",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  invalid: "invalid_input",
  rate_limited: "rate_limited",
  unavailable: "unavailable",
  bad_response: "unavailable",
};

/** GitHub's refusals as AppErrors that say it was GitHub that refused. */
export async function viaGithub<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof GithubError) {
      throw new AppError(codes[error.code], `GitHub: ${error.message}`, {
        details: { github: error.code, status: error.status },
      });
    }
    throw error;
  }
}
