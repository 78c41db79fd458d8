import { checkAnswers } from './answer-ranges';
import { GateUnavailable } from './prometheus';

const QUERIES = { requests: 'all', successRate: 'ok / all', p99Latency: 'p99' };
const check = (requests: number, successRate: number, p99Latency: number) => () => checkAnswers('http://prom', QUERIES, { requests, successRate, p99Latency });

describe('a gate answer no candidate can have makes the gate unavailable', () => {
  test.each([
    ['NaN success rate with requests counted', check(500, NaN, 120), 'success rate must be from 0 to 100 (%) when 500 requests were counted, received NaN, for ok / all'],
    ['NaN p99 latency with requests counted', check(500, 99.5, NaN), 'p99 latency must be a latency from 0 ms when 500 requests were counted, received NaN, for p99'],
    ['a success rate above 100', check(500, 150, 120), 'success rate must be from 0 to 100 (%), received 150, for ok / all'],
    ['an infinite success rate', check(500, Infinity, 120), 'success rate must be from 0 to 100 (%), received +Inf, for ok / all'],
    ['a negative success rate', check(500, -1, 120), 'success rate must be from 0 to 100 (%), received -1, for ok / all'],
    ['a negative p99 latency', check(500, 99.5, -5), 'p99 latency must be a latency from 0 ms, received -5, for p99'],
    ['an infinite p99 latency', check(500, 99.5, Infinity), 'p99 latency must be a latency from 0 ms, received +Inf, for p99'],
    ['NaN requests', check(NaN, NaN, NaN), 'requests must be a count from 0, received NaN, for all'],
    ['negative requests', check(-3, 99.5, 120), 'requests must be a count from 0, received -3, for all'],
  ])('%s', (_, answer, message) => {
    expect(answer).toThrow(GateUnavailable);
    expect(answer).toThrow(`Prometheus at http://prom: ${message}; the gate cannot judge the candidate`);
  });

  test('NaN without requests is 0/0: the candidate had no traffic, which the requests check judges', () => {
    expect(check(0, NaN, NaN)).not.toThrow();
  });

  test('values at the ends of their ranges, and a rounding error above 100%, are answers', () => {
    expect(check(0, 0, 0)).not.toThrow();
    expect(check(500, 100, 0.5)).not.toThrow();
    expect(check(500, 100.00000000000001, 120)).not.toThrow();
  });
});
