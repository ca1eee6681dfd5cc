/** A JSON call from the browser to Gantry's API; throws the API's error message on failure. */
export async function apiCall<T>(path: string, init: { method: string; body?: unknown }): Promise<T> {
  const response = await fetch(path, {
    method: init.method,
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as {
    error?: { message?: string };
    message?: string;
  };
  if (!response.ok)
    throw new Error(data.error?.message ?? data.message ?? `Request failed (${response.status})`);
  return data as T;
}
