"use client";

import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

interface OdooUser {
  id: number;
  login: string;
  name: string;
}

/**
 * Connect (as the database's administrator) and Connect as (a user of the build's Odoo): the
 * API answers the build's URL with a single-use token, opened in a new tab that is cut off from
 * this page (no opener), as a link with rel=noreferrer would be.
 */
export function ConnectActions(props: {
  buildId: string;
  sleeping: boolean;
  buttonClass: string;
  compact?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [users, setUsers] = useState<OdooUser[] | null>(null);
  const [chosen, setChosen] = useState<string>("");
  const [busy, setBusy] = useState(false);

  async function connect(userId?: number) {
    setError(null);
    // Opened now, while the click still counts as the person's, then sent on once the URL is known.
    const tab = window.open("about:blank", "_blank");
    try {
      const { url } = await apiCall<{ url: string }>(`/api/v1/builds/${props.buildId}/connect`, {
        method: "POST",
        body: userId === undefined ? {} : { userId },
      });
      if (tab) {
        tab.opener = null;
        tab.location.href = url;
      } else {
        window.location.assign(url);
      }
    } catch (e) {
      tab?.close();
      setError((e as Error).message);
    }
  }

  async function loadUsers() {
    setError(null);
    setBusy(true);
    try {
      const answer = await apiCall<{ users: OdooUser[] }>(`/api/v1/builds/${props.buildId}/odoo-users`, {
        method: "GET",
      });
      setUsers(answer.users);
      setChosen(String(answer.users[0]?.id ?? ""));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={props.buttonClass}
        onClick={() => connect()}
        title={
          props.sleeping
            ? "The build is sleeping: opening it starts it again"
            : "Open the build logged in as its administrator"
        }
      >
        Connect
      </button>
      {props.compact ? null : users === null ? (
        <button
          type="button"
          className={props.buttonClass}
          disabled={busy || props.sleeping}
          onClick={loadUsers}
          title={
            props.sleeping
              ? "Connect first: the build is sleeping"
              : "Choose another user of the build's Odoo"
          }
        >
          Connect as…
        </button>
      ) : (
        <span className="inline-flex items-center gap-1">
          <select
            aria-label="Odoo user"
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-xs"
          >
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.login})
              </option>
            ))}
          </select>
          <button
            type="button"
            className={props.buttonClass}
            disabled={!chosen}
            onClick={() => connect(Number(chosen))}
          >
            Connect as
          </button>
        </span>
      )}
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
