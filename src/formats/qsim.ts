/**
 * Google qsim's circuit text format (the files in qsim's `circuits/` folder).
 *
 * ```
 * 4                 # first non-comment line: number of qubits
 * 0 h 0             # time gate qubits… params…
 * 1 cz 0 1
 * 2 fs 1 2 1.57 0.52
 * 3 m 0 1 2 3       # measurement of any number of qubits
 * 4 c 0 1 x 2       # controlled gate: `c`, control qubits, then the gate
 * ```
 * Blank lines, trailing spaces and `#` comments (whole-line or trailing) are accepted.
 * Gates run in order of their time; gates with equal times keep their file order (qsim applies
 * gates of one time step independently, so any order within a step gives the same state).
 * Measurements write to a classical register `m`, one bit per measured qubit in file order.
 *
 * Gate names map onto the gate table: `x_1_2`→`sx`, `y_1_2`→`sy`, `hz_1_2`→`sqrtw`,
 * `fs`→`fsim`, `is`→`iswap`, `cnot`/`cx`→`cx`, `sw`→`swap`, `id1`→`id`, `id2`→ two `id`;
 * qsim's `cp(φ) = diag(1,1,1,e^{-iφ})` becomes our `cp(-φ)`.
 */
import { Circuit, type GateOperation, type Operation } from '../circuit/circuit.js';
import { controlled } from '../circuit/matrix.js';
import { getGate } from '../circuit/gates.js';
import { CircuitSyntaxError } from './errors.js';

/** qsim name → (gate-table name, how to convert parameters). */
interface QsimGate {
  readonly table: string;
  readonly qubits: number;
  readonly params: number;
  readonly convert?: (p: readonly number[]) => number[];
}

const QSIM_GATES: ReadonlyMap<string, QsimGate> = new Map<string, QsimGate>([
  ['id1', { table: 'id', qubits: 1, params: 0 }],
  ['h', { table: 'h', qubits: 1, params: 0 }],
  ['t', { table: 't', qubits: 1, params: 0 }],
  ['s', { table: 's', qubits: 1, params: 0 }],
  ['x', { table: 'x', qubits: 1, params: 0 }],
  ['y', { table: 'y', qubits: 1, params: 0 }],
  ['z', { table: 'z', qubits: 1, params: 0 }],
  ['x_1_2', { table: 'sx', qubits: 1, params: 0 }],
  ['y_1_2', { table: 'sy', qubits: 1, params: 0 }],
  ['hz_1_2', { table: 'sqrtw', qubits: 1, params: 0 }],
  ['rx', { table: 'rx', qubits: 1, params: 1 }],
  ['ry', { table: 'ry', qubits: 1, params: 1 }],
  ['rz', { table: 'rz', qubits: 1, params: 1 }],
  ['rxy', { table: 'rxy', qubits: 1, params: 2 }],
  ['id2', { table: 'id', qubits: 2, params: 0 }],
  ['cz', { table: 'cz', qubits: 2, params: 0 }],
  ['cx', { table: 'cx', qubits: 2, params: 0 }],
  ['cnot', { table: 'cx', qubits: 2, params: 0 }],
  ['sw', { table: 'swap', qubits: 2, params: 0 }],
  ['is', { table: 'iswap', qubits: 2, params: 0 }],
  ['fs', { table: 'fsim', qubits: 2, params: 2 }],
  ['cp', { table: 'cp', qubits: 2, params: 1, convert: (p) => [-p[0]] }],
]);

/** Gate-table name → qsim name, for the writer. */
const WRITE_NAMES: ReadonlyMap<string, string> = new Map([
  ['id', 'id1'],
  ['h', 'h'],
  ['t', 't'],
  ['s', 's'],
  ['x', 'x'],
  ['y', 'y'],
  ['z', 'z'],
  ['sx', 'x_1_2'],
  ['sy', 'y_1_2'],
  ['sqrtw', 'hz_1_2'],
  ['rx', 'rx'],
  ['ry', 'ry'],
  ['rz', 'rz'],
  ['rxy', 'rxy'],
  ['cz', 'cz'],
  ['cx', 'cnot'],
  ['iswap', 'is'],
  ['fsim', 'fs'],
  ['cp', 'cp'],
]);

/** The qsim gate names the reader accepts (plus `m` and `c`). */
export const QSIM_GATE_NAMES: readonly string[] = Object.freeze([...QSIM_GATES.keys()]);

interface Token {
  readonly text: string;
  /** 1-based column. */
  readonly column: number;
}

function tokens(line: string): Token[] {
  const out: Token[] = [];
  const re = /[^\s]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push({ text: m[0], column: m.index + 1 });
  return out;
}

interface PendingOp {
  readonly time: number;
  readonly order: number;
  /** Built once the classical register exists (measurements need their bit index). */
  readonly make: (clbitBase: number) => Operation[];
}

/**
 * Reads a qsim circuit file.
 * @param file name used in error messages
 * @throws CircuitSyntaxError `FILE:LINE:COL: error: …` for malformed input
 */
export function parseQsim(text: string, file = '<input>'): Circuit {
  const lines = text.split(/\r\n|\r|\n/);
  let numQubits = -1;
  const pending: PendingOp[] = [];
  let measured = 0;

  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const hash = lines[li].indexOf('#');
    const toks = tokens(hash >= 0 ? lines[li].slice(0, hash) : lines[li]);
    if (toks.length === 0) continue;
    const fail = (detail: string, column: number): never => {
      throw new CircuitSyntaxError(detail, lineNo, column, file);
    };
    const endColumn = () => {
      const last = toks[toks.length - 1];
      return last.column + last.text.length;
    };

    if (numQubits < 0) {
      const t = toks[0];
      if (!/^\d+$/.test(t.text)) fail(`expected the number of qubits on the first line, found '${t.text}'`, t.column);
      numQubits = Number(t.text);
      if (numQubits < 1) fail(`the number of qubits must be at least 1, found ${t.text}`, t.column);
      if (toks.length > 1) fail(`expected only the number of qubits on the first line, found '${toks[1].text}'`, toks[1].column);
      continue;
    }

    const n = numQubits;
    const timeTok = toks[0];
    if (!/^\d+$/.test(timeTok.text)) fail(`expected a time step (a non-negative integer), found '${timeTok.text}'`, timeTok.column);
    const time = Number(timeTok.text);
    if (toks.length < 2) fail('expected a gate name after the time step, found end of line', endColumn());
    let at = 1;

    const readQubit = (seen: Set<number>, what: string): number => {
      const t = toks[at];
      if (!t) fail(`expected ${what}, found end of line`, endColumn());
      if (!/^\d+$/.test(t.text)) fail(`expected ${what}, found '${t.text}'`, t.column);
      const q = Number(t.text);
      if (q >= n) fail(`qubit ${q} out of range (the circuit has ${n} qubit${n === 1 ? '' : 's'}: 0..${n - 1})`, t.column);
      if (seen.has(q)) fail(`qubit ${q} used twice in one gate`, t.column);
      seen.add(q);
      at++;
      return q;
    };

    // Measurement: `time m q1 q2 …`.
    if (toks[at].text === 'm') {
      at++;
      const seen = new Set<number>();
      const qubits: number[] = [];
      if (at >= toks.length) fail("expected at least one qubit after 'm', found end of line", endColumn());
      while (at < toks.length) qubits.push(readQubit(seen, 'a qubit index'));
      const first = measured;
      measured += qubits.length;
      pending.push({
        time,
        order: pending.length,
        make: (base) => qubits.map((q, i) => ({ kind: 'measure', qubit: q, clbit: base + first + i, loc: { line: lineNo, column: timeTok.column } })),
      });
      continue;
    }

    // Controlled gate: `time c ctrl… gate targets… params…`.
    const seen = new Set<number>();
    const controls: number[] = [];
    if (toks[at].text === 'c') {
      at++;
      while (at < toks.length && /^\d+$/.test(toks[at].text)) controls.push(readQubit(seen, 'a control qubit'));
      if (controls.length === 0) fail(`expected control qubits after 'c', found ${toks[at] ? `'${toks[at].text}'` : 'end of line'}`, toks[at]?.column ?? endColumn());
      if (at >= toks.length) fail('expected a gate name after the control qubits, found end of line', endColumn());
    }

    const nameTok = toks[at];
    const g = QSIM_GATES.get(nameTok.text);
    if (!g) {
      const hint = nameTok.text === 'm' || nameTok.text === 'c' ? ` ('${nameTok.text}' cannot be controlled)` : ` (known: ${[...QSIM_GATES.keys(), 'm', 'c'].join(', ')})`;
      fail(`unknown qsim gate '${nameTok.text}'${hint}`, nameTok.column);
    }
    at++;
    const targets: number[] = [];
    for (let k = 0; k < g!.qubits; k++) targets.push(readQubit(seen, `qubit ${k + 1} of ${g!.qubits} for gate '${nameTok.text}'`));
    const params: number[] = [];
    for (let k = 0; k < g!.params; k++) {
      const t = toks[at];
      if (!t) fail(`gate '${nameTok.text}' takes ${g!.params} parameter${g!.params === 1 ? '' : 's'}, found ${k}`, endColumn());
      const v = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t.text) ? Number(t.text) : NaN;
      if (!Number.isFinite(v)) fail(`expected a numeric parameter for gate '${nameTok.text}', found '${t.text}'`, t.column);
      params.push(v);
      at++;
    }
    if (at < toks.length) {
      const t = toks[at];
      fail(
        `unexpected '${t.text}' after gate '${nameTok.text}' (it takes ${g!.qubits} qubit${g!.qubits === 1 ? '' : 's'} and ${g!.params} parameter${g!.params === 1 ? '' : 's'})`,
        t.column,
      );
    }
    const spec = g!;
    const loc = { line: lineNo, column: timeTok.column };
    const tableParams = spec.convert ? spec.convert(params) : params;
    const label = nameTok.text;
    pending.push({
      time,
      order: pending.length,
      make: () => {
        if (spec.table === 'id' && spec.qubits === 2)
          return targets.map((q): GateOperation => ({ kind: 'gate', name: 'id', qubits: [q], params: [], loc }));
        if (controls.length === 0) return [{ kind: 'gate', name: spec.table, qubits: targets, params: tableParams, loc }];
        const m = controlled(getGate(spec.table).matrix(tableParams), controls.length);
        return [{ kind: 'gate', name: 'unitary', qubits: [...controls, ...targets], params: [], matrix: m, label: `c${controls.length}-${label}`, loc }];
      },
    });
  }

  if (numQubits < 0) {
    const blank = text.trim() === '';
    throw new CircuitSyntaxError(
      blank ? 'empty file: expected the number of qubits on the first line' : 'expected the number of qubits, found only comments',
      blank ? 1 : Math.max(1, lines.length - (lines[lines.length - 1] === '' ? 1 : 0)),
      1,
      file,
    );
  }
  const circuit = new Circuit(numQubits);
  if (measured > 0) circuit.addCreg('m', measured);
  // Stable order by time: Array.prototype.sort is stable, ties keep file order.
  pending.sort((a, b) => a.time - b.time || a.order - b.order);
  for (const p of pending) for (const op of p.make(0)) circuit.append(op);
  return circuit;
}

/** Formats a number so it reads back exactly. */
function num(x: number): string {
  return String(x);
}

/**
 * Writes a circuit in qsim's format. Gates get ASAP time steps (a gate's time is one more than
 * the latest gate on any of its qubits). Only gates with a qsim name can be written, plus
 * `measure` (as `m`) and barriers (which only separate time steps).
 * @throws Error naming the first operation qsim cannot express
 */
export function writeQsim(circuit: Circuit): string {
  const n = circuit.numQubits;
  if (n < 1) throw new Error('writeQsim: the circuit has no qubits');
  const next = new Array<number>(n).fill(0);
  const lines: string[] = [String(n)];
  for (const op of circuit.operations) {
    if (op.kind === 'barrier') {
      const t = Math.max(...op.qubits.map((q) => next[q]));
      for (const q of op.qubits) next[q] = t;
      continue;
    }
    if (op.condition) throw new Error(`writeQsim: qsim has no classically controlled operations (${op.kind} on line ${op.loc?.line ?? '?'})`);
    if (op.kind === 'reset') throw new Error('writeQsim: qsim has no reset operation');
    const qubits = op.kind === 'measure' ? [op.qubit] : op.qubits;
    const time = Math.max(...qubits.map((q) => next[q]));
    for (const q of qubits) next[q] = time + 1;
    if (op.kind === 'measure') {
      lines.push(`${time} m ${op.qubit}`);
      continue;
    }
    const name = WRITE_NAMES.get(op.name);
    if (!name) {
      throw new Error(
        `writeQsim: gate '${op.name}' has no qsim equivalent (qsim gates: ${[...new Set(WRITE_NAMES.values())].join(', ')})`,
      );
    }
    const params = op.name === 'cp' ? [-op.params[0]] : op.params;
    lines.push([String(time), name, ...op.qubits.map(String), ...params.map(num)].join(' '));
  }
  return `${lines.join('\n')}\n`;
}
