import { filterMatches, parseFilterPattern } from '../support/log-filter-pattern';

// Loads no aws-cdk-lib: the evaluator the operations log's filter tests rely on, tested on its own.
describe('the filter-pattern evaluator', () => {
  const event = JSON.stringify({ 'a': { b: 'Hello', n: 3 }, 'list': ['x', 'y'], 'detail-type': 'T' });
  test.each([
    ['{ $.a.b = "Hello" }', true], ['{ $.a.b = "Hel*" }', true], ['{ $.a.b = "*llo" }', true], ['{ $.a.b = "hello" }', false],
    ['{ $.a.b != "Hello" }', false], ['{ $.missing = "x" }', false], ['{ $.a.n = 3 }', true], ['{ $.list[1] = "y" }', true],
    ['{ $.detail-type = "T" }', true], ['{ ($.a.b = "x") || ($.a.n = 3) && ($.list[0] = "x") }', true],
    ['{ (($.a.b = "x") || ($.a.n = 3)) && ($.list[0] = "z") }', false], ['{ $.a = "x" }', false],
  ])('%s → %s', (pattern, expected) => {
    expect(filterMatches(pattern, event)).toBe(expected);
  });

  test('a message that is not JSON matches no JSON pattern; unsupported syntax throws', () => {
    expect(filterMatches('{ $.a = "x" }', 'plain text')).toBe(false);
    for (const bad of ['$.a = "x"', '{ $.a > 1 }', '{ ($.a = "x" }', '{ $.a = "x" $.b = "y" }', '{ %x% }']) {
      expect(() => parseFilterPattern(bad)).toThrow();
    }
  });
});
