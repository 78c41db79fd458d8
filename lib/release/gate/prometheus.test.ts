import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { GateUnavailable, queryValue } from './prometheus';

/** A stand-in Prometheus that answers every query with `body`. */
let server: Server;
let body = '';
let url = '';
beforeAll(async () => {
  server = createServer((_, response) => response.end(body));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const vector = (value: unknown) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, value] }] } });

describe('queryValue reads one instant sample', () => {
  test.each([
    ['0.25', 0.25],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
  ])('the sample %s is %d', async (sample, expected) => {
    body = vector(sample);
    expect(await queryValue(url, 'q')).toBe(expected);
  });

  test('NaN (e.g. 0/0: no requests) stays NaN', async () => {
    body = vector('NaN');
    expect(await queryValue(url, 'q')).toBeNaN();
  });

  test.each([
    ['null', 'null', `answered HTTP 200 that is not its JSON API for q: null`],
    ['a matrix', JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }), 'answered a matrix result where an instant vector was expected for q'],
    ['a sample that is not a number', vector('fast'), 'answered a sample that is not a number for q: "fast"'],
  ])('%s fails closed, saying what came back', async (_, answer, message) => {
    body = answer;
    const failure = queryValue(url, 'q');
    await expect(failure).rejects.toBeInstanceOf(GateUnavailable);
    await expect(failure).rejects.toThrow(`Prometheus at ${url} ${message}`);
  });
});
