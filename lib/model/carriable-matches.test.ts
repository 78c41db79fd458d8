import { RequestMatch, Strategy, StringMatch } from '..';
import { synthProblems } from '../../test/service-fixture';

const QUERY_RULE = 'raw query text a request can carry (Envoy compares it undecoded, so write a space as clients send it, %20 or +; no "#", "&" or control characters)';

describe('a route condition no request can carry is refused, naming the route and the value', () => {
  test('a raw space in a query value: clients send %20 or +, and Envoy compares the raw text', () => {
    expect(synthProblems({
      versions: { v1: {}, v2: {} },
      routes: [{ name: 'search', match: RequestMatch.uriPrefix('/search').and(RequestMatch.queryParam('q', StringMatch.exact('red shoes'))), strategy: Strategy.to('v2') }],
    })).toEqual([`test/model: route "search": query parameter "q" must be ${QUERY_RULE}, received exact "red shoes"`]);
  });

  test('a header value with a control character, in a strategy\'s own condition (checked with the rules, not only the routes\' matches)', () => {
    expect(synthProblems({
      versions: { v1: {}, v2: {} },
      traffic: Strategy.blueGreen({ active: 'v1', preview: 'v2', previewWhen: RequestMatch.header('x-preview', StringMatch.regex('yes\\r')) }),
    })).toEqual(['test/model: route "default": header "x-preview" must be a value HTTP can carry (no control characters but tab, no space or tab at either end), received regex "yes\\\\r", which matches only values no request carries']);
  });

  test('encoded values pass', () => {
    expect(synthProblems({
      versions: { v1: {}, v2: {} },
      routes: [{ name: 'search', match: RequestMatch.queryParam('q', StringMatch.exact('red%20shoes')), strategy: Strategy.to('v2') }],
    })).toEqual([]);
  });
});
