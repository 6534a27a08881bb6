/**
 * Malformed OpenQASM 2.0 inputs: each must throw CircuitSyntaxError at the exact line and column
 * of the offending token, with a message saying what was expected and what was found.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQasm } from '../../src/formats/qasm2/index.js';
import { CircuitSyntaxError } from '../../src/formats/errors.js';

// [name, source, line, column, message substring]
const CASES: ReadonlyArray<readonly [string, string, number, number, string]> = [
  ["missing semicolon", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0]\nh q[1];\n", 5, 1, "expected ';' after statement, found 'h'"],
  ["missing semicolon at EOF", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0]", 4, 7, "expected ';' after statement, found end of file"],
  ["unknown gate", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nfoo q[0];\n", 4, 1, "unknown gate 'foo'"],
  ["table gate without include", "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n", 3, 1, "unknown gate 'h'"],
  ["wrong arity", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncx q[0];\n", 4, 1, "gate 'cx' takes 2 qubit argument(s), found 1"],
  ["too many qubits", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nh q[0], q[1];\n", 4, 1, "gate 'h' takes 1 qubit argument(s), found 2"],
  ["wrong param count", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz q[0];\n", 4, 1, "gate 'rz' takes 1 parameter(s), found 0"],
  ["too many params", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz(1,2) q[0];\n", 4, 1, "gate 'rz' takes 1 parameter(s), found 2"],
  ["undefined register", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nh r[0];\n", 4, 3, "undefined register 'r'"],
  ["index out of range", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[2];\n", 4, 5, "index 2 out of range for register 'q' of size 2"],
  ["repeated qubit", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncx q[1], q[1];\n", 4, 10, "qubit q[1] used twice in one call of gate 'cx'"],
  ["repeated qubit via broadcast", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncx q, q;\n", 4, 7, "qubit q[0] used twice in one call of gate 'cx'"],
  ["creg as qubit", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nh c[0];\n", 5, 3, "classical register 'c' used where a qubit is expected"],
  ["qreg as bit", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nmeasure q[0] -> q[0];\n", 5, 17, "quantum register 'q' used where a classical bit is expected"],
  ["broadcast size mismatch", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg a[2];\nqreg b[3];\ncx a, b;\n", 5, 7, "register size mismatch in call of gate 'cx': 'a' has 2 bit(s) but 'b' "],
  ["measure size mismatch", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[3];\nmeasure q -> c;\n", 5, 14, "size mismatch in measure: 2 qubit(s) measured into 3 bit(s)"],
  ["measure register into bit", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nmeasure q -> c[0];\n", 5, 14, "size mismatch in measure: 2 qubit(s) measured into 1 bit(s)"],
  ["duplicate register", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg q[2];\n", 4, 6, "duplicate declaration of register 'q'"],
  ["duplicate gate", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g a { h a; }\ngate g a { x a; }\n", 4, 6, "duplicate declaration of gate 'g'"],
  ["redefine qelib gate", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate h a { x a; }\n", 3, 6, "duplicate declaration of gate 'h'"],
  ["unterminated gate body", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ngate g a {\n  h a;\n", 6, 1, "expected '}' to close the body of gate 'g'"],
  ["unknown function", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz(foo(1)) q[0];\n", 4, 4, "unknown function 'foo': expected one of sin, cos, tan, exp, ln, sqrt"],
  ["unknown identifier in expression", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz(theta) q[0];\n", 4, 4, "undefined identifier 'theta' in expression"],
  ["unknown parameter in gate body", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g(a) q { rz(b) q; }\n", 3, 18, "unknown parameter 'b' in expression"],
  ["bad version", "OPENQASM 3.0;\n", 1, 10, "unsupported OpenQASM version '3.0': expected 2.0"],
  ["missing header", "qreg q[1];\n", 1, 1, "expected 'OPENQASM 2.0;' header, found 'qreg'"],
  ["empty file", "", 1, 1, "empty file: expected 'OPENQASM 2.0;'"],
  ["whitespace-only file", "  \n\n", 1, 1, "empty file: expected 'OPENQASM 2.0;'"],
  ["comment-only file", "// nothing here\n", 2, 1, "expected 'OPENQASM 2.0;' header, found end of file"],
  ["NUL byte", "OPENQASM 2.0;\nqreg q[1];\u0000\n", 2, 11, "binary file: found a NUL byte, expected OpenQASM text"],
  ["NUL byte inside a comment", "OPENQASM 2.0;\n// a\u0000b\n", 2, 5, "binary file: found a NUL byte"],
  ["NUL byte inside a string", "OPENQASM 2.0;\ninclude \"q\u0000\";\n", 2, 11, "binary file: found a NUL byte"],
  ["binary junk after a valid header", "OPENQASM 2.0;\n\u0089PNG\r\n\u001a\n\u0000\u0000", 4, 1, "binary file: found a NUL byte"],
  ["reserved parameter name", "OPENQASM 2.0;\ngate g(theta, pi) a { rz(pi) a; }\n", 2, 15, "'pi' is reserved"],
  ["invalid UTF-8", "OPENQASM 2.0;\nqreg q\uFFFD[1];\n", 2, 7, "binary file: found invalid UTF-8"],
  ["unterminated string", "OPENQASM 2.0;\ninclude \"qelib1.inc;\n", 2, 9, "unterminated string: expected closing '\"' before end of line"],
  ["other include", "OPENQASM 2.0;\ninclude \"mylib.inc\";\n", 2, 9, "cannot include \"mylib.inc\": only \"qelib1.inc\" is available"],
  ["unexpected EOF in statement", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncx q[0],", 4, 9, "expected a qubit argument of gate 'cx', found end of file"],
  ["division by zero", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz(pi/0) q[0];\n", 4, 4, "parameter expression evaluates to Infinity"],
  ["non-finite inside gate body", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g(a) q { rz(1/a) q; }\nqreg q[1];\ng(0) q[0];\n", 5, 1, "in gate 'g': parameter of 'rz' evaluates to Infinity"],
  ["ln of negative", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz(ln(-1)) q[0];\n", 4, 4, "parameter expression evaluates to NaN"],
  ["if on unknown creg", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nif(c==1) x q[0];\n", 4, 4, "undefined classical register 'c' in 'if'"],
  ["if on qreg", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nif(q==1) x q[0];\n", 4, 4, "'if' needs a classical register, found quantum register 'q'"],
  ["negative register size", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[-1];\n", 3, 8, "register size must be a positive integer, found '-'"],
  ["non-integer register size", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1.5];\n", 3, 8, "register size must be a positive integer, found '1.5'"],
  ["zero register size", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[0];\n", 3, 8, "register size must be a positive integer, found '0'"],
  ["huge register", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[100000000000];\n", 3, 8, "register 'q' of size 100000000000 is too large"],
  ["astronomically huge register", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[999999999999999999999999999];\n", 3, 8, "register 'q' of size 999999999999999999999999999 is too large"],
  ["opaque gate used", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nopaque magic(a) q;\nqreg q[1];\nmagic(1) q[0];\n", 5, 1, "opaque gate 'magic' has no definition and cannot be simulated"],
  ["unterminated block comment", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n/* never closed\nqreg q[1];\n", 3, 1, "unterminated comment: expected '*/', found end of file"],
  ["unexpected character", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nh q[0]; @\n", 4, 9, "unexpected character '@'"],
  ["missing arrow in measure", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nmeasure q[0] c[0];\n", 5, 14, "expected '->' in measure, found 'c'"],
  ["gate body uses register", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ngate g a { h q[0]; }\n", 4, 15, "expected qubit argument without an index"],
  ["gate calls itself", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g a { g a; }\n", 3, 12, "gate 'g' cannot call itself"],
  ["duplicate gate argument", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g a, a { h a; }\n", 3, 11, "duplicate name in gate declaration 'a'"],
  ["measure inside gate body", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g a { measure a -> c[0]; }\n", 3, 12, "'measure' is not allowed in the body of gate 'g'"],
  ["unclosed parenthesis", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz((1+2) q[0];\n", 4, 10, "expected ',' or ')' in parameter list, found 'q'"],
  ["empty expression", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrz() q[0];\n", 4, 1, "gate 'rz' takes 1 parameter(s), found 0"],
  ["missing index bracket", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0;\n", 4, 6, "expected ']' after index, found ';'"],
  ["second header", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nOPENQASM 2.0;\n", 3, 1, "unexpected second 'OPENQASM' header"],
  ["exponential gate expansion", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g0 a { x a; x a; x a; x a; x a; x a; x a; x a; x a; x a; }\ngate g1 a { g0 a; g0 a; g0 a; g0 a; g0 a; g0 a; g0 a; g0 a; g0 a; g0 a; }\ngate g2 a { g1 a; g1 a; g1 a; g1 a; g1 a; g1 a; g1 a; g1 a; g1 a; g1 a; }\ngate g3 a { g2 a; g2 a; g2 a; g2 a; g2 a; g2 a; g2 a; g2 a; g2 a; g2 a; }\ngate g4 a { g3 a; g3 a; g3 a; g3 a; g3 a; g3 a; g3 a; g3 a; g3 a; g3 a; }\ngate g5 a { g4 a; g4 a; g4 a; g4 a; g4 a; g4 a; g4 a; g4 a; g4 a; g4 a; }\ngate g6 a { g5 a; g5 a; g5 a; g5 a; g5 a; g5 a; g5 a; g5 a; g5 a; g5 a; }\ngate g7 a { g6 a; g6 a; g6 a; g6 a; g6 a; g6 a; g6 a; g6 a; g6 a; g6 a; }\ngate g8 a { g7 a; g7 a; g7 a; g7 a; g7 a; g7 a; g7 a; g7 a; g7 a; g7 a; }\nqreg q[1];\ng8 q[0];\n", 13, 1, "circuit too large: gate 'g8' expands to 1000000000 operations"],
];

test('at least 35 malformed inputs are covered', () => {
  assert.ok(CASES.length >= 35, `${CASES.length} cases`);
});

for (const [name, source, line, column, message] of CASES) {
  test(`error: ${name}`, () => {
    assert.throws(
      () => parseQasm(source, 'f.qasm'),
      (e: unknown) => {
        assert.ok(e instanceof CircuitSyntaxError, `expected CircuitSyntaxError, got ${String(e)}`);
        assert.equal(e.line, line, `line (message: ${e.message})`);
        assert.equal(e.column, column, `column (message: ${e.message})`);
        assert.ok(e.detail.includes(message), `message ${JSON.stringify(e.detail)} lacks ${JSON.stringify(message)}`);
        assert.ok(e.message.startsWith(`f.qasm:${line}:${column}: error: `), e.message);
        return true;
      },
    );
  });
}

test('errors name the file given to parseQasm', () => {
  assert.throws(() => parseQasm('OPENQASM 2.0;\nqreg q[1]', 'dir/bell.qasm'), /^CircuitSyntaxError: dir\/bell\.qasm:2:10: error: expected ';'/);
});
