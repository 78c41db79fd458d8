import { load } from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import { parsePath } from '../core/field-path';
import { KUBECTL_JS_YAML_SCHEMA, kubectlTags } from './kubectl-yaml';

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

/**
 * Parses every document of a file, reading scalars as kubectl does (kubectl-yaml.ts). The fast path reads
 * values with js-yaml (YAML 1.2 core schema with YAML 1.1's booleans, no AST)
 * document by document, and builds the AST of a document (for field lines) only when a line is asked for,
 * that is, only for documents with findings. Files the fast path does not take (anchors and aliases,
 * directives, anything js-yaml rejects) are parsed whole with the `yaml` library, which also words the
 * syntax errors.
 */
export function parseYamlSource(text: string): ParsedSource {
  return parseFast(text) ?? parseWithPositions(text);
}

/** A line that starts a document (`---`) or ends one (`...`); YAML forbids both at column 0 inside content. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/;
/** Anchors (`&a`), aliases (`*a`), tags and directives: left to the full parser (and its alias limit). */
const NOT_FAST = /(?:^|[\s,[{])[&*!][^\s,\]}]|^%/m;

interface Chunk {
  readonly text: string;
  /** 1-based line of the chunk's first line in the file. */
  readonly firstLine: number;
}

function parseFast(text: string): ParsedSource | undefined {
  if (NOT_FAST.test(text)) return undefined;
  const documents: SourceDocument[] = [];
  for (const chunk of documentChunks(text)) {
    let value: unknown;
    try {
      value = load(chunk.text, { schema: KUBECTL_JS_YAML_SCHEMA });
    } catch {
      return undefined;
    }
    if (value === null || value === undefined) continue;
    documents.push(lazySourceDocument(chunk, value));
  }
  return { documents };
}

/** Splits the file at document markers; a `---` line starts a chunk, a `...` line ends one. */
function documentChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const next = end < 0 ? text.length : end + 1;
    if (text.charCodeAt(offset) === 45 /* - */ || text.charCodeAt(offset) === 46 /* . */) {
      const match = DOCUMENT_MARKER.exec(text.slice(offset, Math.min(next, offset + 4)));
      if (match) {
        const isEnd = match[0] === '...';
        if (offset > start) chunks.push({ text: text.slice(start, isEnd ? next : offset), firstLine: startLine });
        start = isEnd ? next : offset;
        startLine = isEnd ? line + 1 : line;
      }
    }
    offset = next;
    line++;
  }
  if (start < text.length) chunks.push({ text: text.slice(start), firstLine: startLine });
  return chunks;
}

function lazySourceDocument(chunk: Chunk, value: unknown): SourceDocument {
  let positions: { root: Node; lineAt: (offset: number) => number } | undefined;
  const parsed = () => {
    if (!positions) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(chunk.text, { lineCounter, customTags: kubectlTags });
      positions = { root: doc.contents as Node, lineAt: (offset) => lineCounter.linePos(offset).line + chunk.firstLine - 1 };
    }
    return positions;
  };
  const line = contentLine(chunk);
  return {
    value,
    line,
    lineOf: (path) => {
      const { root, lineAt } = parsed();
      return lineOfPath(root, path, lineAt) ?? line;
    },
  };
}

/** The first line of a chunk that is not blank, a comment or a bare `---`. */
function contentLine(chunk: Chunk): number {
  let offset = 0;
  for (let line = chunk.firstLine; offset < chunk.text.length; line++) {
    const end = chunk.text.indexOf('\n', offset);
    const trimmed = chunk.text.slice(offset, end < 0 ? undefined : end).trim();
    if (trimmed !== '' && !trimmed.startsWith('#') && trimmed !== '---') return line;
    if (end < 0) break;
    offset = end + 1;
  }
  return chunk.firstLine;
}

/** The whole file with the `yaml` library: every document's AST, for files the fast path does not take. */
function parseWithPositions(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, customTags: kubectlTags });
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

/** For tests: the `yaml`-library parse, the reference the fast path must agree with. */
export const parseYamlSourceWithPositions = parseWithPositions;
