"use client";

import { depthOf, nameOf, type TreeEntry, visibleEntries } from "@/lib/editor/tree";

const icons: Record<TreeEntry["type"], string> = { file: "·", dir: "▸", symlink: "↪", submodule: "⎇" };

/** The checkout's folders and files; folders open and close, files open in the editor. */
export function FileTree(props: {
  entries: readonly TreeEntry[];
  open: ReadonlySet<string>;
  selected: string | null;
  changed: ReadonlySet<string>;
  onToggle: (dir: string) => void;
  onOpen: (path: string) => void;
}) {
  return (
    <ul
      aria-label="Files"
      data-testid="editor-tree"
      className="max-h-[36rem] overflow-auto py-1 font-mono text-xs"
    >
      {visibleEntries(props.entries, props.open).map((entry) => {
        const isDir = entry.type === "dir";
        const openable = entry.type === "file";
        const icon = isDir && props.open.has(entry.path) ? "▾" : icons[entry.type];
        return (
          <li key={entry.path}>
            <button
              type="button"
              data-path={entry.path}
              disabled={!isDir && !openable}
              title={
                entry.type === "symlink"
                  ? "A symbolic link: not opened by the editor"
                  : entry.type === "submodule"
                    ? "A submodule: edit it in its own repository"
                    : entry.path
              }
              onClick={() => (isDir ? props.onToggle(entry.path) : props.onOpen(entry.path))}
              className={`flex w-full items-center gap-1.5 truncate rounded px-1 py-0.5 text-left ${
                props.selected === entry.path ? "bg-indigo-100 text-indigo-900" : "hover:bg-slate-100"
              } disabled:cursor-not-allowed disabled:text-slate-400`}
              style={{ paddingLeft: `${depthOf(entry.path) * 0.9 + 0.25}rem` }}
            >
              <span aria-hidden className="w-3 shrink-0 text-slate-500">
                {icon}
              </span>
              <span className="truncate">{nameOf(entry.path)}</span>
              {props.changed.has(entry.path) ? (
                <span title="changed" className="ml-auto text-amber-600">
                  M
                </span>
              ) : null}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
