import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { parsePath } from '../core/field-path';

/** One YAML document of a file, with what is needed to point diagnostics at lines. */
export interface SourceDocument {
  readonly value: unknown;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** 1-based line of the field at `path`, or of its closest existing parent. */
  lineOf(path: string): number;
}

export interface ParsedSource {
  readonly documents: SourceDocument[];
  /** Set when the YAML is broken: the first error, with its line. */
  readonly syntaxError?: { readonly line: number; readonly message: string };
}

export function parseYamlSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const broken = docs.find((doc) => doc.errors.length > 0);
  if (broken) {
    const error = broken.errors[0];
    return { documents: [], syntaxError: { line: lineCounter.linePos(error.pos[0]).line, message: firstLine(error.message) } };
  }
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  // A document holding only comments, or the empty one after a trailing `---`, has no object.
  const documents = docs.filter((doc) => doc.contents !== null).map((doc) => sourceDocument(doc, lineAt));
  return { documents: documents.filter((doc) => doc.value !== null && doc.value !== undefined) };
}

function sourceDocument(doc: Document.Parsed, lineAt: (offset: number) => number): SourceDocument {
  const contents = doc.contents as Node;
  const start = lineAt(contents.range?.[0] ?? 0);
  return {
    value: doc.toJS({ maxAliasCount: 100 }),
    line: start,
    lineOf: (path) => lineOfPath(contents, path, lineAt) ?? start,
  };
}

/** Walks the YAML AST along the field path; map entries point at their key's line. */
function lineOfPath(root: Node, path: string, lineAt: (offset: number) => number): number | undefined {
  let node: unknown = root;
  let line: number | undefined;
  for (const segment of parsePath(path)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment || String(isScalar(item.key) ? item.key.value : '') === String(segment));
      if (!pair) break;
      const keyRange = (pair.key as Node | null)?.range;
      if (keyRange) line = lineAt(keyRange[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      const range = (node as Node | null)?.range;
      if (range) line = lineAt(range[0]);
    } else break;
  }
  return line;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
