export function StatusDot({ ok, label }: { ok: boolean; label?: string }) {
  return (
    <span
      className="relative inline-flex h-3 w-3 shrink-0"
      role="img"
      aria-label={label ?? (ok ? "ok" : "failing")}
    >
      {ok ? null : (
        <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-red-400 opacity-60" />
      )}
      <span className={`relative inline-flex h-3 w-3 rounded-full ${ok ? "bg-emerald-500" : "bg-red-500"}`} />
    </span>
  );
}
