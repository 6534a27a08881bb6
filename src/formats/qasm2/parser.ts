/**
 * OpenQASM 2.0 reader: source text → {@link Circuit}.
 *
 * User `gate` definitions are expanded at parse time into gate-table operations, so engines only
 * ever see table gates. The gates of `qelib1.inc` (and the builtins `U`, `CX`) map directly onto
 * the table entries of the same name. A user definition whose name is a table gate and whose body
 * equals that gate's matrix *exactly* (checked numerically at two parameter points) is kept as
 * the native gate; this is how `writeQasm` output for `fsim`, `iswap`, … reads back unchanged.
 */
import { Circuit, type Condition } from '../../circuit/circuit.js';
import { type GateSpec, lookupGate } from '../../circuit/gates.js';
import { embed, identity, matmul, maxAbsDiff } from '../../circuit/matrix.js';
import { CircuitSyntaxError } from '../errors.js';
import { type Expr, FUNCTIONS, type FunctionName, evaluate, firstToken } from './expr.js';
import { type Token, describe, tokenize } from './lexer.js';
import { QELIB1_GATES } from './qelib1.js';

/** Options of {@link parseQasm}. */
export interface QasmParseOptions {
  /**
   * Keep user gate definitions named like a table gate as that native gate when their body
   * equals the table matrix exactly (default `true`). `false` always expands user gates.
   */
  readonly matchTableGates?: boolean;
  /** Largest register size accepted (default 2^20). */
  readonly maxRegisterSize?: number;
  /** Largest number of operations after gate expansion (default 10^7). */
  readonly maxOperations?: number;
}

const DEFAULT_MAX_REGISTER = 1 << 20;
const DEFAULT_MAX_OPS = 10_000_000;
const MAX_EXPR_DEPTH = 500;

interface BodyCall {
  readonly name: Token;
  readonly params: readonly Expr[];
  readonly args: readonly Token[];
}

interface UserGate {
  readonly kind: 'user';
  readonly name: string;
  readonly params: readonly string[];
  readonly qargs: readonly string[];
  readonly body: readonly BodyCall[];
  /** Number of table gates one call expands to (may be huge: checked before expanding). */
  readonly size: number;
}
interface NativeGate {
  readonly kind: 'native';
  readonly name: string;
  readonly spec: GateSpec;
}
interface OpaqueGate {
  readonly kind: 'opaque';
  readonly name: string;
  readonly params: number;
  readonly qargs: number;
}
type GateDef = UserGate | NativeGate | OpaqueGate;

/** A table gate applied to local qubit positions (result of expanding a definition). */
interface Flat {
  readonly spec: GateSpec;
  readonly qubits: readonly number[];
  readonly params: readonly number[];
}

interface Arg {
  readonly tok: Token;
  readonly reg: { readonly name: string; readonly size: number; readonly offset: number; readonly quantum: boolean };
  /** Index inside the register, or undefined for the whole register. */
  readonly index?: number;
}

/**
 * Parses OpenQASM 2.0 source into a circuit. Registers are added in declaration order, so qubit 0
 * is the first qubit of the first `qreg`.
 * @throws CircuitSyntaxError for every input error, located at the offending token.
 */
export function parseQasm(source: string, file = '<input>', options: QasmParseOptions = {}): Circuit {
  if (typeof source !== 'string') throw new CircuitSyntaxError('expected OpenQASM text', 1, 1, file);
  if (source.trim() === '') throw new CircuitSyntaxError("empty file: expected 'OPENQASM 2.0;'", 1, 1, file);
  const p = new Parser(tokenize(source, file), file, options);
  try {
    return p.program();
  } catch (e) {
    if (e instanceof CircuitSyntaxError) throw e;
    // Safety net: any internal failure is still reported as a located input error.
    const t = p.current();
    const msg = e instanceof RangeError ? 'input nested too deeply' : `invalid input (${e instanceof Error ? e.message : String(e)})`;
    throw new CircuitSyntaxError(msg, t.line, t.column, file);
  }
}

class Parser {
  private pos = 0;
  private readonly circuit = new Circuit();
  private readonly gates = new Map<string, GateDef>();
  private readonly regs = new Map<string, Arg['reg']>();
  private qelib1 = false;
  private opCount = 0;
  private readonly maxReg: number;
  private readonly maxOps: number;
  private readonly matchTable: boolean;

  constructor(
    private readonly toks: Token[],
    private readonly file: string,
    options: QasmParseOptions,
  ) {
    this.maxReg = options.maxRegisterSize ?? DEFAULT_MAX_REGISTER;
    this.maxOps = options.maxOperations ?? DEFAULT_MAX_OPS;
    this.matchTable = options.matchTableGates ?? true;
    this.gates.set('U', { kind: 'native', name: 'U', spec: lookupGate('u3')! });
    this.gates.set('CX', { kind: 'native', name: 'CX', spec: lookupGate('cx')! });
  }

  current(): Token {
    return this.toks[this.pos];
  }
  private peek(k = 1): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.toks[this.pos];
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  private fail(msg: string, t: Token = this.current()): never {
    throw new CircuitSyntaxError(msg, t.line, t.column, this.file);
  }
  private isSym(s: string, t = this.current()): boolean {
    return t.kind === 'sym' && t.text === s;
  }
  private expectSym(s: string, what: string): Token {
    const t = this.current();
    if (!this.isSym(s)) this.fail(`expected '${s}' ${what}, found ${describe(t)}`);
    return this.next();
  }
  private expectId(what: string): Token {
    const t = this.current();
    if (t.kind !== 'id') this.fail(`expected ${what}, found ${describe(t)}`);
    return this.next();
  }
  private expectInt(what: string): number {
    const t = this.current();
    if (t.kind !== 'int') this.fail(`expected ${what}, found ${describe(t)}`);
    const v = Number(t.text);
    if (!Number.isSafeInteger(v)) this.fail(`${what} ${t.text} is too large`);
    this.next();
    return v;
  }
  private endStatement(): void {
    this.expectSym(';', 'after statement');
  }

  program(): Circuit {
    this.header();
    while (this.current().kind !== 'eof') this.statement();
    return this.circuit;
  }

  private header(): void {
    const t = this.current();
    if (t.kind === 'eof') this.fail("expected 'OPENQASM 2.0;' header, found end of file");
    if (t.kind !== 'id' || t.text !== 'OPENQASM') this.fail(`expected 'OPENQASM 2.0;' header, found ${describe(t)}`);
    this.next();
    const v = this.current();
    if (v.kind !== 'real' && v.kind !== 'int') this.fail(`expected version number 2.0 after 'OPENQASM', found ${describe(v)}`);
    if (Number(v.text) !== 2) this.fail(`unsupported OpenQASM version '${v.text}': expected 2.0`, v);
    this.next();
    this.endStatement();
  }

  private statement(): void {
    const t = this.current();
    if (t.kind !== 'id') this.fail(`expected a statement, found ${describe(t)}`);
    switch (t.text) {
      case 'OPENQASM':
        return this.fail("unexpected second 'OPENQASM' header");
      case 'include':
        return this.include();
      case 'qreg':
      case 'creg':
        return this.register(t.text === 'qreg');
      case 'gate':
        return this.gateDef();
      case 'opaque':
        return this.opaqueDef();
      case 'barrier':
        return this.barrier();
      case 'if':
        return this.ifStatement();
      default:
        return this.quantumOp(undefined);
    }
  }

  private include(): void {
    this.next();
    const s = this.current();
    if (s.kind !== 'string') this.fail(`expected a file name string after 'include', found ${describe(s)}`);
    if (s.text !== 'qelib1.inc')
      this.fail(`cannot include "${s.text}": only "qelib1.inc" is available (it is built in)`, s);
    this.next();
    this.endStatement();
    if (this.qelib1) return;
    for (const name of QELIB1_GATES) {
      if (this.gates.has(name)) this.fail(`include "qelib1.inc" redefines gate '${name}' declared earlier`, s);
      const spec = lookupGate(name);
      if (!spec) throw new Error(`qelib1 gate ${name} missing from the gate table`);
      this.gates.set(name, { kind: 'native', name, spec });
    }
    this.qelib1 = true;
  }

  private register(quantum: boolean): void {
    const kw = this.next();
    const name = this.expectId(`register name after '${kw.text}'`);
    this.expectSym('[', `after register name '${name.text}'`);
    const st = this.current();
    if (this.isSym('-')) this.fail(`register size must be a positive integer, found '-'`);
    if (st.kind === 'real') this.fail(`register size must be a positive integer, found '${st.text}'`);
    if (st.kind !== 'int') this.fail(`expected register size (a positive integer), found ${describe(st)}`);
    const size = Number(st.text);
    if (!Number.isSafeInteger(size) || size > this.maxReg)
      this.fail(`register '${name.text}' of size ${st.text} is too large (at most ${this.maxReg})`, st);
    if (size <= 0) this.fail(`register size must be a positive integer, found '${st.text}'`, st);
    this.next();
    this.expectSym(']', 'after register size');
    this.endStatement();
    if (this.regs.has(name.text)) this.fail(`duplicate declaration of register '${name.text}'`, name);
    const total = (quantum ? this.circuit.numQubits : this.circuit.numClbits) + size;
    if (total > this.maxReg)
      this.fail(`too many ${quantum ? 'qubits' : 'classical bits'}: ${total} in all (at most ${this.maxReg})`, st);
    const r = quantum ? this.circuit.addQreg(name.text, size) : this.circuit.addCreg(name.text, size);
    this.regs.set(name.text, { name: r.name, size: r.size, offset: r.offset, quantum });
  }

  private idList(what: string, terminators: string[]): Token[] {
    const out: Token[] = [this.expectId(what)];
    while (this.isSym(',')) {
      this.next();
      out.push(this.expectId(what));
    }
    if (this.isSym('['))
      this.fail(`expected ${what} without an index (gate declarations and bodies use plain argument names), found '['`);
    if (!terminators.some((s) => this.isSym(s)))
      this.fail(`expected ${terminators.map((s) => `'${s}'`).join(' or ')} after ${what}, found ${describe(this.current())}`);
    return out;
  }

  private checkUnique(ids: Token[], what: string): void {
    const seen = new Set<string>();
    for (const t of ids) {
      if (seen.has(t.text)) this.fail(`duplicate ${what} '${t.text}'`, t);
      seen.add(t.text);
    }
  }

  private gateHead(kind: string): { name: Token; params: Token[]; qargs: Token[] } {
    this.next();
    const name = this.expectId(`gate name after '${kind}'`);
    if (this.gates.has(name.text)) this.fail(`duplicate declaration of gate '${name.text}'`, name);
    let params: Token[] = [];
    if (this.isSym('(')) {
      this.next();
      if (!this.isSym(')')) params = this.idList('parameter name', [')']);
      this.next();
    }
    const qargs = this.idList('qubit argument name', kind === 'gate' ? ['{'] : [';']);
    for (const t of params)
      if (t.text === 'pi' || (FUNCTIONS as readonly string[]).includes(t.text))
        this.fail(`'${t.text}' is reserved and cannot name a gate parameter`, t);
    this.checkUnique([...params, ...qargs], 'name in gate declaration');
    return { name, params, qargs };
  }

  private opaqueDef(): void {
    const { name, params, qargs } = this.gateHead('opaque');
    this.endStatement();
    this.gates.set(name.text, { kind: 'opaque', name: name.text, params: params.length, qargs: qargs.length });
  }

  private gateDef(): void {
    const { name, params, qargs } = this.gateHead('gate');
    const open = this.next(); // '{'
    const paramNames = new Set(params.map((t) => t.text));
    const qargNames = new Set(qargs.map((t) => t.text));
    const body: BodyCall[] = [];
    for (;;) {
      const t = this.current();
      if (this.isSym('}')) {
        this.next();
        break;
      }
      if (t.kind === 'eof')
        this.fail(`expected '}' to close the body of gate '${name.text}' (opened at ${open.line}:${open.column}), found end of file`);
      if (t.kind !== 'id') this.fail(`expected a gate call or '}' in the body of gate '${name.text}', found ${describe(t)}`);
      if (t.text === 'barrier') {
        this.next();
        for (const a of this.idList('qubit argument', [';'])) {
          if (!qargNames.has(a.text)) this.fail(`'${a.text}' is not a qubit argument of gate '${name.text}'`, a);
        }
        this.endStatement();
        continue;
      }
      if (['measure', 'reset', 'if', 'qreg', 'creg', 'gate', 'opaque', 'include'].includes(t.text))
        this.fail(`'${t.text}' is not allowed in the body of gate '${name.text}'`);
      const callName = this.next();
      const def = this.gates.get(callName.text);
      if (!def) {
        if (callName.text === name.text) this.fail(`gate '${name.text}' cannot call itself`, callName);
        this.fail(`unknown gate '${callName.text}'`, callName);
      }
      const exprs = this.isSym('(') ? this.paramList(paramNames) : [];
      const args = this.idList('qubit argument', [';']);
      for (const a of args) {
        if (!qargNames.has(a.text))
          this.fail(`'${a.text}' is not a qubit argument of gate '${name.text}' (gate bodies use argument names, not registers)`, a);
      }
      this.checkCallShape(def!, callName, exprs.length, args.length);
      const seen = new Set<string>();
      for (const a of args) {
        if (seen.has(a.text)) this.fail(`qubit argument '${a.text}' used twice in one call of gate '${callName.text}'`, a);
        seen.add(a.text);
      }
      this.endStatement();
      body.push({ name: callName, params: exprs, args });
    }
    const user: UserGate = {
      kind: 'user',
      name: name.text,
      params: params.map((t) => t.text),
      qargs: qargs.map((t) => t.text),
      body,
      size: body.reduce((n, c) => n + this.sizeOf(this.gates.get(c.name.text)!), 0),
    };
    const spec = lookupGate(name.text);
    if (
      this.matchTable &&
      spec &&
      spec.name === name.text &&
      spec.qubits === user.qargs.length &&
      spec.params.length === user.params.length &&
      this.equalsTable(user, spec, name)
    ) {
      this.gates.set(name.text, { kind: 'native', name: name.text, spec });
    } else {
      this.gates.set(name.text, user);
    }
  }

  /** True when the body's unitary equals the table matrix at two generic parameter points. */
  private equalsTable(user: UserGate, spec: GateSpec, at: Token): boolean {
    const points = [
      [0.7317, -1.2093, 2.4731, 0.3119],
      [-2.0411, 0.5527, -0.8843, 1.7731],
    ];
    const k = spec.qubits;
    for (const pt of points) {
      const params = pt.slice(0, spec.params.length);
      const flat: Flat[] = [];
      // Long bodies are simply expanded: comparing them would cost more than it saves.
      if (user.size > 1000) return false;
      let budget = 1000;
      try {
        this.expand(user, params, Array.from({ length: k }, (_, i) => i), at, (f) => {
          if (--budget < 0) throw new Error('definition too long to compare');
          flat.push(f);
        });
      } catch (e) {
        if (e instanceof CircuitSyntaxError) throw e;
        return false;
      }
      let m = identity(1 << k);
      for (const f of flat) m = matmul(embed(f.spec.matrix(f.params), f.qubits, k), m);
      if (maxAbsDiff(m, spec.matrix(params)) > 1e-9) return false;
    }
    return true;
  }

  private sizeOf(def: GateDef): number {
    return def.kind === 'user' ? def.size : 1;
  }

  private checkCallShape(def: GateDef, name: Token, nParams: number, nArgs: number): void {
    const [wantP, wantQ] =
      def.kind === 'native'
        ? [def.spec.params.length, def.spec.qubits]
        : def.kind === 'user'
          ? [def.params.length, def.qargs.length]
          : [def.params, def.qargs];
    if (nParams !== wantP) this.fail(`gate '${name.text}' takes ${wantP} parameter(s), found ${nParams}`, name);
    if (nArgs !== wantQ) this.fail(`gate '${name.text}' takes ${wantQ} qubit argument(s), found ${nArgs}`, name);
  }

  /** `( expr, … )` — returns the expressions; `params` are the names usable inside a gate body. */
  private paramList(params: ReadonlySet<string> | null): Expr[] {
    this.next(); // '('
    const out: Expr[] = [];
    if (this.isSym(')')) {
      this.next();
      return out;
    }
    for (;;) {
      out.push(this.expr(params, 0));
      if (this.isSym(',')) {
        this.next();
        continue;
      }
      if (this.isSym(')')) {
        this.next();
        return out;
      }
      this.fail(`expected ',' or ')' in parameter list, found ${describe(this.current())}`);
    }
  }

  private expr(params: ReadonlySet<string> | null, depth: number): Expr {
    if (depth > MAX_EXPR_DEPTH) this.fail('expression nested too deeply');
    let left = this.term(params, depth + 1);
    while (this.isSym('+') || this.isSym('-')) {
      const op = this.next();
      const right = this.term(params, depth + 1);
      left = { kind: 'bin', op: op.text as '+' | '-', left, right, tok: op };
    }
    return left;
  }
  private term(params: ReadonlySet<string> | null, depth: number): Expr {
    let left = this.unary(params, depth + 1);
    while (this.isSym('*') || this.isSym('/')) {
      const op = this.next();
      const right = this.unary(params, depth + 1);
      left = { kind: 'bin', op: op.text as '*' | '/', left, right, tok: op };
    }
    return left;
  }
  private unary(params: ReadonlySet<string> | null, depth: number): Expr {
    if (depth > MAX_EXPR_DEPTH) this.fail('expression nested too deeply');
    if (this.isSym('-')) {
      const tok = this.next();
      return { kind: 'neg', arg: this.unary(params, depth + 1), tok };
    }
    if (this.isSym('+')) {
      this.next();
      return this.unary(params, depth + 1);
    }
    const base = this.atom(params, depth + 1);
    if (this.isSym('^')) {
      const op = this.next();
      // Right associative: a^b^c = a^(b^c); the exponent may carry a sign.
      const right = this.unary(params, depth + 1);
      return { kind: 'bin', op: '^', left: base, right, tok: op };
    }
    return base;
  }
  private atom(params: ReadonlySet<string> | null, depth: number): Expr {
    const t = this.current();
    if (t.kind === 'int' || t.kind === 'real') {
      this.next();
      const value = Number(t.text);
      if (!Number.isFinite(value)) this.fail(`number '${t.text}' is out of range`, t);
      return { kind: 'num', value, tok: t };
    }
    if (this.isSym('(')) {
      this.next();
      const e = this.expr(params, depth + 1);
      this.expectSym(')', 'to close parenthesis');
      return e;
    }
    if (t.kind === 'id') {
      if (this.isSym('(', this.peek())) {
        if (!(FUNCTIONS as readonly string[]).includes(t.text))
          this.fail(`unknown function '${t.text}': expected one of ${FUNCTIONS.join(', ')}`, t);
        this.next();
        this.next();
        const arg = this.expr(params, depth + 1);
        this.expectSym(')', `to close the argument of '${t.text}'`);
        return { kind: 'call', fn: t.text as FunctionName, arg, tok: t };
      }
      this.next();
      if (t.text === 'pi') return { kind: 'num', value: Math.PI, tok: t };
      if (params?.has(t.text)) return { kind: 'param', name: t.text, tok: t };
      if ((FUNCTIONS as readonly string[]).includes(t.text)) this.fail(`expected '(' after function '${t.text}', found ${describe(this.current())}`);
      this.fail(params ? `unknown parameter '${t.text}' in expression` : `undefined identifier '${t.text}' in expression (only 'pi' and numbers are allowed here)`, t);
    }
    return this.fail(`expected an expression, found ${describe(t)}`);
  }

  private arg(quantum: boolean, role: string): Arg {
    const tok = this.current();
    if (tok.kind !== 'id') this.fail(`expected ${role}, found ${describe(tok)}`);
    const reg = this.regs.get(tok.text);
    if (!reg) this.fail(`undefined register '${tok.text}'`, tok);
    if (reg!.quantum !== quantum)
      this.fail(
        quantum
          ? `classical register '${tok.text}' used where a qubit is expected`
          : `quantum register '${tok.text}' used where a classical bit is expected`,
        tok,
      );
    this.next();
    if (!this.isSym('[')) return { tok, reg: reg! };
    this.next();
    const it = this.current();
    if (it.kind !== 'int') this.fail(`expected an index (non-negative integer) after '${tok.text}[', found ${describe(it)}`);
    const index = Number(it.text);
    if (!Number.isSafeInteger(index) || index >= reg!.size)
      this.fail(`index ${it.text} out of range for register '${tok.text}' of size ${reg!.size}`, it);
    this.next();
    this.expectSym(']', 'after index');
    return { tok, reg: reg!, index };
  }

  /** Broadcast width of a list of arguments (1 when all are indexed). */
  private width(args: readonly Arg[], what: string): number {
    let w = -1;
    let first: Arg | undefined;
    for (const a of args) {
      if (a.index !== undefined) continue;
      if (w === -1) {
        w = a.reg.size;
        first = a;
      } else if (a.reg.size !== w)
        this.fail(
          `register size mismatch in ${what}: '${first!.reg.name}' has ${w} bit(s) but '${a.reg.name}' has ${a.reg.size}`,
          a.tok,
        );
    }
    return w === -1 ? 1 : w;
  }

  private pick(a: Arg, i: number): number {
    return a.reg.offset + (a.index ?? i);
  }

  private bump(n: number, at: Token): void {
    this.opCount += n;
    if (this.opCount > this.maxOps) this.fail(`circuit too large: more than ${this.maxOps} operations after gate expansion`, at);
  }

  private barrier(): void {
    const kw = this.next();
    const args: Arg[] = [this.arg(true, 'qubit or register after barrier')];
    while (this.isSym(',')) {
      this.next();
      args.push(this.arg(true, 'qubit or register'));
    }
    this.endStatement();
    const qs = new Set<number>();
    for (const a of args) {
      if (a.index !== undefined) qs.add(this.pick(a, 0));
      else for (let i = 0; i < a.reg.size; i++) qs.add(a.reg.offset + i);
    }
    this.bump(1, kw);
    this.circuit.append({ kind: 'barrier', qubits: [...qs], loc: { line: kw.line, column: kw.column } });
  }

  private ifStatement(): void {
    const kw = this.next();
    this.expectSym('(', "after 'if'");
    const rt = this.current();
    if (rt.kind !== 'id') this.fail(`expected a classical register name in 'if', found ${describe(rt)}`);
    const reg = this.regs.get(rt.text);
    if (!reg) this.fail(`undefined classical register '${rt.text}' in 'if'`, rt);
    if (reg!.quantum) this.fail(`'if' needs a classical register, found quantum register '${rt.text}'`, rt);
    this.next();
    if (this.isSym('[')) this.fail(`'if' compares a whole classical register, found '['`);
    this.expectSym('==', `after register '${rt.text}' in 'if'`);
    const value = this.expectInt('an integer value in the condition');
    this.expectSym(')', "to close the 'if' condition");
    const op = this.current();
    if (op.kind === 'id' && ['barrier', 'if', 'qreg', 'creg', 'gate', 'opaque', 'include'].includes(op.text))
      this.fail(`expected a gate, measure or reset after 'if (…)', found '${op.text}'`);
    void kw;
    this.quantumOp(this.circuit.condition(rt.text, value));
  }

  private quantumOp(condition: Condition | undefined): void {
    const t = this.current();
    if (t.kind !== 'id') this.fail(`expected a gate, measure or reset, found ${describe(t)}`);
    const loc = { line: t.line, column: t.column };
    const cond = condition ? { condition } : {};
    if (t.text === 'measure') {
      this.next();
      const q = this.arg(true, 'a qubit or quantum register after measure');
      this.expectSym('->', 'in measure');
      const c = this.arg(false, "a classical bit or register after '->'");
      this.endStatement();
      const qw = q.index === undefined ? q.reg.size : 1;
      const cw = c.index === undefined ? c.reg.size : 1;
      if (qw !== cw || (q.index === undefined) !== (c.index === undefined))
        this.fail(`size mismatch in measure: ${qw} qubit(s) measured into ${cw} bit(s)`, c.tok);
      this.bump(qw, t);
      for (let i = 0; i < qw; i++)
        this.circuit.append({ kind: 'measure', qubit: this.pick(q, i), clbit: this.pick(c, i), ...cond, loc });
      return;
    }
    if (t.text === 'reset') {
      this.next();
      const q = this.arg(true, 'a qubit or quantum register after reset');
      this.endStatement();
      const w = q.index === undefined ? q.reg.size : 1;
      this.bump(w, t);
      for (let i = 0; i < w; i++) this.circuit.append({ kind: 'reset', qubit: this.pick(q, i), ...cond, loc });
      return;
    }
    this.next();
    const def = this.gates.get(t.text);
    if (!def) {
      const hint = !this.qelib1 && lookupGate(t.text) ? ' (did you forget \'include "qelib1.inc";\'?)' : '';
      this.fail(`unknown gate '${t.text}'${hint}`, t);
    }
    const exprs = this.isSym('(') ? this.paramList(null) : [];
    const args: Arg[] = [this.arg(true, `a qubit argument of gate '${t.text}'`)];
    while (this.isSym(',')) {
      this.next();
      args.push(this.arg(true, `a qubit argument of gate '${t.text}'`));
    }
    if (!this.isSym(';')) {
      const n = this.current();
      this.fail(`expected ';' after statement, found ${describe(n)}`);
    }
    this.checkCallShape(def!, t, exprs.length, args.length);
    if (def!.kind === 'opaque') this.fail(`opaque gate '${t.text}' has no definition and cannot be simulated`, t);
    const params = exprs.map((e) => {
      const v = evaluate(e, new Map());
      if (!Number.isFinite(v)) this.fail(`parameter expression evaluates to ${v} (expected a finite number)`, firstToken(e));
      return v;
    });
    this.next(); // ';'
    const w = this.width(args, `call of gate '${t.text}'`);
    if (this.opCount + w * this.sizeOf(def!) > this.maxOps)
      this.fail(`circuit too large: gate '${t.text}' expands to ${w * this.sizeOf(def!)} operations (at most ${this.maxOps} in all)`, t);
    for (let i = 0; i < w; i++) {
      const qubits = args.map((a) => this.pick(a, i));
      const seen = new Map<number, number>();
      qubits.forEach((q, j) => {
        if (seen.has(q)) {
          const a = args[j];
          this.fail(`qubit ${a.reg.name}[${q - a.reg.offset}] used twice in one call of gate '${t.text}'`, a.tok);
        }
        seen.set(q, j);
      });
      this.expand(def!, params, qubits, t, (f) => {
        this.bump(1, t);
        this.circuit.append({ kind: 'gate', name: f.spec.name, qubits: f.qubits, params: f.params, ...cond, loc });
      });
    }
  }

  /** Expands a gate applied to `qubits` with evaluated `params` into table gates. */
  private expand(def: GateDef, params: readonly number[], qubits: readonly number[], at: Token, emit: (f: Flat) => void): void {
    if (def.kind === 'native') {
      emit({ spec: def.spec, qubits, params });
      return;
    }
    if (def.kind === 'opaque') this.fail(`opaque gate '${def.name}' has no definition and cannot be simulated`, at);
    const g = def as UserGate;
    const env = new Map<string, number>();
    g.params.forEach((n, i) => env.set(n, params[i]));
    const qmap = new Map<string, number>();
    g.qargs.forEach((n, i) => qmap.set(n, qubits[i]));
    for (const call of g.body) {
      const sub = this.gates.get(call.name.text)!;
      const ps = call.params.map((e) => {
        const v = evaluate(e, env);
        if (!Number.isFinite(v))
          this.fail(`in gate '${g.name}': parameter of '${call.name.text}' evaluates to ${v} (expected a finite number)`, at);
        return v;
      });
      this.expand(sub, ps, call.args.map((a) => qmap.get(a.text)!), at, emit);
    }
  }
}
