// Quantum Fourier transform on 4 qubits applied to |0101⟩ (= 5, qubit 0 most significant).
// Output amplitudes: e^{2πi·5·y/16}/4 for every y, so all 16 probabilities are 1/16.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[4];
x q[1];
x q[3];
h q[0];
cu1(pi/2) q[1], q[0];
cu1(pi/4) q[2], q[0];
cu1(pi/8) q[3], q[0];
h q[1];
cu1(pi/2) q[2], q[1];
cu1(pi/4) q[3], q[1];
h q[2];
cu1(pi/2) q[3], q[2];
h q[3];
swap q[0], q[3];
swap q[1], q[2];
