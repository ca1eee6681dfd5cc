"use client";

import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { languageExtension } from "./languages";

/**
 * One file in CodeMirror 6. Mounted once per opened file (the parent keys it): `initial` is
 * the text as loaded; changes go up through onChange, Ctrl-S (Cmd-S) through onSave.
 */
export function CodeEditor(props: {
  path: string;
  initial: string;
  readOnly: boolean;
  onChange: (text: string) => void;
  onSave: (text: string) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onChange: props.onChange, onSave: props.onSave });
  handlers.current = { onChange: props.onChange, onSave: props.onSave };
  const { path, initial, readOnly } = props;

  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          // First, so the browser's "save page" never opens over the editor.
          keymap.of([
            {
              key: "Mod-s",
              preventDefault: true,
              run: (v) => {
                handlers.current.onSave(v.state.doc.toString());
                return true;
              },
            },
          ]),
          basicSetup,
          languageExtension(path),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) handlers.current.onChange(update.state.doc.toString());
          }),
          EditorView.theme({
            "&": { height: "100%" },
            ".cm-scroller": { fontFamily: "ui-monospace, monospace" },
          }),
        ],
      }),
    });
    return () => view.destroy();
  }, [path, initial, readOnly]);

  return <div ref={host} data-testid="editor-code" data-path={path} className="h-[36rem] overflow-hidden" />;
}
