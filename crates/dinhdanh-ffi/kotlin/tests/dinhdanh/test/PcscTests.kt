package dinhdanh.test

import dinhdanh.Credential
import dinhdanh.DinhdanhException
import dinhdanh.SmartCardTransport
import dinhdanh.readCard
import dinhdanh.verifyPassive
import java.io.File
import java.util.concurrent.TimeUnit
import javax.smartcardio.Card
import javax.smartcardio.TerminalFactory
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

// The virtual chip through pcscd: `dinhdanh sim serve` puts it in
// vsmartcard's virtual reader (vpcd) and SmartCardTransport reads it
// through javax.smartcardio, as a back end with a USB reader would a
// real card. Runs when DINHDANH_TEST_PCSC=1 (scripts/test sets it when
// pcscd with vpcd is up) and DINHDANH_CLI names the `dinhdanh` binary;
// DINHDANH_TEST_REQUIRE_PCSC=1 (CI) makes a skip a failure.

private const val READER = "Virtual PCD 00 00"
private val HOLDER = Triple("001099012345", "990315", "301231")

/** A running `dinhdanh sim serve` and the card connected in vpcd. */
private class Served(
    val card: Card,
    val csca: ByteArray,
    private val process: Process,
) : AutoCloseable {
    override fun close() {
        runCatching { card.disconnect(false) }
        process.destroyForcibly()
        process.waitFor(10, TimeUnit.SECONDS)
    }
}

private fun serve(): Served {
    if (System.getenv("DINHDANH_TEST_PCSC") != "1") {
        skipPcsc("DINHDANH_TEST_PCSC is not 1 (scripts/test sets it when pcscd with vpcd runs)")
    }
    val cli = System.getenv("DINHDANH_CLI")?.let(::File)
    if (cli == null || !cli.canExecute()) skipPcsc("DINHDANH_CLI does not name the dinhdanh binary")
    val factory = TerminalFactory.getDefault()
    // "None" when the JDK found no libpcsclite or no pcscd answered.
    if (factory.type != "PC/SC") skipPcsc("javax.smartcardio has no PC/SC (factory type ${factory.type})")
    // vpcd keeps a card "present" until it sees the last server go: a
    // new one started before then would meet the stale card.
    waitForCard(factory, present = false)
    val csca = File.createTempFile("dinhdanh-csca", ".der").also { it.deleteOnExit() }
    val (id, dob, doe) = HOLDER
    val process =
        ProcessBuilder(cli.path, "sim", "serve", "--cccd", "$id,$dob,$doe", "--write-csca", csca.path)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
    try {
        waitForCard(factory, present = true)
        val card = factory.terminals().getTerminal(READER).connect("*")
        return Served(card, csca.readBytes(), process)
    } catch (e: Throwable) {
        process.destroyForcibly()
        throw e
    }
}

private fun waitForCard(
    factory: TerminalFactory,
    present: Boolean,
) {
    val deadline = System.nanoTime() + 20_000_000_000L
    while (System.nanoTime() < deadline) {
        val terminal = runCatching { factory.terminals().getTerminal(READER) }.getOrNull()
        // No such reader (yet) holds no card.
        val holds = terminal != null && runCatching { terminal.isCardPresent }.getOrDefault(false)
        if (holds == present) return
        Thread.sleep(100)
    }
    throw AssertionError("$READER did not ${if (present) "show" else "lose"} a card in 20 s")
}

/** The vpcd card read with SmartCardTransport. */
fun pcscTests(suite: Suite) {
    suite.test("read the virtual chip through pcscd with javax.smartcardio, passive authentication valid") {
        serve().use { served ->
            val (id, dob, doe) = HOLDER
            val doc = readCard(SmartCardTransport(served.card.basicChannel), Credential.cccd(id, dob, doe))
            assertEquals(id, doc.dg13?.idNumber)
            assertEquals("image/jpeg", doc.faceImageFormat)
            val verdict = verifyPassive(doc.files.getValue("EF.SOD"), doc.dataGroups, listOf(served.csca), AT_2026)
            assertTrue(verdict.valid(), verdict.summary())
        }
    }

    suite.test("a wrong key through pcscd is refused with AccessDenied") {
        serve().use { served ->
            val (id, _, doe) = HOLDER
            assertFailsWith<DinhdanhException.AccessDenied> {
                readCard(SmartCardTransport(served.card.basicChannel), Credential.cccd(id, "990316", doe))
            }
        }
    }
}
