/**
 * OpenQASM 2.0 writer: {@link Circuit} → text that {@link parseQasm} reads back to the same
 * operations. Gates outside qelib1.inc are emitted as `gate` definitions in terms of qelib1 gates;
 * each definition equals the table matrix exactly (global phase included), so the parser maps
 * them back onto the native table gate.
 */
import { Circuit, type Condition, type Operation, type Register } from '../../circuit/circuit.js';
import { getGate } from '../../circuit/gates.js';
import { type ComplexMatrix, matrixDim } from '../../circuit/matrix.js';

/**
 * OpenQASM 2 definitions the writer emits for table gates outside qelib1.inc (exact, global phase
 * included), with the other such gates each one needs first.
 */
export const QASM2_GATE_DEFINITIONS: Readonly<Record<string, { readonly needs: readonly string[]; readonly text: string }>> = {
  // √Y = e^{iπ/4}·ry(π/2); the global phase e^{iα} is written as u1(α)·x·u1(α)·x.
  sy: { needs: [], text: 'gate sy a { ry(pi/2) a; u1(pi/4) a; x a; u1(pi/4) a; x a; }' },
  // √W = e^{iπ/4}·u3(π/2, −π/4, π/4).
  sqrtw: { needs: [], text: 'gate sqrtw a { u3(pi/2,-pi/4,pi/4) a; u1(pi/4) a; x a; u1(pi/4) a; x a; }' },
  // rxy(θ, φ) = rz(θ)·rx(φ)·rz(−θ): rotation by φ about cos θ·X + sin θ·Y.
  rxy: { needs: [], text: 'gate rxy(theta,phi) a { rz(-theta) a; rx(phi) a; rz(theta) a; }' },
  ryy: { needs: [], text: 'gate ryy(theta) a,b { rx(pi/2) a; rx(pi/2) b; cx a,b; rz(theta) b; cx a,b; rx(-pi/2) a; rx(-pi/2) b; }' },
  iswap: { needs: [], text: 'gate iswap a,b { s a; s b; h a; cx a,b; cx b,a; h b; }' },
  // fSim(θ, φ) = rxx(θ)·ryy(θ)·cp(−φ): the three factors commute.
  fsim: { needs: ['ryy'], text: 'gate fsim(theta,phi) a,b { rxx(theta) a,b; ryy(theta) a,b; cp(-phi) a,b; }' },
};

/** Shortest text that parses back to exactly `x` (with a '.' so strict OpenQASM readers accept it). */
export function formatReal(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`writeQasm: parameter ${x} is not finite`);
  const s = String(x);
  if (/[eE]/.test(s) && !s.includes('.')) return s.replace(/[eE]/, '.0e');
  return s;
}

/** `U = e^{iα}·u3(θ, φ, λ)` for a 2×2 unitary. */
export function u3Decompose(m: ComplexMatrix): { theta: number; phi: number; lambda: number; alpha: number } {
  const a = Math.hypot(m[0], m[1]);
  const c = Math.hypot(m[4], m[5]);
  const theta = 2 * Math.atan2(c, a);
  const arg = (i: number) => Math.atan2(m[i + 1], m[i]);
  if (a > 1e-12) {
    const alpha = arg(0);
    if (c <= 1e-12) return { theta, phi: 0, lambda: arg(6) - alpha, alpha };
    return { theta, phi: arg(4) - alpha, lambda: Math.atan2(-m[3], -m[2]) - alpha, alpha };
  }
  const alpha = arg(4); // φ = 0
  return { theta, phi: 0, lambda: Math.atan2(-m[3], -m[2]) - alpha, alpha };
}

/**
 * Writes `circuit` as OpenQASM 2.0. Explicit one-qubit `unitary` operations become one `gate`
 * definition each (u3 plus an exact global-phase gadget); wider explicit unitaries are refused.
 * @throws Error for operations OpenQASM 2 cannot express (multi-qubit explicit unitaries,
 *   conditions that are not a whole classical register).
 */
export function writeQasm(circuit: Circuit): string {
  const lines: string[] = ['OPENQASM 2.0;', 'include "qelib1.inc";'];
  const needed = new Set<string>();
  const need = (name: string) => {
    for (const d of QASM2_GATE_DEFINITIONS[name]?.needs ?? []) need(d);
    needed.add(name);
  };
  const unitaryDefs: string[] = [];
  const unitaryNames = new Map<Operation, string>();
  for (const op of circuit.operations) {
    if (op.kind !== 'gate') continue;
    if (op.name === 'unitary') {
      const m = op.matrix;
      if (!m || matrixDim(m) !== 2)
        throw new Error('writeQasm: OpenQASM 2 cannot express an explicit unitary on more than one qubit; decompose it first');
      const name = `unitary_${unitaryDefs.length}`;
      const d = u3Decompose(m);
      const al = formatReal(d.alpha);
      unitaryDefs.push(
        `gate ${name} a { u3(${formatReal(d.theta)},${formatReal(d.phi)},${formatReal(d.lambda)}) a; u1(${al}) a; x a; u1(${al}) a; x a; }` +
          (op.label ? ` // ${op.label.replace(/[\r\n]/g, ' ')}` : ''),
      );
      unitaryNames.set(op, name);
      continue;
    }
    const spec = getGate(op.name);
    if (!spec.qelib1) {
      if (!QASM2_GATE_DEFINITIONS[spec.name]) throw new Error(`writeQasm: no OpenQASM 2 definition for gate '${spec.name}'`);
      need(spec.name);
    }
  }
  for (const name of Object.keys(QASM2_GATE_DEFINITIONS)) if (needed.has(name)) lines.push(QASM2_GATE_DEFINITIONS[name].text);
  lines.push(...unitaryDefs);
  for (const r of circuit.qregs) lines.push(`qreg ${r.name}[${r.size}];`);
  for (const r of circuit.cregs) lines.push(`creg ${r.name}[${r.size}];`);
  const qname = bitNamer(circuit.qregs);
  const cname = bitNamer(circuit.cregs);
  for (const op of circuit.operations) {
    let text: string;
    switch (op.kind) {
      case 'gate': {
        const name = op.name === 'unitary' ? unitaryNames.get(op)! : getGate(op.name).name;
        const ps = op.params.length ? `(${op.params.map(formatReal).join(',')})` : '';
        text = `${name}${ps} ${op.qubits.map(qname).join(',')};`;
        break;
      }
      case 'measure':
        text = `measure ${qname(op.qubit)} -> ${cname(op.clbit)};`;
        break;
      case 'reset':
        text = `reset ${qname(op.qubit)};`;
        break;
      case 'barrier':
        text = `barrier ${op.qubits.map(qname).join(',')};`;
        break;
    }
    const cond = 'condition' in op ? op.condition : undefined;
    lines.push(cond ? `if(${conditionText(circuit, cond)}) ${text}` : text);
  }
  return lines.join('\n') + '\n';
}

function conditionText(circuit: Circuit, c: Condition): string {
  const r = circuit.cregs.find((x) => x.name === c.register);
  const whole = r && c.clbits.length === r.size && c.clbits.every((b, i) => b === r.offset + i);
  if (!whole) throw new Error(`writeQasm: OpenQASM 2 conditions must test a whole classical register ('${c.register}')`);
  return `${c.register}==${c.value}`;
}

function bitNamer(regs: readonly Register[]): (i: number) => string {
  return (i) => {
    for (const r of regs) if (i >= r.offset && i < r.offset + r.size) return `${r.name}[${i - r.offset}]`;
    throw new Error(`writeQasm: bit ${i} belongs to no register`);
  };
}
