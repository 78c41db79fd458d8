import { uncarriableValues } from './carriable-values';
import { RequestMatch } from './request-match';
import { StringMatch } from './string-match';

const query = (match: StringMatch, name = 'q') => uncarriableValues(RequestMatch.queryParam(name, match).toJson());
const header = (match: StringMatch) => uncarriableValues(RequestMatch.header('x-user', match).toJson());
const QUERY_RULE = 'raw query text a request can carry (Envoy compares it undecoded, so write a space as clients send it, %20 or +; no "#", "&" or control characters)';
const HEADER_RULE = 'a value HTTP can carry (no control characters but tab, no space or tab at either end)';

describe('match values no request can carry', () => {
  test('query values: a raw space, "#", "&" or a control character, in exact, prefix or regex', () => {
    expect(query(StringMatch.exact('red shoes'))).toEqual([`query parameter "q" must be ${QUERY_RULE}, received exact "red shoes"`]);
    expect(query(StringMatch.exact('a&b'))).toEqual([`query parameter "q" must be ${QUERY_RULE}, received exact "a&b"`]);
    expect(query(StringMatch.prefix('top#'))).toEqual([`query parameter "q" must be ${QUERY_RULE}, received prefix "top#"`]);
    expect(query(StringMatch.exact('a\tb'))).toEqual([`query parameter "q" must be ${QUERY_RULE}, received exact "a\\tb"`]);
    expect(query(StringMatch.regex('red\\s+shoes'))).toEqual([`query parameter "q" must be ${QUERY_RULE}, received regex "red\\\\s+shoes", which matches only values no request carries`]);
    expect(query(StringMatch.regex('a [bc]'))).toHaveLength(1);
    expect(query(StringMatch.regex('[&#]'))).toHaveLength(1);
  });

  test('query values a request carries: encoded forms, "+", "=", "?", and regexes with some carriable match', () => {
    for (const ok of ['red%20shoes', 'red+shoes', 'x=y', 'a?b', '', 'é']) expect(query(StringMatch.exact(ok))).toEqual([]);
    expect(query(StringMatch.prefix('red+'))).toEqual([]);
    for (const ok of ['red( |%20)shoes', '[^&]+', '.*', '(?i)K', 'a\\s*b']) expect(query(StringMatch.regex(ok))).toEqual([]);
  });

  test('query parameter names: no "=" either', () => {
    expect(query(StringMatch.exact('1'), 'a=b')).toEqual([`query parameter name must be ${QUERY_RULE.replace('"#", "&"', '"=", "#", "&"')}, received "a=b"`]);
    expect(query(StringMatch.exact('1'), 'a b')).toHaveLength(1);
    expect(query(StringMatch.exact('1'), 'a%3Db')).toEqual([]);
  });

  test('header values: control characters but tab, and space or tab at either end (HTTP strips them)', () => {
    expect(header(StringMatch.exact(' alice'))).toEqual([`header "x-user" must be ${HEADER_RULE}, received exact " alice"`]);
    expect(header(StringMatch.exact('alice\t'))).toHaveLength(1);
    expect(header(StringMatch.exact('a\nb'))).toHaveLength(1);
    expect(header(StringMatch.prefix(' a'))).toHaveLength(1);
    expect(header(StringMatch.regex('\\s+[a-z]+'))).toEqual([`header "x-user" must be ${HEADER_RULE}, received regex "\\\\s+[a-z]+", which matches only values no request carries`]);
    expect(header(StringMatch.regex('[a-z]+ '))).toHaveLength(1);
    expect(header(StringMatch.regex('\\x00'))).toHaveLength(1);
  });

  test('header values HTTP carries: inner spaces and tabs, a prefix ending in a space, "", a regex with some carriable match', () => {
    for (const ok of ['Bearer x', 'a\tb', '', 'é']) expect(header(StringMatch.exact(ok))).toEqual([]);
    expect(header(StringMatch.prefix('Bearer '))).toEqual([]);
    for (const ok of ['\\s*[a-z]+', '.*', 'a b', '( x|y)']) expect(header(StringMatch.regex(ok))).toEqual([]);
    expect(uncarriableValues(RequestMatch.cookie('session', 'v2').toJson())).toEqual([]);
  });
});
