"""Shared fixtures: the simulated chip (feature `sim`), a Python transport
over it, the test data beside the repository."""

import calendar
import pathlib

import pytest

import dinhdanh

# The repository's ../shared (vectors, public samples).
SHARED = pathlib.Path(__file__).resolve().parents[4] / ".." / "shared"
TESTDATA = SHARED.resolve() / "testdata"

# A fixed time (no clock in tests): inside the simulator's CSCA (2020-2040)
# and DS (2020-2035) validity.
AT_2026 = calendar.timegm((2026, 6, 1, 0, 0, 0))

# The simulated CCCD: ID number, date of birth and expiry YYMMDD.
CCCD = ("001099012345", "990315", "390315")


class PythonTransport(dinhdanh.CardTransport):
    """A transport written in Python, as a pyscard or NFC one would be: it
    forwards each APDU to the simulated chip and counts them."""

    def __init__(self, inner, fail_at=None, error=None):
        self.inner = inner
        self.apdus = 0
        self.fail_at = fail_at
        self.error = error

    def transmit(self, command):
        self.apdus += 1
        if self.fail_at is not None and self.apdus == self.fail_at:
            raise self.error
        return self.inner.transmit(command)

    def max_command_bytes(self):
        return self.inner.max_command_bytes()

    def max_response_bytes(self):
        return self.inner.max_response_bytes()


class Progress(dinhdanh.ReadProgress):
    def __init__(self):
        self.calls = []

    def on_progress(self, file, done, total):
        self.calls.append((file, done, total))


@pytest.fixture
def cccd_chip():
    return dinhdanh.SimulatedChip.cccd(*CCCD)


@pytest.fixture
def cccd_doc(cccd_chip):
    transport = PythonTransport(cccd_chip.transport())
    doc = dinhdanh.read_card(transport, dinhdanh.Credential.cccd(*CCCD))
    return cccd_chip, transport, doc
