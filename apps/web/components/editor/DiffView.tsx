"use client";

import { MergeView } from "@codemirror/merge";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { languageExtension } from "./languages";

/** The build's commit (left) against the work tree (right), both read-only. */
export function DiffView(props: { path: string; original: string; current: string }) {
  const host = useRef<HTMLDivElement>(null);
  const { path, original, current } = props;

  useEffect(() => {
    if (!host.current) return;
    const extensions = [
      basicSetup,
      languageExtension(path),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
    ];
    const view = new MergeView({
      parent: host.current,
      a: { doc: original, extensions },
      b: { doc: current, extensions },
    });
    return () => view.destroy();
  }, [path, original, current]);

  return (
    <div
      ref={host}
      data-testid="editor-diff"
      data-path={path}
      className="max-h-[36rem] min-h-[24rem] overflow-auto text-sm"
    />
  );
}
