import { loadAll } from 'js-yaml';
import { UserError } from '../errors';
import { formatDiagnostic } from '../validation';
import { schemaKey } from '../validation/schema/crd-schemas';
import { checkSchema, PRECOMPILED_KEYS } from '../validation/schema/schema';
import { recordSource } from './document-sources';

/**
 * The YAML documents of one file, for the traffic model. The model reads
 * objects as Istio accepts them, so each routing or security object must
 * pass its CRD schema first (the precompiled validators `validate` uses):
 * a malformed one is a clear error naming the file, object and field, not a
 * crash deep in the model. `file` names the file in messages, followed by
 * `revision` (a git revision) when given.
 */
export function readDocuments(text: string, file: string, revision?: string): unknown[] {
  const where = (line = '') => `${file}${line}${revision === undefined ? '' : ` (${revision})`}`;
  const documents: unknown[] = [];
  try {
    loadAll(text, (doc) => documents.push(doc));
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new UserError(`${where(mark ? `:${mark.line + 1}` : '')}: not valid YAML: ${reason}`);
  }
  for (const document of documents) {
    checkAccepted(document, where());
    recordSource(document, where());
  }
  return documents;
}

/** The kinds the model reads, in every served version (v1beta1 and v1alpha3 objects are routed too). */
const MODELLED_KINDS = new Set(PRECOMPILED_KEYS.map((key) => key.slice(key.lastIndexOf('/') + 1)));

function checkAccepted(document: unknown, where: string): void {
  if (document === null || typeof document !== 'object') return;
  const { apiVersion, kind, metadata } = document as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof kind !== 'string' || !MODELLED_KINDS.has(kind)) return;
  const key = schemaKey(apiVersion, kind);
  if (key === undefined) return;
  const [first] = checkSchema(key, document);
  if (!first) return;
  const name = `${metadata?.namespace ?? 'default'}/${metadata?.name}`;
  throw new UserError(`${where}: ${kind} ${name}: ${formatDiagnostic({ ...first, object: { apiVersion: String(apiVersion), kind: String(kind) }, objectIndex: 0 })}; Istio would refuse it (run npm run validate)`);
}
