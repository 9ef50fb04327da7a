"""ReadSession driven by hand, as a callback-style NFC stack (CoreNFC's
completion handlers) drives it: no transport object, the caller moves
each APDU."""

import pytest

import dinhdanh
from conftest import CCCD


def drive(session, chip):
    """Sends every command to the in-process chip, collecting the events."""
    link = chip.transport()
    events = []
    while (command := session.next_command()) is not None:
        session.handle_response(link.transmit(command))
        while (event := session.poll_event()) is not None:
            events.append(event)
    return events


def test_a_session_by_hand_reads_what_read_card_reads(cccd_chip):
    credential = dinhdanh.Credential.cccd(*CCCD)
    session = dinhdanh.ReadSession(credential)
    assert not session.is_finished()
    events = drive(session, cccd_chip)
    assert session.is_finished()
    doc = session.finish()
    assert doc.access_control.method == "bac"
    assert doc.dg13.id_number == CCCD[0]
    assert doc.chip_authentication.passed
    assert doc.active_authentication.passed
    # Every APDU is in the events, once each way, and the chip saw each.
    commands = [e for e in events if e.is_command()]
    responses = [e for e in events if e.is_response()]
    assert len(commands) == len(responses) == doc.apdu_count == cccd_chip.apdus_received()
    # Under secure messaging the plain form rides along; before, none.
    assert commands[0].plain is None
    assert commands[-1].plain is not None
    # Progress ends at each file's length; the same files as read_card's.
    last = {e.file: (e.done, e.total) for e in events if e.is_progress()}
    for name in ("DG1", "DG2", "DG13"):
        assert last[name] == (len(doc.files[name]), len(doc.files[name]))
    other = dinhdanh.SimulatedChip.cccd(*CCCD)
    assert dinhdanh.read_card(other.transport(), credential).files == doc.files


def test_extended_length_and_pace_by_hand():
    chip = dinhdanh.SimulatedChip.passport_with_can("123456")
    session = dinhdanh.ReadSession(
        dinhdanh.Credential.can("123456"),
        dinhdanh.ReadOptions(active_authentication=False),
        max_command_bytes=65544,
        max_response_bytes=65538,
    )
    drive(session, chip)
    doc = session.finish()
    assert doc.access_control.method == "pace"
    assert doc.dg1.document_number == "SIM000001"


def test_a_wrong_can_ends_the_session_typed():
    chip = dinhdanh.SimulatedChip.passport_with_can("123456")
    session = dinhdanh.ReadSession(dinhdanh.Credential.can("654321"))
    link = chip.transport()
    with pytest.raises(dinhdanh.DinhdanhError.AccessDenied):
        while (command := session.next_command()) is not None:
            session.handle_response(link.transmit(command))
    assert session.next_command() is None
    with pytest.raises(dinhdanh.DinhdanhError.AccessDenied):
        session.finish()


def test_a_lost_tag_and_misuse(cccd_chip):
    session = dinhdanh.ReadSession(dinhdanh.Credential.cccd(*CCCD))
    link = cccd_chip.transport()
    # finish before the end is refused and leaves the session usable.
    with pytest.raises(dinhdanh.DinhdanhError.Protocol):
        session.finish()
    for _ in range(6):
        session.handle_response(link.transmit(session.next_command()))
    with pytest.raises(dinhdanh.DinhdanhError.Transport) as e:
        session.link_lost("tag lost")
    assert e.value.kind == dinhdanh.LinkFailure.CARD_REMOVED
    assert session.next_command() is None
    with pytest.raises(dinhdanh.DinhdanhError.Protocol):
        session.handle_response(b"\x90\x00")
    with pytest.raises(dinhdanh.DinhdanhError.Transport):
        session.finish()
    # Once finished (here, failed), the session is gone.
    with pytest.raises(dinhdanh.DinhdanhError.Protocol):
        session.finish()


def test_no_secret_in_repr():
    session = dinhdanh.ReadSession(dinhdanh.Credential.can("123456"))
    assert "123456" not in repr(session)


def test_a_lost_tag_resumes_where_it_stopped():
    credential = dinhdanh.Credential.cccd(*CCCD)
    whole = dinhdanh.ReadSession(credential)
    drive(whole, dinhdanh.SimulatedChip.cccd(*CCCD))
    full = whole.finish()
    # The tag is lost after 40 APDUs, inside a data group.
    chip = dinhdanh.SimulatedChip.cccd(*CCCD)
    link = chip.transport()
    first = dinhdanh.ReadSession(credential)
    for _ in range(40):
        first.handle_response(link.transmit(first.next_command()))
    with pytest.raises(dinhdanh.DinhdanhError.Transport):
        first.link_lost("tag lost")
    partial = first.partial()
    assert "DG1" in partial.complete_files() and "DG13" in partial.complete_files()
    assert partial.unfinished_file() is not None
    assert partial.apdu_count() == 40
    assert partial.bytes_read() > 0
    # The card comes back (the same card: a new power-up).
    again = dinhdanh.SimulatedChip.cccd(*CCCD)
    second = dinhdanh.ReadSession.resume(credential, partial)
    drive(second, again)
    doc = second.finish()
    assert doc.files == full.files
    assert doc.chip_authentication.passed and doc.active_authentication.passed
    # Only what was missing was read: the second session's APDUs are the
    # rest of the read plus one opening again (and at most one SELECT).
    reopening = doc.apdu_count - full.apdu_count
    assert again.apdus_received() == doc.apdu_count - 40
    assert 0 < reopening <= 5
