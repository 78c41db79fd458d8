import { isIP } from 'node:net';

/**
 * Go's net/url parsing (Go 1.26, the toolchain the API server is built with), for the Kubernetes CEL URL
 * library: `url.ParseRequestURI` decides `isURL` and whether `url()` fails, `url.Parse` gives the parts.
 * Ported rule by rule, with Go's error texts; what the CEL library never reads (RawPath hints, user info
 * values) is left out.
 */
export interface GoUrl {
  readonly scheme: string;
  readonly opaque: string;
  /** host[:port] as given (unescaped). */
  readonly host: string;
  readonly path: string;
  readonly rawPath: string;
  readonly rawQuery: string;
}

export class GoUrlError extends Error {}

/** url.ParseRequestURI: an absolute URI or an absolute path, no fragment stripping. */
export function parseRequestUri(raw: string): GoUrl {
  return parse(raw, true);
}

/** url.Parse: strips the #fragment, then parses leniently. */
export function parseUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#');
  return parse(hash < 0 ? raw : raw.slice(0, hash), false);
}

function parse(raw: string, viaRequest: boolean): GoUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new GoUrlError('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new GoUrlError('empty url');
  const empty = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '' };
  if (raw === '*') return { ...empty, path: '*' };
  let [scheme, rest] = splitScheme(raw);
  scheme = scheme.toLowerCase();
  let rawQuery = '';
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) [rest, rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { ...empty, scheme, opaque: rest, rawQuery };
    if (viaRequest) throw new GoUrlError('invalid URI for request');
    if (rest.split('/')[0].includes(':')) throw new GoUrlError('first path segment in URL cannot contain colon');
  }
  let host = '';
  if ((scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    host = parseAuthority(scheme, authority);
  }
  return { scheme, opaque: '', host, path: unescape(rest, 'path'), rawPath: rest, rawQuery };
}

function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new GoUrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parseAuthority(scheme: string, authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, at < 0 ? authority : authority.slice(at + 1));
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new GoUrlError('net/url: invalid userinfo');
    for (const part of userinfo.split(':')) unescape(part, 'userinfo');
  }
  return host;
}

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new GoUrlError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new GoUrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${goQuote(colonPort)} after host`);
    const hostname = host.slice(1, close);
    const zone = hostname.indexOf('%25');
    const address = unescape(zone < 0 ? hostname : hostname.slice(0, zone), 'host');
    if (zone >= 0) unescape(hostname.slice(zone), 'zone');
    if (isIP(address) === 4) throw new GoUrlError('invalid IP-literal');
    if (isIP(address) !== 6) throw new GoUrlError(`invalid host: ParseAddr(${goQuote(address)}): unable to parse IP`);
    return host;
  }
  let colon = host.indexOf(':');
  if (colon >= 0) {
    const last = host.lastIndexOf(':');
    // Go 1.26 allows several colons (host lists) except in http and https URLs.
    if (last !== colon && scheme !== 'http' && scheme !== 'https') colon = last;
    const colonPort = host.slice(colon);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${goQuote(colonPort)} after host`);
  }
  return unescape(host, 'host');
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

/** Characters Go lets stand unescaped in a host name (shouldEscape(c, encodeHost) is false). */
const HOST_CHARACTER = /[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]/;

/** Go's unescape: checks every %XX (and, in hosts, the characters); returns the decoded text. */
function unescape(s: string, mode: 'path' | 'host' | 'zone' | 'userinfo' | 'query'): string {
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === '%') {
      if (i + 2 >= s.length || !/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) throw new GoUrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      if (mode === 'host' && parseInt(s[i + 1], 16) < 8 && s.slice(i, i + 3) !== '%25') throw new GoUrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      i += 3;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && !HOST_CHARACTER.test(c)) {
      throw new GoUrlError(`invalid character ${goQuote(c)} in host name`);
    }
    i++;
  }
  const decoded = mode === 'query' ? s.replace(/\+/g, ' ') : s;
  return decoded.includes('%') ? Buffer.from(decoded.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8') : decoded;
}

/** url.URL.Hostname and Port: the port only when it is numeric; IPv6 brackets removed. */
export function splitHostPort(hostPort: string): { hostname: string; port: string } {
  let hostname = hostPort;
  let port = '';
  const colon = hostname.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(hostname.slice(colon))) [hostname, port] = [hostname.slice(0, colon), hostname.slice(colon + 1)];
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** url.URL.EscapedPath: the path as given when it is validly escaped, else Go's escaping of it. */
export function escapedPath(url: GoUrl): string {
  if (url.path === '*') return '*';
  if (/^[A-Za-z0-9\-._~!$&'()*+,;=:@[\]/%]*$/.test(url.rawPath)) return url.rawPath;
  return Array.from(Buffer.from(url.path, 'utf8'))
    .map((byte) => (/[A-Za-z0-9\-._~$&+,/:;=@]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** url.URL.Query: pairs split on '&', decoded; a pair that does not decode (or has a ';') is skipped, as Go does. */
export function queryValues(rawQuery: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    try {
      const key = unescape(eq < 0 ? pair : pair.slice(0, eq), 'query');
      const value = eq < 0 ? '' : unescape(pair.slice(eq + 1), 'query');
      values.set(key, [...(values.get(key) ?? []), value]);
    } catch {
      // Go records the first error and goes on; Query() drops it.
    }
  }
  return values;
}

/** Go's %q for the ASCII texts these errors quote. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}
