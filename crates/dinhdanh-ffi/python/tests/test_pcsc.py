"""The virtual chip through pcscd: `dinhdanh sim serve` puts it in
vsmartcard's virtual reader (vpcd), and a pyscard transport written here
reads it, as a back end with a USB reader would a real card.

Runs when DINHDANH_TEST_PCSC=1 (scripts/test sets it when pcscd with vpcd
is up) and DINHDANH_CLI names the `dinhdanh` binary (scripts/test-python
sets it); DINHDANH_TEST_REQUIRE_PCSC=1 (CI) makes a skip a failure."""

import os
import subprocess
import time

import pytest

import dinhdanh
from conftest import AT_2026

READER = "Virtual PCD 00 00"
ID, DOB, DOE = "001099012345", "990315", "301231"


def _skip(why):
    if os.environ.get("DINHDANH_TEST_REQUIRE_PCSC") == "1":
        pytest.fail(f"the PC/SC test is required: {why}")
    pytest.skip(why)


class PyscardTransport(dinhdanh.CardTransport):
    """A pyscard connection as the binding's transport (short APDUs)."""

    def __init__(self, connection):
        self.connection = connection

    def transmit(self, command):
        data, sw1, sw2 = self.connection.transmit(list(command))
        return bytes(data) + bytes([sw1, sw2])

    def max_command_bytes(self):
        return 261

    def max_response_bytes(self):
        return 258


def _connect(timeout=15.0):
    from smartcard.Exceptions import CardConnectionException, NoCardException
    from smartcard.System import readers

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for r in readers():
            if str(r) == READER:
                connection = r.createConnection()
                try:
                    connection.connect()
                    return connection
                except (NoCardException, CardConnectionException):
                    pass
        time.sleep(0.2)
    raise AssertionError(f"no card in {READER!r} after {timeout} s")


@pytest.fixture
def served(tmp_path):
    if os.environ.get("DINHDANH_TEST_PCSC") != "1":
        _skip("DINHDANH_TEST_PCSC is not 1 (scripts/test sets it when pcscd with vpcd runs)")
    cli = os.environ.get("DINHDANH_CLI")
    if not cli or not os.path.exists(cli):
        _skip("DINHDANH_CLI does not name the dinhdanh binary")
    try:
        import smartcard  # noqa: F401
    except ImportError:
        _skip("pyscard is not installed")
    csca = tmp_path / "csca.der"
    sim = subprocess.Popen(
        [cli, "sim", "serve", "--cccd", f"{ID},{DOB},{DOE}", "--write-csca", str(csca)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        connection = _connect()
        yield connection, csca
        connection.disconnect()
    finally:
        sim.kill()
        sim.wait()


def test_read_through_pcscd_with_pyscard(served):
    connection, csca = served
    transport = PyscardTransport(connection)
    doc = dinhdanh.read_card(transport, dinhdanh.Credential.cccd(ID, DOB, DOE))
    assert doc.dg13.id_number == ID
    assert doc.face_image_format == "image/jpeg"
    verdict = dinhdanh.verify_passive(
        doc.files["EF.SOD"], doc.data_groups, [csca.read_bytes()], AT_2026
    )
    assert verdict.valid(), verdict.summary()


def test_wrong_key_through_pcscd(served):
    connection, _ = served
    with pytest.raises(dinhdanh.DinhdanhError.AccessDenied):
        dinhdanh.read_card(
            PyscardTransport(connection), dinhdanh.Credential.cccd(ID, "990316", DOE)
        )
