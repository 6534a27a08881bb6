import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseByteSize } from '../../src/cli/byte-size.js';
import { UsageError } from '../../src/cli/args.js';

test('byte sizes: plain numbers, binary and decimal units, case and spaces', () => {
  const cases: Array<[string, number]> = [
    ['1024', 1024], ['8e9', 8e9], ['1KiB', 1024], ['1k', 1024], ['512MiB', 512 * 2 ** 20], ['512M', 512 * 2 ** 20],
    ['1GiB', 2 ** 30], ['1gib', 2 ** 30], ['2 GiB', 2 ** 31], ['1.5GiB', 1.5 * 2 ** 30], ['1TiB', 2 ** 40],
    ['1KB', 1000], ['1.5 GB', 1.5e9], ['2TB', 2e12], ['100B', 100], ['2.5', 2],
  ];
  for (const [text, bytes] of cases) assert.equal(parseByteSize(text, '--max-memory'), bytes, text);
});

test('byte sizes: anything else is a usage error naming the flag, the text and what was expected', () => {
  for (const text of ['', 'GiB', '-1GiB', '0', '1XB', '1 G i B', 'one', '1e999', '0.1']) {
    assert.throws(() => parseByteSize(text, '--max-memory'), (e: unknown) =>
      e instanceof UsageError && e.message.includes(`--max-memory '${text}'`) && /expected a positive number of bytes/.test(e.message), text);
  }
});
