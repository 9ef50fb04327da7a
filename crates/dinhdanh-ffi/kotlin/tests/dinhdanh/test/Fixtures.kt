package dinhdanh.test

import dinhdanh.CardTransport
import dinhdanh.ReadProgress

/** The simulated CCCD: ID number, date of birth and expiry YYMMDD. */
val CCCD = Triple("001099012345", "990315", "390315")

/**
 * A fixed time (no clock in tests), 2026-06-01T00:00:00Z: inside the
 * simulator's CSCA (2020-2040) and DS (2020-2035) validity.
 */
const val AT_2026: Long = 1_780_272_000

/**
 * A transport written in Kotlin, as an NFC or PC/SC one would be: it
 * forwards each APDU to [inner] (the simulated chip, in Rust), counts
 * them, and throws [error] at APDU number [failAt].
 */
class KotlinTransport(
    private val inner: CardTransport,
    private val failAt: Int? = null,
    private val error: Throwable? = null,
) : CardTransport {
    /** Command APDUs seen. */
    var apdus = 0
        private set

    override fun transmit(command: ByteArray): ByteArray {
        apdus++
        if (apdus == failAt && error != null) throw error
        return inner.transmit(command)
    }

    override fun maxCommandBytes(): UInt = inner.maxCommandBytes()

    override fun maxResponseBytes(): UInt = inner.maxResponseBytes()
}

/** Every progress call, in order. */
class RecordedProgress : ReadProgress {
    /** (file, done, total) per call. */
    val calls = mutableListOf<Triple<String, ULong, ULong>>()

    override fun onProgress(
        file: String,
        done: ULong,
        total: ULong,
    ) {
        calls += Triple(file, done, total)
    }
}

/** [bytes] with one bit of its last byte flipped. */
fun flipLast(bytes: ByteArray): ByteArray = bytes.copyOf().also { it[it.size - 1] = (it[it.size - 1].toInt() xor 1).toByte() }
