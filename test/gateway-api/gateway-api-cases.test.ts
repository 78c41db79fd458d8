import { readCasesFile, readNotCompared, runCases } from './run-cases';

// The Gateway API conformance suite's HTTPRoute cases, as data for `explain` (see run-cases.ts).
test('explain agrees with every Gateway API conformance case Istio supports', () => {
  // GIVEN the cases extracted from the pinned module, and those not compared (each with a reason)
  const data = readCasesFile();
  expect(`${data.module}@${data.version}`).toBe('sigs.k8s.io/gateway-api/conformance@v1.5.1');

  // WHEN each case's request goes through explain
  const result = runCases(data, readNotCompared());

  // THEN no case disagrees, no entry of not-compared.yaml is stale, and the count holds
  process.stdout.write(`gateway-api conformance: ${result.requests + result.weighted} requests (${result.weighted} weighted), ${result.disagreements.length} disagreements; not compared: ${result.notCompared.tests} tests, ${result.notCompared.cases} cases\n`);
  expect(result.disagreements).toEqual([]);
  expect(result.stale).toEqual([]);
  expect(result.requests).toBe(280);
  expect(result.weighted).toBe(2);
});
