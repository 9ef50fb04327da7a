package dinhdanh.test

import dinhdanh.CheckStatus
import dinhdanh.Credential
import dinhdanh.DinhdanhException
import dinhdanh.LinkFailure
import dinhdanh.ReadOptions
import dinhdanh.SimulatedChip
import dinhdanh.parseQr
import dinhdanh.readCard
import dinhdanh.verifyPassive
import java.io.IOException
import java.text.Normalizer
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

private fun cccdChip() = SimulatedChip.cccd(CCCD.first, CCCD.second, CCCD.third)

private fun cccdCredential() = Credential.cccd(CCCD.first, CCCD.second, CCCD.third)

/** The in-process virtual chip read through a transport written in Kotlin. */
fun readTests(suite: Suite) {
    suite.test("read a CCCD over BAC through a Kotlin transport, passive authentication valid") {
        val chip = cccdChip()
        val transport = KotlinTransport(chip.transport())
        val doc = readCard(transport, cccdCredential())
        assertEquals("bac", doc.accessControl.method)
        for (name in listOf("EF.COM", "EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15")) {
            assertTrue(name in doc.files, name)
        }
        // The tags of EF.COM and EF.SOD (Doc 9303 Part 10).
        assertEquals(0x60, doc.files.getValue("EF.COM")[0].toInt())
        assertEquals(0x77, doc.files.getValue("EF.SOD")[0].toInt())
        // The CCCD MRZ: document number = the ID's last nine digits.
        assertEquals(CCCD.first.substring(3), doc.dg1?.documentNumber)
        assertEquals(CCCD.first, doc.dg13?.idNumber)
        assertEquals("1999-03-15", doc.dg13?.dateOfBirth)
        assertEquals("image/jpeg", doc.faceImageFormat)
        assertEquals(0xFF, doc.faceImage!![0].toInt() and 0xFF)
        assertEquals(true, doc.chipAuthentication?.passed)
        assertEquals(true, doc.activeAuthentication?.passed)
        // Every APDU went through Kotlin, and the chip saw each one.
        assertEquals(chip.apdusReceived(), transport.apdus.toULong())

        val verdict = verifyPassive(doc.files.getValue("EF.SOD"), doc.dataGroups, listOf(chip.cscaCertificate()), AT_2026)
        assertTrue(verdict.valid(), verdict.summary())
        assertEquals("valid", verdict.summary())
        assertEquals(CheckStatus.PASSED, verdict.chain().status)
        assertEquals("2026-06-01T00:00:00Z", verdict.checkedAt())
    }

    suite.test("a flipped byte in DG13 fails passive authentication") {
        val chip = cccdChip()
        val doc = readCard(KotlinTransport(chip.transport()), cccdCredential())
        val groups = doc.dataGroups.toMutableMap()
        groups[13u] = flipLast(groups.getValue(13u))
        val verdict = verifyPassive(doc.files.getValue("EF.SOD"), groups, listOf(chip.cscaCertificate()), AT_2026)
        assertFalse(verdict.valid())
        val bad = verdict.dataGroups().filter { it.check.status == CheckStatus.FAILED }
        assertEquals(listOf(13uL to "hash-mismatch"), bad.map { it.number to it.check.code })
    }

    suite.test("a flipped byte in EF.SOD's signature fails passive authentication") {
        val chip = cccdChip()
        val doc = readCard(KotlinTransport(chip.transport()), cccdCredential())
        val sod = doc.files.getValue("EF.SOD").copyOf()
        sod[sod.size - 5] = (sod[sod.size - 5].toInt() xor 1).toByte() // in the SignerInfo's signature
        val verdict = verifyPassive(sod, doc.dataGroups, listOf(chip.cscaCertificate()), AT_2026)
        assertFalse(verdict.valid())
    }

    suite.test("read a passport with its CAN over PACE") {
        val chip = SimulatedChip.passportWithCan("123456")
        val doc = readCard(KotlinTransport(chip.transport()), Credential.can("123456"))
        assertEquals("pace", doc.accessControl.method)
        assertEquals("Can", doc.accessControl.password)
        assertEquals("SIM000001", doc.dg1?.documentNumber)
    }

    suite.test("a wrong CAN is refused with DinhdanhException.AccessDenied") {
        val chip = SimulatedChip.passportWithCan("123456")
        val e =
            assertFailsWith<DinhdanhException.AccessDenied> {
                readCard(KotlinTransport(chip.transport()), Credential.can("654321"))
            }
        assertEquals("PACE", e.method)
    }

    suite.test("a wrong date of birth is refused over BAC") {
        val e =
            assertFailsWith<DinhdanhException.AccessDenied> {
                readCard(KotlinTransport(cccdChip().transport()), Credential.cccd(CCCD.first, "990316", CCCD.third))
            }
        assertEquals("BAC", e.method)
    }

    suite.test("a lost tag thrown by the transport comes back typed") {
        val lost = DinhdanhException.Transport(LinkFailure.CARD_REMOVED, "tag lost")
        val e =
            assertFailsWith<DinhdanhException.Transport> {
                readCard(KotlinTransport(cccdChip().transport(), failAt = 8, error = lost), cccdCredential())
            }
        assertEquals(LinkFailure.CARD_REMOVED, e.kind)
        assertEquals("tag lost", e.detail)
    }

    suite.test("any other exception of the transport becomes a transport error") {
        val e =
            assertFailsWith<DinhdanhException.Transport> {
                readCard(
                    KotlinTransport(cccdChip().transport(), failAt = 3, error = IOException("reader unplugged")),
                    cccdCredential(),
                )
            }
        assertEquals(LinkFailure.OTHER, e.kind)
    }

    suite.test("progress reaches the end of each file, and only the data groups asked for are read") {
        val progress = RecordedProgress()
        val options = ReadOptions(chipAuthentication = false, activeAuthentication = false, dataGroups = listOf(1u, 2u, 13u))
        val doc = readCard(KotlinTransport(cccdChip().transport()), cccdCredential(), options, progress)
        assertEquals(setOf<UByte>(1u, 2u, 13u), doc.dataGroups.keys)
        assertNull(doc.chipAuthentication)
        val last = progress.calls.associate { (file, done, total) -> file to (done to total) }
        val dg2 = last.getValue("DG2")
        assertTrue(dg2.first == dg2.second && dg2.second > 0u, "$dg2")
        assertTrue(progress.calls.all { it.second <= it.third })
        val e =
            assertFailsWith<DinhdanhException.InvalidArgument> {
                readCard(KotlinTransport(cccdChip().transport()), cccdCredential(), ReadOptions(dataGroups = listOf(17u)))
            }
        assertEquals("data_groups", e.argument)
    }

    suite.test("a Credential's toString shows no secret") {
        val secrets = listOf(CCCD.first, CCCD.first.substring(3), CCCD.second, CCCD.third, "L898902C3", "740812", "120415", "123456")
        for (credential in listOf(cccdCredential(), Credential.mrz("L898902C3", "740812", "120415"), Credential.can("123456"))) {
            val text = credential.toString()
            assertTrue("redacted" in text, text)
            for (secret in secrets) assertFalse(secret in text, text)
        }
        val e = assertFailsWith<DinhdanhException.InvalidArgument> { Credential.can("12a456") }
        assertEquals("can", e.argument)
        assertFalse("12a456" in e.toString())
    }

    qrTests(suite)
}

private fun qrTests(suite: Suite) {
    val name = "Nguyễn Văn An"
    val address = "Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội"

    fun payload(
        name: String,
        address: String,
        dob: String = "15031999",
    ) = "001099012345||$name|$dob|Nam|$address|01072021"

    suite.test("a QR payload in NFD comes out in NFC") {
        val nfd = { s: String -> Normalizer.normalize(s, Normalizer.Form.NFD) }
        assertTrue(nfd(name) != name) // the input really is decomposed
        val qr = parseQr((payload(nfd(name), nfd(address)) + "\r\n").toByteArray())
        // java.text.Normalizer is the independent NFC.
        assertEquals(Normalizer.normalize(nfd(name), Normalizer.Form.NFC), qr.fullName)
        assertEquals(address, qr.address)
        assertEquals("1999-03-15", qr.dateOfBirth)
        assertEquals("male", qr.sex)
        assertNull(qr.oldIdNumber)
        // 001 is Hà Nội; the fourth digit 0: a man born in the 1900s.
        assertEquals("001", qr.idInfo.provinceCode)
        assertEquals("Hà Nội", qr.idInfo.provinceName)
        assertEquals(1900, qr.idInfo.birthCentury.toInt())
    }

    suite.test("a QR payload's bad date names its field and byte offset") {
        val data = payload(name, address, dob = "31021999").toByteArray()
        val e = assertFailsWith<DinhdanhException.Qr> { parseQr(data) }
        assertEquals("date_of_birth", e.field)
        val at = String(data, Charsets.ISO_8859_1).indexOf("31021999")
        assertNotNull(at.takeIf { it > 0 })
        assertEquals(at.toULong(), e.offset)
    }
}
