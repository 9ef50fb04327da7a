package dinhdanh.bench

import dinhdanh.CardTransport
import dinhdanh.Credential
import dinhdanh.ReadOptions
import dinhdanh.SimulatedChip
import dinhdanh.readCard
import dinhdanh.test.CCCD
import dinhdanh.test.KotlinTransport

// The cost per APDU of a transport written in Kotlin against the same
// read with the transport in Rust (no foreign call per APDU), same run,
// as crates/dinhdanh-ffi/python/tests/bench_transport.py does for Python:
//
//     scripts/test-kotlin --bench [ROUNDS]
//
// A measurement for the notes, not a test: it asserts nothing about time.

// Short APDUs, as a phone's IsoDep link mostly is: more APDUs per read.
private val OPTIONS = ReadOptions(chipAuthentication = false, activeAuthentication = false)

private class Sample(
    val seconds: Double,
    val apdus: ULong,
)

private fun read(kotlin: Boolean): Sample {
    val chip = SimulatedChip.cccd(CCCD.first, CCCD.second, CCCD.third, short = true)
    val transport: CardTransport = if (kotlin) KotlinTransport(chip.transport()) else chip.transport()
    val credential = Credential.cccd(CCCD.first, CCCD.second, CCCD.third)
    val start = System.nanoTime()
    readCard(transport, credential, OPTIONS)
    return Sample((System.nanoTime() - start) / 1e9, chip.apdusReceived())
}

/** Prints the best read of each kind, the ratio and the cost per APDU. */
fun main(args: Array<String>) {
    val rounds = args.firstOrNull()?.toInt() ?: 20
    // The JIT compiles the Kotlin side (and JNA's) in the first reads:
    // 50 of each, some 4 000 callbacks each way, past HotSpot's C2
    // threshold.
    repeat(50) {
        read(false)
        read(true)
    }
    val rust = mutableListOf<Sample>()
    val kotlin = mutableListOf<Sample>()
    repeat(rounds) {
        rust += read(false)
        kotlin += read(true)
    }
    val apdus = rust.first().apdus
    check((rust + kotlin).all { it.apdus == apdus }) { "the reads differ in APDUs" }
    val bestRust = rust.minOf { it.seconds }
    val bestKotlin = kotlin.minOf { it.seconds }
    println("APDUs per read: $apdus (the chip's count)")
    println("read, Rust transport:   best %.2f ms of %d".format(bestRust * 1e3, rounds))
    println("read, Kotlin transport: best %.2f ms of %d".format(bestKotlin * 1e3, rounds))
    println("ratio Kotlin/Rust: %.3f".format(bestKotlin / bestRust))
    println("Kotlin callback cost: %.1f us per APDU".format((bestKotlin - bestRust) / apdus.toDouble() * 1e6))
}
