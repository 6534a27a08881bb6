import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFlags, parseArgs, UsageError, type FlagTable } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';
import { CliInputError } from '../../src/cli/errors.js';

const TABLE = {
  json: { type: 'boolean', description: 'json out' },
  shots: { type: 'integer', min: 0, valueName: 'N', description: 'shots' },
  scale: { type: 'number' },
  format: { type: 'string', choices: ['qasm', 'qsim'] },
  observable: { type: 'string', repeated: true, short: 'o' },
} as const satisfies FlagTable;

test('parses values, inline values, booleans, repeats, short aliases and --', () => {
  const r = parseArgs(['file.qasm', '--shots', '10', '--scale=-2.5e-1', '--json', '-o', 'Z0', '--observable=X1', '--format', 'qsim', '--', '--not-a-flag'], TABLE);
  assert.deepEqual(r.positionals, ['file.qasm', '--not-a-flag']);
  assert.deepEqual(r.flags, { shots: 10, scale: -0.25, json: true, observable: ['Z0', 'X1'], format: 'qsim' });
  // Typed results: these assignments only compile with the right types.
  const shots: number | undefined = r.flags.shots;
  const obs: string[] | undefined = r.flags.observable;
  const json: boolean | undefined = r.flags.json;
  assert.deepEqual([shots, obs?.length, json], [10, 2, true]);
  assert.deepEqual(parseArgs(['--no-json', '--json=false'], TABLE).flags, { json: false });
  assert.deepEqual(parseArgs(['--shots', '3', '--shots', '4'], TABLE).flags, { shots: 4 });
  assert.deepEqual(parseArgs(['-'], TABLE).positionals, ['-']);
});

test('clear errors for unknown flags and bad values', () => {
  const bad = (argv: string[], re: RegExp) =>
    assert.throws(() => parseArgs(argv, TABLE), (e: unknown) => e instanceof UsageError && e instanceof CliInputError && re.test(e.message));
  bad(['--nope'], /unknown option '--nope' \(known: --json, --shots/);
  bad(['-x'], /unknown option '-x'/);
  bad(['--shots'], /'--shots' expects a value \(N\)/);
  bad(['--shots', '1.5'], /expects an integer, found '1.5'/);
  bad(['--shots', '-1'], /at least 0/);
  bad(['--scale', 'abc'], /expects a number, found 'abc'/);
  bad(['--scale='], /expects a number, found ''/);
  bad(['--format', 'json'], /one of qasm, qsim, found 'json'/);
  bad(['--json=maybe'], /true or false/);
  bad(['--no-json=1'], /takes no value/);
});

test('formatFlags aligns usage lines', () => {
  const text = formatFlags(TABLE);
  assert.match(text, /^ {2}--json {2,}json out$/m);
  assert.match(text, /^ {2}--shots N {2,}shots$/m);
  assert.match(text, /^ {2}-o, --observable VALUE +\(repeatable\)$/m);
  assert.match(text, /--format qasm\|qsim/);
});

test('main() reports errors by kind with the promised exit codes', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) };
  assert.equal(await main(['--version'], io), 0);
  assert.match(out.join(''), /^\d+\.\d+\.\d+\n$/);
  assert.equal(await main(['bogus'], io), 1);
  assert.match(err.join(''), /taizhang: error: unknown command 'bogus'/);
  assert.equal(await main(['help', 'run'], io), 0);
  assert.match(out.join(''), /Usage: taizhang run FILE/);
});
