"""The cost per APDU of a transport written in Python against the same
read with the transport in Rust (no foreign call per APDU), same run.

    target/python-venv/bin/python crates/dinhdanh-ffi/python/tests/bench_transport.py [ROUNDS]

Needs the wheel built with feature `sim` (scripts/test-python builds it).
A measurement for the notes, not a test (pytest does not collect it):
it asserts nothing about time.
"""

import sys
import time

import dinhdanh
from conftest import CCCD, PythonTransport

# Short APDUs, as a phone's IsoDep link mostly is: more APDUs per read.
SHORT = True
OPTIONS = dinhdanh.ReadOptions(chip_authentication=False, active_authentication=False)


def read(wrap):
    chip = dinhdanh.SimulatedChip.cccd(*CCCD, short=SHORT)
    transport = chip.transport()
    if wrap:
        transport = PythonTransport(transport)
    start = time.perf_counter()
    doc = dinhdanh.read_card(transport, dinhdanh.Credential.cccd(*CCCD), OPTIONS)
    return time.perf_counter() - start, chip.apdus_received(), doc


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    read(False), read(True)  # warm up
    rust, python = [], []
    for _ in range(rounds):
        rust.append(read(False))
        python.append(read(True))
    apdus = rust[0][1]
    assert all(r[1] == apdus for r in rust + python)
    best_rust = min(r[0] for r in rust)
    best_python = min(r[0] for r in python)
    per_apdu = (best_python - best_rust) / apdus
    print(f"APDUs per read: {apdus} (the chip's count); Document.apdu_count: {rust[0][2].apdu_count}")
    print(f"read, Rust transport:   best {best_rust * 1e3:.2f} ms of {rounds}")
    print(f"read, Python transport: best {best_python * 1e3:.2f} ms of {rounds}")
    print(f"ratio Python/Rust: {best_python / best_rust:.3f}")
    print(f"Python callback cost: {per_apdu * 1e6:.1f} us per APDU")


if __name__ == "__main__":
    main()
