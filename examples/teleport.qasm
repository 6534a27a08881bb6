// Quantum teleportation of u3(1.1, 0.4, -2.3)|0⟩ from q[0] to q[2], with classically
// controlled corrections. The last measurement reads q[2] after undoing the preparation,
// so r is always 0 whatever m0, m1 were.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg m0[1];
creg m1[1];
creg r[1];
u3(1.1, 0.4, -2.3) q[0];
h q[1];
cx q[1], q[2];
barrier q;
cx q[0], q[1];
h q[0];
measure q[0] -> m0[0];
measure q[1] -> m1[0];
if (m1 == 1) x q[2];
if (m0 == 1) z q[2];
u3(-1.1, 2.3, -0.4) q[2];
measure q[2] -> r[0];
