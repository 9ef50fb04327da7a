package dinhdanh.test

import android.nfc.TagLostException
import android.nfc.tech.IsoDep
import dinhdanh.Credential
import dinhdanh.DinhdanhException
import dinhdanh.IsoDepTransport
import dinhdanh.LinkFailure
import dinhdanh.SimulatedChip
import dinhdanh.readCard
import dinhdanh.verifyPassive
import java.io.IOException
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * An Android tag stand-in: the stub IsoDep over the simulated chip, as
 * the phone's radio would carry the APDUs; [failAt] throws [error] at
 * that APDU, as Android does when the card moves away.
 */
private fun tag(
    chip: SimulatedChip,
    maxTransceiveLength: Int,
    extended: Boolean,
    failAt: Int? = null,
    error: Throwable? = null,
): IsoDep {
    val link = chip.transport()
    var n = 0
    return IsoDep(
        { command ->
            n++
            if (n == failAt && error != null) throw error
            link.transmit(command)
        },
        maxTransceiveLength,
        extended,
    ).also { it.connect() }
}

private fun cccd(short: Boolean) = SimulatedChip.cccd(CCCD.first, CCCD.second, CCCD.third, short = short)

private fun credential() = Credential.cccd(CCCD.first, CCCD.second, CCCD.third)

/** IsoDepTransport, compiled against the stub of android.nfc.tech.IsoDep. */
fun isoDepTests(suite: Suite) {
    suite.test("IsoDepTransport reads a CCCD over a short-APDU tag, passive authentication valid") {
        val chip = cccd(short = true)
        val isoDep = tag(chip, maxTransceiveLength = 261, extended = false)
        val transport = IsoDepTransport(isoDep)
        assertEquals(IsoDepTransport.DEFAULT_TIMEOUT_MILLIS, isoDep.timeout)
        assertEquals(261u, transport.maxCommandBytes())
        assertEquals(258u, transport.maxResponseBytes())
        val doc = readCard(transport, credential())
        assertEquals(CCCD.first, doc.dg13?.idNumber)
        val verdict = verifyPassive(doc.files.getValue("EF.SOD"), doc.dataGroups, listOf(chip.cscaCertificate()), AT_2026)
        assertTrue(verdict.valid(), verdict.summary())
    }

    suite.test("IsoDepTransport uses extended length when the phone has it") {
        val short = readCard(IsoDepTransport(tag(cccd(short = true), 261, false)), credential())
        val chip = cccd(short = false)
        // A Pixel-like controller: 65 279 bytes each way.
        val transport = IsoDepTransport(tag(chip, maxTransceiveLength = 65_279, extended = true), timeoutMillis = null)
        assertEquals(65_279u, transport.maxCommandBytes())
        assertEquals(65_279u, transport.maxResponseBytes())
        val doc = readCard(transport, credential())
        assertEquals(short.files.getValue("DG2").toList(), doc.files.getValue("DG2").toList())
        assertTrue(doc.apduCount < short.apduCount, "${doc.apduCount} vs ${short.apduCount}")
        // Without extended length a larger maxTransceiveLength is capped.
        val capped = IsoDepTransport(tag(chip, maxTransceiveLength = 1_000, extended = false))
        assertEquals(261u, capped.maxCommandBytes())
        assertEquals(258u, capped.maxResponseBytes())
    }

    suite.test("a TagLostException mid-read is LinkFailure.CARD_REMOVED") {
        val isoDep = tag(cccd(short = true), 261, false, failAt = 9, error = TagLostException("Tag was lost."))
        val e = assertFailsWith<DinhdanhException.Transport> { readCard(IsoDepTransport(isoDep), credential()) }
        assertEquals(LinkFailure.CARD_REMOVED, e.kind)
        assertEquals("Tag was lost.", e.detail)
    }

    suite.test("another IOException is LinkFailure.LINK, a closed tag NO_CARD") {
        val isoDep = tag(cccd(short = true), 261, false, failAt = 2, error = IOException("Transceive failed"))
        val e = assertFailsWith<DinhdanhException.Transport> { readCard(IsoDepTransport(isoDep), credential()) }
        assertEquals(LinkFailure.LINK, e.kind)
        val closed = tag(cccd(short = true), 261, false).also { it.close() }
        val c = assertFailsWith<DinhdanhException.Transport> { readCard(IsoDepTransport(closed), credential()) }
        assertEquals(LinkFailure.NO_CARD, c.kind)
    }
}
