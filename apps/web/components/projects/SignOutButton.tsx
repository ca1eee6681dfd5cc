"use client";

export function SignOutButton() {
  async function signOut() {
    await fetch("/api/auth/sign-out", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    window.location.assign("/login");
  }
  return (
    <button
      type="button"
      onClick={signOut}
      className="rounded-md border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50"
    >
      Sign out
    </button>
  );
}
