"""Reading the in-process virtual chip through a transport written in
Python."""

import pytest

import dinhdanh
from conftest import CCCD, Progress, PythonTransport


def test_read_cccd_over_bac(cccd_doc):
    chip, transport, doc = cccd_doc
    assert doc.access_control.method == "bac"
    for name in ("EF.COM", "EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"):
        assert name in doc.files, name
    assert doc.files["EF.COM"][0] == 0x60  # EF.COM's tag
    assert doc.files["EF.SOD"][0] == 0x77
    assert doc.data_groups[13] == doc.files["DG13"]
    # The CCCD MRZ: document number = the ID's last 9 digits, optional
    # data = the 12 digits (and their check digit).
    assert doc.dg1.document_number == CCCD[0][3:]
    assert doc.dg1.optional_data.startswith(CCCD[0])
    assert doc.dg1.date_of_birth == CCCD[1]
    assert doc.dg13.id_number == CCCD[0]
    assert doc.dg13.date_of_birth == "1999-03-15"
    assert doc.face_image_format == "image/jpeg"
    assert doc.face_image[:2] == b"\xff\xd8"
    assert doc.chip_authentication.passed
    assert doc.active_authentication.passed
    # Every APDU went through Python, and the chip saw each one.
    assert transport.apdus == chip.apdus_received()
    assert doc.apdu_count > 0


def test_progress_reaches_each_file_end(cccd_chip):
    progress = Progress()
    dinhdanh.read_card(
        PythonTransport(cccd_chip.transport()),
        dinhdanh.Credential.cccd(*CCCD),
        dinhdanh.ReadOptions(chip_authentication=False, active_authentication=False),
        progress,
    )
    last = {f: (d, t) for f, d, t in progress.calls}
    assert last["DG2"][0] == last["DG2"][1] > 0
    assert all(d <= t for _, d, t in progress.calls)


def test_read_with_can_over_pace():
    chip = dinhdanh.SimulatedChip.passport_with_can("123456")
    doc = dinhdanh.read_card(
        PythonTransport(chip.transport()), dinhdanh.Credential.can("123456")
    )
    assert doc.access_control.method == "pace"
    assert doc.access_control.password == "Can"
    assert doc.access_control.parameters == "Secp256r1"
    assert doc.dg1.document_number == "SIM000001"


def test_wrong_can_refused_typed():
    chip = dinhdanh.SimulatedChip.passport_with_can("123456")
    with pytest.raises(dinhdanh.DinhdanhError.AccessDenied) as e:
        dinhdanh.read_card(
            PythonTransport(chip.transport()), dinhdanh.Credential.can("654321")
        )
    assert e.value.method == "PACE"


def test_wrong_mrz_key_refused_typed(cccd_chip):
    wrong = dinhdanh.Credential.cccd(CCCD[0], "990316", CCCD[2])
    with pytest.raises(dinhdanh.DinhdanhError.AccessDenied) as e:
        dinhdanh.read_card(PythonTransport(cccd_chip.transport()), wrong)
    assert e.value.method == "BAC"


def test_only_the_data_groups_asked_for(cccd_chip):
    doc = dinhdanh.read_card(
        PythonTransport(cccd_chip.transport()),
        dinhdanh.Credential.cccd(*CCCD),
        dinhdanh.ReadOptions(data_groups=[1, 13]),
    )
    assert sorted(doc.data_groups) == [1, 13]
    assert doc.face_image is None
    with pytest.raises(dinhdanh.DinhdanhError.InvalidArgument) as e:
        dinhdanh.read_card(
            PythonTransport(cccd_chip.transport()),
            dinhdanh.Credential.cccd(*CCCD),
            dinhdanh.ReadOptions(data_groups=[17]),
        )
    assert e.value.argument == "data_groups"


def test_short_apdus_only():
    chip = dinhdanh.SimulatedChip.cccd(*CCCD, short=True)
    transport = PythonTransport(chip.transport())
    assert transport.max_command_bytes() == 261
    doc = dinhdanh.read_card(transport, dinhdanh.Credential.cccd(*CCCD))
    # Each READ BINARY under 3DES secure messaging carries 231 bytes at most.
    reads = len(doc.files["DG2"]) // 231
    assert transport.apdus > reads
    assert doc.dg13.id_number == CCCD[0]


def test_pace_with_mrz_key():
    chip = dinhdanh.SimulatedChip.cccd(*CCCD, pace=True)
    doc = dinhdanh.read_card(chip.transport(), dinhdanh.Credential.cccd(*CCCD))
    assert doc.access_control.method == "pace"
    assert doc.access_control.password == "Mrz"


def test_transport_error_typed(cccd_chip):
    lost = dinhdanh.DinhdanhError.Transport(
        kind=dinhdanh.LinkFailure.CARD_REMOVED, message="tag lost"
    )
    with pytest.raises(dinhdanh.DinhdanhError.Transport) as e:
        dinhdanh.read_card(
            PythonTransport(cccd_chip.transport(), fail_at=8, error=lost),
            dinhdanh.Credential.cccd(*CCCD),
        )
    assert e.value.kind == dinhdanh.LinkFailure.CARD_REMOVED
    assert e.value.message == "tag lost"


def test_foreign_exception_becomes_transport_error(cccd_chip):
    with pytest.raises(dinhdanh.DinhdanhError.Transport) as e:
        dinhdanh.read_card(
            PythonTransport(cccd_chip.transport(), fail_at=3, error=OSError("reader unplugged")),
            dinhdanh.Credential.cccd(*CCCD),
        )
    assert e.value.kind == dinhdanh.LinkFailure.OTHER


def test_credential_repr_shows_no_secret():
    for cred in (
        dinhdanh.Credential.cccd(*CCCD),
        dinhdanh.Credential.mrz("L898902C3", "740812", "120415"),
        dinhdanh.Credential.can("123456"),
    ):
        for text in (repr(cred), str(cred)):
            for secret in (*CCCD, CCCD[0][3:], "L898902C3", "740812", "120415", "123456"):
                assert secret not in text, text
            assert "redacted" in text


def test_bad_arguments_typed():
    with pytest.raises(dinhdanh.DinhdanhError.InvalidArgument) as e:
        dinhdanh.Credential.can("12a456")
    assert e.value.argument == "can"
    assert "12a456" not in str(e.value)
    with pytest.raises(dinhdanh.DinhdanhError.Mrz):
        dinhdanh.Credential.mrz("L898902C3", "741312", "120415")
