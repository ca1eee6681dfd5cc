import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import { xml } from "@codemirror/lang-xml";
import type { Extension } from "@codemirror/state";
import { languageOf } from "@/lib/editor/tree";

/** The CodeMirror language of a file, by its extension; none for other files. */
export function languageExtension(path: string): Extension {
  switch (languageOf(path)) {
    case "python":
      return python();
    case "xml":
      return xml();
    case "javascript":
      return javascript();
    default:
      return [];
  }
}
