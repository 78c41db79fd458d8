import { readFileSync } from 'node:fs';
import { isKubernetesContextKind } from '../analyzers/analysis-set';
import { isGatewayApiObject, isIstioObject } from '../schema/crd-schemas';
import type { Diagnostic, ValidationOptions } from '../types';
import { validateObjects } from '../validate-objects';
import { parseYamlSource, type ParsedSource, type SourceDocument } from './yaml-source';

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
  /** A Kubernetes object analysis reads (Service, Pod, Deployment): context, not validated. */
  readonly context?: boolean;
}

export interface FileValidationOptions extends ValidationOptions {
  /**
   * Validate each file on its own: cross-object rules only see objects of the
   * same file. For corpora of independent cases.
   * @default false (the whole set together, as a cluster would hold it)
   */
  readonly eachFile?: boolean;
  /**
   * Files whose objects are context for analysis (Gateways, Services, ServiceEntries, Pods...):
   * read, never validated nor reported on; with eachFile, every file sees them.
   * @default []
   */
  readonly contextFiles?: readonly string[];
}

/** Reads every file and validates its Istio objects: all together (so cross-object rules see the whole set), or file by file. */
export function validateFiles(files: readonly string[], options: FileValidationOptions): ValidationReport {
  const notes: string[] = [];
  const inputErrors: string[] = [];
  const loaded: LoadedDocument[] = [];
  const context = readContext(options.contextFiles ?? [], inputErrors);
  for (const file of files) {
    const parsed = readSource(file, inputErrors);
    if (!parsed) continue;
    if (parsed.documents.length === 0) notes.push(`${file}: empty file; nothing to validate`);
    for (const source of parsed.documents) {
      const kind = describeKind(source.value);
      if (kind === undefined || isIstioObject(source.value) || isGatewayApiObject(source.value)) loaded.push({ file, source });
      // Services, Pods and Deployments are read by analysis like context objects (they have no Istio rules).
      else if (isKubernetesContextKind((source.value as any).apiVersion, kind)) loaded.push({ file, source, context: true });
      else notes.push(`${file}:${source.line} ${kind} is neither an Istio nor a Gateway API object; skipped`);
    }
  }
  const groups = options.eachFile ? groupByFile(loaded) : [loaded];
  const diagnostics = groups.flatMap((group) => {
    const validated = group.filter((doc) => !doc.context);
    const kubernetesObjects = group.filter((doc) => doc.context).map((doc) => doc.source.value);
    return validateObjects(validated.map((doc) => doc.source.value), { ...options, context: [...context, ...kubernetesObjects] })
      .map((d) => locate(d, validated[d.objectIndex]));
  });
  return { files, objects: loaded.filter((doc) => !doc.context).length, diagnostics, notes, inputErrors };
}

/** The objects of the --with files; unreadable or broken ones are input errors like any input's. */
function readContext(files: readonly string[], inputErrors: string[]): unknown[] {
  const objects: unknown[] = [];
  for (const file of files) {
    const parsed = readSource(file, inputErrors);
    if (parsed) objects.push(...parsed.documents.map((doc) => doc.value));
  }
  return objects;
}

function groupByFile(documents: readonly LoadedDocument[]): LoadedDocument[][] {
  const byFile = new Map<string, LoadedDocument[]>();
  for (const doc of documents) {
    const ofFile = byFile.get(doc.file) ?? [];
    ofFile.push(doc);
    byFile.set(doc.file, ofFile);
  }
  return [...byFile.values()];
}

/** The kind to name in the "neither an Istio nor a Gateway API object" note; undefined when apiVersion/kind are missing (the engine reports it). */
function describeKind(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { apiVersion, kind } = value as Record<string, unknown>;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return undefined;
  return kind;
}

function locate(diagnostic: Diagnostic, doc: LoadedDocument): LocatedDiagnostic {
  return { ...diagnostic, file: doc.file, line: doc.source.lineOf(diagnostic.path) };
}

/** A file's YAML documents; an unreadable file or broken YAML is an input error (recorded), and undefined. */
function readSource(file: string, inputErrors: string[]): ParsedSource | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    inputErrors.push(`${file}: cannot read file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    return undefined;
  }
  const parsed = parseYamlSource(text);
  if (!parsed.syntaxError) return parsed;
  inputErrors.push(`${file}:${parsed.syntaxError.line}: invalid YAML: ${parsed.syntaxError.message}`);
  return undefined;
}
