import { readFileSync } from 'node:fs';
import { isIstioObject } from '../schema/crd-schemas';
import type { Diagnostic, ValidationOptions } from '../types';
import { validateObjects } from '../validate-objects';
import { parseYamlSource, type SourceDocument } from './yaml-source';

export interface LocatedDiagnostic extends Diagnostic {
  readonly file: string;
  readonly line: number;
}

/** What a validate run found; `inputErrors` are files that could not be read or parsed (exit code 2). */
export interface ValidationReport {
  readonly files: readonly string[];
  readonly objects: number;
  readonly diagnostics: readonly LocatedDiagnostic[];
  readonly notes: readonly string[];
  readonly inputErrors: readonly string[];
}

interface LoadedDocument {
  readonly file: string;
  readonly source: SourceDocument;
}

export interface FileValidationOptions extends ValidationOptions {
  /**
   * Validate each file on its own: cross-object rules only see objects of the
   * same file. For corpora of independent cases.
   * @default false (the whole set together, as a cluster would hold it)
   */
  readonly eachFile?: boolean;
}

/** Reads every file and validates its Istio objects: all together (so cross-object rules see the whole set), or file by file. */
export function validateFiles(files: readonly string[], options: FileValidationOptions): ValidationReport {
  const notes: string[] = [];
  const inputErrors: string[] = [];
  const loaded: LoadedDocument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      inputErrors.push(`${file}: cannot read file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
      continue;
    }
    const parsed = parseYamlSource(text);
    if (parsed.syntaxError) {
      inputErrors.push(`${file}:${parsed.syntaxError.line}: invalid YAML: ${parsed.syntaxError.message}`);
      continue;
    }
    if (parsed.documents.length === 0) notes.push(`${file}: empty file; nothing to validate`);
    for (const source of parsed.documents) {
      const kind = describeKind(source.value);
      if (kind !== undefined && !isIstioObject(source.value)) notes.push(`${file}:${source.line} ${kind} is not an Istio object; skipped`);
      else loaded.push({ file, source });
    }
  }
  const groups = options.eachFile ? groupByFile(loaded) : [loaded];
  const diagnostics = groups.flatMap((group) =>
    validateObjects(group.map((doc) => doc.source.value), options).map((d) => locate(d, group[d.objectIndex])));
  return { files, objects: loaded.length, diagnostics, notes, inputErrors };
}

function groupByFile(documents: readonly LoadedDocument[]): LoadedDocument[][] {
  const byFile = new Map<string, LoadedDocument[]>();
  for (const doc of documents) byFile.set(doc.file, [...(byFile.get(doc.file) ?? []), doc]);
  return [...byFile.values()];
}

/** The kind to name in the "not an Istio object" note; undefined when apiVersion/kind are missing (the engine reports it). */
function describeKind(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { apiVersion, kind } = value as Record<string, unknown>;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return undefined;
  return kind;
}

function locate(diagnostic: Diagnostic, doc: LoadedDocument): LocatedDiagnostic {
  return { ...diagnostic, file: doc.file, line: doc.source.lineOf(diagnostic.path) };
}
