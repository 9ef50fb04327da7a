"""Passive authentication: the simulator's CSCA, the German master list,
a flipped byte."""

import base64

import pytest

import dinhdanh
from conftest import AT_2026, TESTDATA


def test_valid_against_simulator_csca(cccd_doc):
    chip, _, doc = cccd_doc
    v = dinhdanh.verify_passive(
        doc.files["EF.SOD"], doc.data_groups, [chip.csca_certificate()], AT_2026
    )
    assert v.valid(), v.summary()
    assert v.summary() == "valid"
    assert v.chain().status == dinhdanh.CheckStatus.PASSED
    assert {d.number for d in v.data_groups()} >= {1, 2, 13}
    assert all(d.check.code == "ok" for d in v.data_groups())
    assert v.checked_at() == "2026-06-01T00:00:00Z"
    assert v.document_signer() is not None


def test_pem_anchor(cccd_doc):
    chip, _, doc = cccd_doc
    # RFC 7468: base64 in lines of 64 characters.
    b64 = base64.b64encode(chip.csca_certificate()).decode()
    lines = "".join(b64[i : i + 64] + "\n" for i in range(0, len(b64), 64))
    pem = f"-----BEGIN CERTIFICATE-----\n{lines}-----END CERTIFICATE-----\n".encode()
    v = dinhdanh.verify_passive(doc.files["EF.SOD"], doc.data_groups, [pem], AT_2026)
    assert v.valid(), v.summary()


def test_flipped_byte_refused(cccd_doc):
    chip, _, doc = cccd_doc
    groups = dict(doc.data_groups)
    dg13 = bytearray(groups[13])
    dg13[-1] ^= 0x01
    groups[13] = bytes(dg13)
    v = dinhdanh.verify_passive(
        doc.files["EF.SOD"], groups, [chip.csca_certificate()], AT_2026
    )
    assert not v.valid()
    bad = [d for d in v.data_groups() if d.check.status == dinhdanh.CheckStatus.FAILED]
    assert [(d.number, d.check.code) for d in bad] == [(13, "hash-mismatch")]


def test_flipped_sod_signature_refused(cccd_doc):
    chip, _, doc = cccd_doc
    sod = bytearray(doc.files["EF.SOD"])
    sod[-5] ^= 0x01  # inside the SignerInfo's signature, at the end
    v = dinhdanh.verify_passive(bytes(sod), doc.data_groups, [chip.csca_certificate()], AT_2026)
    assert not v.valid()


def test_simulator_document_not_under_german_master_list(cccd_doc):
    _, _, doc = cccd_doc
    ml = TESTDATA / "gmrtd/master_list"
    anchors = [
        (ml / "DE_ROOT_CA_CSCA07.cer").read_bytes(),
        (ml / "DE_ML_2026-05-28-08-28-45.ml").read_bytes(),
    ]
    v = dinhdanh.verify_passive(doc.files["EF.SOD"], doc.data_groups, anchors, AT_2026)
    # The SOD and its hashes are fine; its CSCA is in no State's list.
    assert v.signature().status == dinhdanh.CheckStatus.PASSED
    assert v.chain().code == "unknown-csca"
    assert not v.valid()


def test_german_master_list_loads_under_its_root():
    # The loes2006 SOD (a Dutch test CSCA) under the 588 certificates of the
    # DE list, whose signer chains to the DE root (testdata README): the
    # signature verifies, the chain does not.
    ml = TESTDATA / "gmrtd/master_list"
    loes = TESTDATA / "jmrtd/lds/loes2006"
    at_2008 = 1199145600  # 2008-01-01T00:00:00Z
    v = dinhdanh.verify_passive(
        (loes / "ef011D.bin").read_bytes(),
        {1: (loes / "ef0101.bin").read_bytes()},
        [(ml / "DE_ROOT_CA_CSCA07.cer").read_bytes(), (ml / "DE_ML_2026-05-28-08-28-45.ml").read_bytes()],
        at_2008,
    )
    assert v.signature().status == dinhdanh.CheckStatus.PASSED
    assert v.chain().code == "unknown-csca"
    assert [(d.number, d.check.code) for d in v.data_groups()][0] == (1, "ok")


def test_tampered_master_list_is_refused():
    ml = TESTDATA / "gmrtd/master_list"
    tampered = bytearray((ml / "DE_ML_2026-05-28-08-28-45.ml").read_bytes())
    tampered[-10] ^= 0x01  # inside the signer's ECDSA signature, at the end
    with pytest.raises(dinhdanh.DinhdanhError.TrustAnchor) as e:
        dinhdanh.verify_passive(
            b"\x77\x00",
            {},
            [(ml / "DE_ROOT_CA_CSCA07.cer").read_bytes(), bytes(tampered)],
            AT_2026,
        )
    assert e.value.index == 1


def test_garbage_anchor_and_sod():
    with pytest.raises(dinhdanh.DinhdanhError.TrustAnchor) as e:
        dinhdanh.verify_passive(b"\x77\x00", {}, [b"not a certificate"], AT_2026)
    assert e.value.index == 0
    v = dinhdanh.verify_passive(b"\x01\x02", {1: b"\x61\x00"}, [], AT_2026)
    assert not v.valid()
    assert v.sod().code == "malformed"


def test_bad_arguments():
    with pytest.raises(dinhdanh.DinhdanhError.InvalidArgument):
        dinhdanh.verify_passive(b"", {17: b""}, [], AT_2026)
    with pytest.raises(dinhdanh.DinhdanhError.InvalidArgument):
        dinhdanh.verify_passive(b"", {}, [], -1)
