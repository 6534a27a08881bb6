/**
 * Parameter expressions of OpenQASM 2.0: `pi`, numbers, gate parameters, `+ - * / ^` (right
 * associative `^`), unary minus, parentheses and `sin cos tan exp ln sqrt`.
 */
import type { Token } from './lexer.js';

export type Expr =
  | { readonly kind: 'num'; readonly value: number; readonly tok: Token }
  | { readonly kind: 'param'; readonly name: string; readonly tok: Token }
  | { readonly kind: 'neg'; readonly arg: Expr; readonly tok: Token }
  | { readonly kind: 'bin'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly left: Expr; readonly right: Expr; readonly tok: Token }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly arg: Expr; readonly tok: Token };

export type FunctionName = 'sin' | 'cos' | 'tan' | 'exp' | 'ln' | 'sqrt';
export const FUNCTIONS: readonly FunctionName[] = ['sin', 'cos', 'tan', 'exp', 'ln', 'sqrt'];

const FN: Record<FunctionName, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  ln: Math.log,
  sqrt: Math.sqrt,
};

/** Evaluates `e` with gate parameters bound in `env` (every name is checked at parse time). */
export function evaluate(e: Expr, env: ReadonlyMap<string, number>): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'param': {
      const v = env.get(e.name);
      if (v === undefined) throw new Error(`unbound parameter ${e.name}`);
      return v;
    }
    case 'neg':
      return -evaluate(e.arg, env);
    case 'call':
      return FN[e.fn](evaluate(e.arg, env));
    case 'bin': {
      const a = evaluate(e.left, env);
      const b = evaluate(e.right, env);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '^':
          return a ** b;
      }
    }
  }
}

/** The first token of an expression (for error locations). */
export function firstToken(e: Expr): Token {
  return e.kind === 'bin' ? firstToken(e.left) : e.tok;
}
