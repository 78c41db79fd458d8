// Types of boundary-requests.mjs (plain JavaScript: conformance's Node scripts import it as is).
import { TrafficRequest } from './request';

/** The requests a set of objects' route tables tell apart: every match's hits and near misses, from every place a route applies. */
export function generateRequests(objects: readonly unknown[]): TrafficRequest[];
export function matchVariants(match: unknown): Array<Record<string, unknown>>;
export function stringMatchValues(match: unknown): { hit: string[]; miss: string[] };
export function regexSamples(pattern: string): { hit: string[]; miss: string[] };
