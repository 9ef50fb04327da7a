package dinhdanh

import android.nfc.TagLostException
import android.nfc.tech.IsoDep
import java.io.IOException

/**
 * An Android NFC tag (ISO 14443-4, `IsoDep`) as the transport of
 * [readCard]: a CCCD or passport held to the phone.
 *
 * Give it the `IsoDep` of the discovered tag, connected; the read runs
 * on the calling thread (not the main one: it blocks for seconds).
 *
 * Failures come back as [DinhdanhException.Transport], so the read ends
 * with a typed exception: the tag leaving the field (Android's
 * [TagLostException], or its `SecurityException` for a tag that is "out of
 * date") is [LinkFailure.CARD_REMOVED], a tag not connected
 * [LinkFailure.NO_CARD], any other I/O failure [LinkFailure.LINK].
 *
 * @param isoDep the tag's `IsoDep`, connected.
 * @param timeoutMillis set as the tag's timeout: PACE and Chip
 *   Authentication make the chip compute for up to a second or two, past
 *   Android's default of a few hundred milliseconds. `null` leaves the
 *   tag's timeout as it is.
 */
class IsoDepTransport(
    private val isoDep: IsoDep,
    timeoutMillis: Int? = DEFAULT_TIMEOUT_MILLIS,
) : CardTransport {
    init {
        if (timeoutMillis != null) {
            isoDep.timeout = timeoutMillis
        }
    }

    override fun transmit(command: ByteArray): ByteArray =
        try {
            isoDep.transceive(command)
        } catch (e: TagLostException) {
            throw DinhdanhException.Transport(LinkFailure.CARD_REMOVED, e.message ?: "tag lost")
        } catch (e: IOException) {
            throw DinhdanhException.Transport(LinkFailure.LINK, e.message ?: e.javaClass.name)
        } catch (e: SecurityException) {
            // Android's word for a tag that left the field and came back:
            // its handle is stale, the session on it is gone.
            throw DinhdanhException.Transport(LinkFailure.CARD_REMOVED, e.message ?: "tag out of date")
        } catch (e: IllegalStateException) {
            // transceive before connect(), or after close().
            throw DinhdanhException.Transport(LinkFailure.NO_CARD, e.message ?: "tag not connected")
        }

    /**
     * `maxTransceiveLength`, the most Android sends in one `transceive`;
     * at most a short APDU's 261 bytes when the phone has no extended
     * length (some report more than their controller carries).
     */
    override fun maxCommandBytes(): UInt {
        val max = isoDep.maxTransceiveLength.coerceAtLeast(0)
        return (if (isoDep.isExtendedLengthApduSupported) max else max.coerceAtMost(SHORT_COMMAND)).toUInt()
    }

    /**
     * Android does not say how long a response may be: a short one's 258
     * bytes without extended length, else `maxTransceiveLength` (the
     * controller's buffer, both ways), at most an extended response's
     * 65 538.
     */
    override fun maxResponseBytes(): UInt =
        if (isoDep.isExtendedLengthApduSupported) {
            isoDep.maxTransceiveLength.coerceIn(SHORT_RESPONSE, EXTENDED_RESPONSE).toUInt()
        } else {
            SHORT_RESPONSE.toUInt()
        }

    /** The constants of [IsoDepTransport]. */
    companion object {
        /** The timeout set on the tag unless told otherwise: 5 s. */
        const val DEFAULT_TIMEOUT_MILLIS: Int = 5_000
        private const val SHORT_COMMAND = 261
        private const val SHORT_RESPONSE = 258
        private const val EXTENDED_RESPONSE = 65_538
    }
}
