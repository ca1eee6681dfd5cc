"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useMemo, useState } from "react";
import { ShellTab } from "@/components/shell/ShellTab";
import { apiCall } from "@/lib/auth/api-call";
import { moduleOf, type TreeEntry } from "@/lib/editor/tree";
import { type Change, CommitBox } from "./CommitBox";
import { FileTree } from "./FileTree";
import { UpdateModuleButton } from "./UpdateModuleButton";

// CodeMirror measures the DOM as it starts: loaded in the browser only.
const loading = () => <p className="p-4 text-sm text-slate-500">Loading the editor…</p>;
const CodeEditor = dynamic(() => import("./CodeEditor").then((m) => m.CodeEditor), { ssr: false, loading });
const DiffView = dynamic(() => import("./DiffView").then((m) => m.DiffView), { ssr: false, loading });

interface Tree {
  commitSha: string;
  writable: boolean;
  truncated: boolean;
  entries: TreeEntry[];
}
interface OpenFile {
  path: string;
  /** The text as opened: what the editor was mounted with. */
  opened: string;
  /** The text as last saved (or opened): the file is dirty when it differs. */
  saved: string;
  text: string;
  binary: boolean;
  /** Counts openings, so opening the same file again mounts a fresh editor. */
  loadId: number;
}
interface Diff {
  path: string;
  original: string | null;
  current: string | null;
  binary: boolean;
}

const q = (path: string) => `path=${encodeURIComponent(path)}`;

/**
 * The Editor tab: the build's checkout as a file tree, one open file in CodeMirror (Ctrl-S
 * saves), the changes against the build's commit with their diff, a commit that pushes them to
 * the branch, "update module" for the open file's module, and the build's terminal beside.
 */
export function EditorTab(props: {
  buildId: string;
  projectId: string;
  branch: string;
  stage: string;
  /** The shell right of the stage, which the editor shares. */
  allowed: boolean;
  /** Ended builds only: until then the worker owns the checkout. */
  ready: boolean;
  serving: boolean;
  sshCommand: string;
}) {
  const [tree, setTree] = useState<Tree | null>(null);
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const [file, setFile] = useState<OpenFile | null>(null);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [changes, setChanges] = useState<Change[]>([]);
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [terminal, setTerminal] = useState(false);
  const base = `/api/v1/builds/${props.buildId}/editor`;

  const refreshChanges = useCallback(async () => {
    const answer = await apiCall<{ changes: Change[] }>(`${base}/changes`, { method: "GET" });
    setChanges(answer.changes);
  }, [base]);

  useEffect(() => {
    if (!props.allowed || !props.ready) return;
    apiCall<Tree>(`${base}/tree`, { method: "GET" })
      .then(setTree)
      .then(refreshChanges)
      .catch((e: Error) => setNotice({ tone: "error", text: e.message }));
  }, [base, props.allowed, props.ready, refreshChanges]);

  const files = useMemo(
    () => new Set((tree?.entries ?? []).filter((e) => e.type === "file").map((e) => e.path)),
    [tree],
  );
  const changed = useMemo(() => new Set(changes.map((c) => c.path)), [changes]);
  const module = file ? moduleOf(file.path, files) : null;
  const writable = tree?.writable === true;
  const dirty = file !== null && file.text !== file.saved;

  const openFile = async (path: string) => {
    if (dirty && !window.confirm(`Leave ${file?.path} without saving?`)) return;
    setNotice(null);
    setDiff(null);
    try {
      const answer = await apiCall<{ content: string | null; binary: boolean }>(`${base}/file?${q(path)}`, {
        method: "GET",
      });
      const text = answer.content ?? "";
      setFile((was) => ({
        path,
        opened: text,
        saved: text,
        text,
        binary: answer.binary,
        loadId: (was?.loadId ?? 0) + 1,
      }));
    } catch (e) {
      setNotice({ tone: "error", text: (e as Error).message });
    }
  };

  const save = async (text: string) => {
    if (!file || !writable || file.binary) return;
    try {
      await apiCall(`${base}/file`, { method: "PUT", body: { path: file.path, content: text } });
      setFile((f) => (f ? { ...f, saved: text } : f));
      setNotice({ tone: "ok", text: `Saved ${file.path}` });
      await refreshChanges();
    } catch (e) {
      setNotice({ tone: "error", text: (e as Error).message });
    }
  };

  const showDiff = async (path: string) => {
    try {
      setDiff(await apiCall<Diff>(`${base}/diff?${q(path)}`, { method: "GET" }));
    } catch (e) {
      setNotice({ tone: "error", text: (e as Error).message });
    }
  };

  if (!props.allowed) {
    return (
      <p data-testid="editor-refused" className="rounded-md bg-red-50 p-4 text-sm text-red-800">
        Your role does not open the editor on {props.stage.toLowerCase()} builds: like the shell, it is for
        the project's Admins there (and Testers on staging).
      </p>
    );
  }
  if (!props.ready) {
    return (
      <p className="rounded-md bg-slate-50 p-4 text-sm text-slate-600">
        The editor opens once the build has ended: until then its checkout is being prepared.
      </p>
    );
  }

  return (
    <div className="space-y-3">
      {tree && !tree.writable ? (
        <p data-testid="editor-read-only" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          Production's checkout is read-only: change production's code by pushing to its branch.
        </p>
      ) : null}
      <div className={`grid gap-3 ${terminal ? "xl:grid-cols-[16rem_1fr_1fr]" : "lg:grid-cols-[16rem_1fr]"}`}>
        <aside className="space-y-4 rounded-lg border border-slate-200 bg-white p-2">
          {tree ? (
            <FileTree
              entries={tree.entries}
              open={open}
              selected={file?.path ?? null}
              changed={changed}
              onToggle={(dir) =>
                setOpen((was) => {
                  const next = new Set(was);
                  if (!next.delete(dir)) next.add(dir);
                  return next;
                })
              }
              onOpen={openFile}
            />
          ) : (
            <p className="p-2 text-sm text-slate-500">Loading the files…</p>
          )}
          <CommitBox
            buildId={props.buildId}
            projectId={props.projectId}
            branch={props.branch}
            changes={changes}
            writable={writable}
            onShowDiff={showDiff}
            onCommitted={() => void refreshChanges()}
          />
        </aside>

        <section aria-label="Open file" className="min-w-0 rounded-lg border border-slate-200 bg-white">
          <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2">
            <span data-testid="editor-path" className="truncate font-mono text-sm">
              {diff ? `${diff.path} (diff)` : (file?.path ?? "No file open")}
              {dirty && !diff ? " •" : ""}
            </span>
            <span className="ml-auto flex items-center gap-2">
              {file && !diff && writable && !file.binary ? (
                <button
                  type="button"
                  disabled={!dirty}
                  onClick={() => void save(file.text)}
                  className="rounded-md bg-indigo-600 px-2.5 py-1 text-xs font-medium text-white disabled:opacity-50"
                >
                  Save
                </button>
              ) : null}
              {file && !diff ? (
                <button
                  type="button"
                  onClick={() => void showDiff(file.path)}
                  className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50"
                >
                  Diff
                </button>
              ) : null}
              {diff ? (
                <button
                  type="button"
                  onClick={() => setDiff(null)}
                  className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50"
                >
                  Back to the file
                </button>
              ) : null}
              {module && writable && props.serving ? (
                <UpdateModuleButton buildId={props.buildId} module={module} disabled={dirty} />
              ) : null}
              {props.serving ? (
                <button
                  type="button"
                  aria-pressed={terminal}
                  onClick={() => setTerminal((t) => !t)}
                  className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50"
                >
                  Terminal
                </button>
              ) : null}
            </span>
          </div>
          {notice ? (
            <p
              role={notice.tone === "error" ? "alert" : "status"}
              data-testid="editor-notice"
              className={`px-3 py-1 text-xs ${notice.tone === "error" ? "text-red-700" : "text-green-700"}`}
            >
              {notice.text}
            </p>
          ) : null}
          {diff ? (
            diff.binary ? (
              <p className="p-4 text-sm text-slate-600">A binary file: no diff shown.</p>
            ) : (
              <DiffView path={diff.path} original={diff.original ?? ""} current={diff.current ?? ""} />
            )
          ) : file ? (
            file.binary ? (
              <p className="p-4 text-sm text-slate-600">A binary file: the editor does not open it.</p>
            ) : (
              <CodeEditor
                key={`${file.path}:${file.loadId}`}
                path={file.path}
                initial={file.opened}
                readOnly={!writable}
                onChange={(text) => setFile((f) => (f ? { ...f, text } : f))}
                onSave={(text) => void save(text)}
              />
            )
          ) : (
            <p className="p-4 text-sm text-slate-500">Open a file from the tree.</p>
          )}
        </section>

        {terminal ? (
          <section aria-label="Terminal" className="min-w-0">
            <ShellTab
              buildId={props.buildId}
              stage={props.stage}
              allowed={props.allowed}
              serving={props.serving}
              sshCommand={props.sshCommand}
            />
          </section>
        ) : null}
      </div>
    </div>
  );
}
