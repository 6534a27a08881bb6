/**
 * OpenQASM 2.0 tokenizer. Every token carries its 1-based line and column so the parser can
 * report located errors.
 */
import { CircuitSyntaxError } from '../errors.js';

export type TokenKind = 'id' | 'int' | 'real' | 'string' | 'sym' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for strings: the contents without quotes). */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const SYMBOLS1 = ';,()[]{}+-*/^';
/** OpenQASM reals (1.5, .5, 1., 1e-3, 1.5E+2) and integers; sticky so no substrings are made. */
const NUMBER = /(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?/y;

const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdPart = (c: number) => isIdStart(c) || isDigit(c);

/** Human-readable form of a token for "found …" messages. */
export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'string') return `"${t.text}"`;
  return `'${t.text}'`;
}

/** Splits `source` into tokens, rejecting binary content and unterminated strings/comments. */
export function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const n = source.length;
  const fail = (msg: string, l = line, c = col): never => {
    throw new CircuitSyntaxError(msg, l, c, file);
  };
  // Binary content is refused up front, wherever it is (strings and comments included).
  const bad = source.search(/[\u0000\uFFFD]/);
  if (bad >= 0) {
    const before = source.slice(0, bad);
    const l = before.split('\n').length;
    const c = bad - before.lastIndexOf('\n');
    fail(
      source.charCodeAt(bad) === 0
        ? 'binary file: found a NUL byte, expected OpenQASM text'
        : 'binary file: found invalid UTF-8 (replacement character U+FFFD), expected OpenQASM text',
      l,
      c,
    );
  }
  // A leading byte-order mark is harmless.
  if (source.charCodeAt(0) === 0xfeff) {
    i = 1;
  }
  while (i < n) {
    const ch = source[i];
    const code = source.charCodeAt(i);
    if (ch === '\n') {
      i++;
      line++;
      col = 1;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
      i++;
      col++;
      continue;
    }
    if (code === 0) fail('binary file: found a NUL byte, expected OpenQASM text');
    if (code === 0xfffd) fail('binary file: found invalid UTF-8 (replacement character U+FFFD), expected OpenQASM text');
    if (ch === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') {
        const c = source.charCodeAt(i);
        if (c === 0) fail('binary file: found a NUL byte, expected OpenQASM text');
        if (c === 0xfffd) fail('binary file: found invalid UTF-8 (replacement character U+FFFD), expected OpenQASM text');
        i++;
        col++;
      }
      continue;
    }
    if (ch === '/' && source[i + 1] === '*') {
      const sl = line;
      const sc = col;
      i += 2;
      col += 2;
      for (;;) {
        if (i >= n) fail("unterminated comment: expected '*/', found end of file", sl, sc);
        const c = source.charCodeAt(i);
        if (c === 0) fail('binary file: found a NUL byte, expected OpenQASM text');
        if (c === 0xfffd) fail('binary file: found invalid UTF-8 (replacement character U+FFFD), expected OpenQASM text');
        if (source[i] === '*' && source[i + 1] === '/') {
          i += 2;
          col += 2;
          break;
        }
        if (source[i] === '\n') {
          line++;
          col = 1;
        } else col++;
        i++;
      }
      continue;
    }
    const startLine = line;
    const startCol = col;
    if (isIdStart(code)) {
      let j = i + 1;
      while (j < n && isIdPart(source.charCodeAt(j))) j++;
      tokens.push({ kind: 'id', text: source.slice(i, j), line: startLine, column: startCol });
      col += j - i;
      i = j;
      continue;
    }
    if (isDigit(code) || ch === '.') {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(source);
      if (!m) fail(`unexpected character '.': expected a number`);
      const text = m![0];
      const after = source.charCodeAt(i + text.length);
      if (isIdStart(after)) fail(`malformed number '${text}${source[i + text.length]}'`);
      let isInt = true;
      for (let k = 0; k < text.length && isInt; k++) isInt = isDigit(text.charCodeAt(k));
      tokens.push({ kind: isInt ? 'int' : 'real', text: text, line: startLine, column: startCol });
      i += text.length;
      col += text.length;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < n && source[j] !== '"' && source[j] !== '\n') j++;
      if (j >= n || source[j] !== '"') fail('unterminated string: expected closing \'"\' before end of line');
      tokens.push({ kind: 'string', text: source.slice(i + 1, j), line: startLine, column: startCol });
      col += j + 1 - i;
      i = j + 1;
      continue;
    }
    const next = source[i + 1];
    if ((ch === '-' && next === '>') || (ch === '=' && next === '=')) {
      tokens.push({ kind: 'sym', text: ch + next, line: startLine, column: startCol });
      i += 2;
      col += 2;
      continue;
    }
    if (SYMBOLS1.includes(ch)) {
      tokens.push({ kind: 'sym', text: ch, line: startLine, column: startCol });
      i += 1;
      col += 1;
      continue;
    }
    const shown = code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
    fail(`unexpected character '${shown}'`);
  }
  tokens.push({ kind: 'eof', text: '', line, column: col });
  return tokens;
}
