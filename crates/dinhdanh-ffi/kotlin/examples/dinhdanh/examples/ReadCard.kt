package dinhdanh.examples

import dinhdanh.Credential
import dinhdanh.DinhdanhException
import dinhdanh.SmartCardTransport
import dinhdanh.readCard
import dinhdanh.verifyPassive
import java.io.File
import javax.smartcardio.TerminalFactory
import kotlin.system.exitProcess

// The repository README's Kotlin example: a CCCD in a PC/SC reader read on
// the JVM and checked against a CSCA certificate. scripts/test-kotlin
// compiles it with the suite, so it keeps to the generated API; run it
// with `scripts/test-kotlin --main dinhdanh.examples.ReadCardKt READER ID
// YYMMDD YYMMDD CSCA.der`.

/** Reads the card in [reader] and prints the holder and the verdict. */
fun main(args: Array<String>) {
    if (args.size != 5) {
        System.err.println("usage: ReadCard READER ID_NUMBER DATE_OF_BIRTH DATE_OF_EXPIRY CSCA.der")
        exitProcess(2)
    }
    val (reader, id, dob, doe, csca) = args
    val terminal = TerminalFactory.getDefault().terminals().getTerminal(reader)
    if (terminal == null) {
        System.err.println("no reader named $reader")
        exitProcess(2)
    }
    val card = terminal.connect("*")
    try {
        val doc = readCard(SmartCardTransport(card.basicChannel), Credential.cccd(id, dob, doe))
        val verdict =
            verifyPassive(
                doc.files.getValue("EF.SOD"),
                doc.dataGroups,
                listOf(File(csca).readBytes()),
                System.currentTimeMillis() / 1000,
            )
        println("${doc.dg13?.fullName}, born ${doc.dg13?.dateOfBirth}: ${verdict.summary()}")
        exitProcess(if (verdict.valid()) 0 else 1)
    } catch (e: DinhdanhException.AccessDenied) {
        System.err.println("the chip refused the key (${e.method}): check the number and the dates")
        exitProcess(1)
    } finally {
        card.disconnect(false)
    }
}
