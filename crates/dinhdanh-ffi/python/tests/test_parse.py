"""QR payload, MRZ and DG13 cross-check through the binding."""

import unicodedata

import pytest

import dinhdanh

NAME_NFC = "Nguyễn Văn An"
ADDRESS_NFC = "Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội"


def payload(name, address, dob="15031999"):
    return f"001099012345||{name}|{dob}|Nam|{address}|01072021".encode()


def test_qr_nfd_in_nfc_out():
    nfd_name = unicodedata.normalize("NFD", NAME_NFC)
    nfd_address = unicodedata.normalize("NFD", ADDRESS_NFC)
    assert nfd_name != NAME_NFC  # the input really is decomposed
    qr = dinhdanh.parse_qr(payload(nfd_name, nfd_address) + b"\r\n")
    # Python's own unicodedata is the independent NFC.
    assert qr.full_name == unicodedata.normalize("NFC", nfd_name) == NAME_NFC
    assert qr.address == ADDRESS_NFC
    assert qr.id_number == "001099012345"
    assert qr.old_id_number is None
    assert qr.date_of_birth == "1999-03-15"
    assert qr.issue_date == "2021-07-01"
    assert qr.sex == "male"
    assert qr.extra_fields == []
    # 001 is Hà Nội; the fourth digit 0 is a man born in the 1900s.
    assert qr.id_info.province_code == "001"
    assert qr.id_info.birth_century == 1900
    assert qr.id_info.birth_year_2 == "99"
    assert qr.warnings == []


def test_qr_2024_card_keeps_four_extra_fields():
    qr = dinhdanh.parse_qr(payload(NAME_NFC, ADDRESS_NFC) + b"||||")
    assert qr.extra_fields == ["", "", "", ""]


def test_qr_bad_date_names_field_and_offset():
    data = payload(NAME_NFC, ADDRESS_NFC, dob="31021999")
    with pytest.raises(dinhdanh.DinhdanhError.Qr) as e:
        dinhdanh.parse_qr(data)
    assert e.value.field == "date_of_birth"
    assert e.value.offset == data.index(b"31021999")


def test_qr_invalid_utf8_offset():
    data = b"001099012345||Nguy\xffn|15031999|Nam|x|01072021"
    with pytest.raises(dinhdanh.DinhdanhError.Qr) as e:
        dinhdanh.parse_qr(data)
    assert e.value.offset == data.index(b"\xff")


# Doc 9303 Part 4 Appendix B: the specimen TD3 zone.
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def test_parse_mrz_specimen():
    m = dinhdanh.parse_mrz(TD3)
    assert m.format == "TD3"
    assert m.document_code == "P"
    assert m.issuing_state == "UTO"
    assert m.document_number == "L898902C3"
    assert m.date_of_birth == "740812"
    assert m.sex == "female"
    assert m.date_of_expiry == "120415"
    assert m.primary_identifier == "ERIKSSON"
    assert m.secondary_identifier == "ANNA MARIA"
    assert m.optional_data == "ZE184226B"


def test_parse_mrz_check_digit_typed():
    # The document number's check digit (line 2, position 10) 6 -> 7.
    bad = TD3[:-44] + TD3[-44:][:9] + "7" + TD3[-44:][10:]
    with pytest.raises(dinhdanh.DinhdanhError.Mrz) as e:
        dinhdanh.parse_mrz(bad)
    assert (e.value.line, e.value.position) == (2, 10)


def test_cross_check(cccd_doc):
    _, _, doc = cccd_doc
    dg13 = doc.files["DG13"]
    same = f"001099012345||{doc.dg13.full_name}|15031999|Nam|x|01072021".encode()
    assert dinhdanh.cross_check(dg13, same, doc.files["DG1"]) == []
    other = f"001099012345||Trần Thị B|15031999|Nam|x|01072021".encode()
    mismatches = dinhdanh.cross_check(dg13, other)
    assert [(m.field, m.left_source, m.right_source) for m in mismatches] == [
        ("full_name", "dg13", "qr")
    ]
    assert mismatches[0].right_value == "Trần Thị B"
