/**
 * Pauli-sum observables written as text, e.g. `"0.5*Z0Z1 + X3 - 2*Y2"`.
 *
 * Grammar (whitespace allowed between tokens):
 * ```
 * sum    := ['+'|'-'] term (('+'|'-') term)*
 * term   := number ['*'] paulis | number | paulis
 * paulis := factor (['*'] factor)*
 * factor := ('I'|'X'|'Y'|'Z') qubit-index        (letters case-insensitive)
 * number := decimal literal, optional exponent (1, 0.5, .25, 2e-3)
 * ```
 * `I` factors are dropped; a term without factors is a multiple of the identity. A qubit may
 * appear at most once per term.
 */
import { CircuitSyntaxError } from '../formats/errors.js';
import type { PauliSum, PauliTerm } from '../engine/types.js';

/** Options of {@link parsePauliSum}. */
export interface ParsePauliSumOptions {
  /** Name used in error messages (default `<observable>`). */
  readonly file?: string;
}

type Factor = { readonly qubit: number; readonly pauli: 'X' | 'Y' | 'Z' };

/**
 * Parses a Pauli-sum observable.
 * @param text e.g. `"0.5*Z0Z1 + X3 - 2*Y2"`
 * @param numQubits when given, qubit indices must be below it
 * @throws CircuitSyntaxError located at the offending column (line 1)
 */
export function parsePauliSum(text: string, numQubits?: number, options: ParsePauliSumOptions = {}): PauliSum {
  const file = options.file ?? '<observable>';
  let pos = 0;
  const fail = (detail: string, at = pos): never => {
    throw new CircuitSyntaxError(detail, 1, at + 1, file);
  };
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const found = () => (pos >= text.length ? 'end of input' : `'${text[pos]}'`);
  const numberRe = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
  const factorRe = /^[IXYZixyz]/;

  const terms: PauliTerm[] = [];
  skip();
  if (pos >= text.length) fail('expected a Pauli term such as 0.5*Z0Z1, found an empty observable');
  let sign = 1;
  if (text[pos] === '+' || text[pos] === '-') {
    sign = text[pos] === '-' ? -1 : 1;
    pos++;
    skip();
  }
  for (;;) {
    // One term.
    let coefficient = 1;
    let hasNumber = false;
    const m = numberRe.exec(text.slice(pos));
    if (m) {
      coefficient = Number(m[0]);
      hasNumber = true;
      pos += m[0].length;
      skip();
      if (text[pos] === '*') {
        pos++;
        skip();
        if (!factorRe.test(text[pos] ?? '')) fail(`expected a Pauli factor (X, Y, Z or I followed by a qubit index) after '*', found ${found()}`);
      }
    }
    const factors: Factor[] = [];
    const seen = new Map<number, number>();
    while (factorRe.test(text[pos] ?? '')) {
      const start = pos;
      const letter = text[pos].toUpperCase() as 'I' | 'X' | 'Y' | 'Z';
      pos++;
      const digits = /^\d+/.exec(text.slice(pos));
      if (!digits) fail(`expected a qubit index after '${text[start]}', found ${found()}`);
      const qubit = Number(digits![0]);
      if (!Number.isSafeInteger(qubit)) fail(`qubit index ${digits![0]} is too large`, pos);
      if (numQubits !== undefined && qubit >= numQubits)
        fail(`qubit index ${qubit} out of range (the circuit has ${numQubits} qubit${numQubits === 1 ? '' : 's'})`, pos);
      if (seen.has(qubit)) fail(`qubit ${qubit} appears twice in one Pauli term`, start);
      seen.set(qubit, start);
      pos += digits![0].length;
      if (letter !== 'I') factors.push({ qubit, pauli: letter });
      skip();
      if (text[pos] === '*') {
        pos++;
        skip();
        if (!factorRe.test(text[pos] ?? '')) fail(`expected a Pauli factor after '*', found ${found()}`);
      }
    }
    if (!hasNumber && seen.size === 0)
      fail(`expected a coefficient or a Pauli factor (X, Y, Z or I followed by a qubit index), found ${found()}`);
    factors.sort((a, b) => a.qubit - b.qubit);
    terms.push({ coefficient: sign * coefficient, factors });
    skip();
    if (pos >= text.length) break;
    if (text[pos] === '+' || text[pos] === '-') {
      sign = text[pos] === '-' ? -1 : 1;
      pos++;
      skip();
      continue;
    }
    fail(`expected '+', '-' or end of observable, found ${found()}`);
  }
  return { terms };
}

/** The text form of one term's Pauli string, e.g. `Z0Z1` (empty for the identity). */
export function formatPauliString(term: PauliTerm): string {
  return term.factors.map((f) => `${f.pauli}${f.qubit}`).join('');
}

/**
 * Writes a Pauli sum in the syntax {@link parsePauliSum} reads: `0.5*Z0Z1 + X3 - 2*Y2`.
 * Coefficients are printed with full precision so the text parses back to the same numbers.
 */
export function formatPauliSum(sum: PauliSum): string {
  if (sum.terms.length === 0) return '0';
  return sum.terms
    .map((t, i) => {
      const neg = t.coefficient < 0 || Object.is(t.coefficient, -0);
      const mag = Math.abs(t.coefficient);
      const paulis = formatPauliString(t);
      const body = paulis === '' ? String(mag) : mag === 1 ? paulis : `${mag}*${paulis}`;
      if (i === 0) return neg ? `-${body}` : body;
      return `${neg ? ' - ' : ' + '}${body}`;
    })
    .join('');
}

/** Largest qubit index used by the observable, or -1 when it is a multiple of the identity. */
export function pauliSumMaxQubit(sum: PauliSum): number {
  let max = -1;
  for (const t of sum.terms) for (const f of t.factors) max = Math.max(max, f.qubit);
  return max;
}
