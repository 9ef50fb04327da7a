package dinhdanh

import javax.smartcardio.CardChannel
import javax.smartcardio.CardException
import javax.smartcardio.CommandAPDU

/**
 * A card in a PC/SC reader, through the JDK's `javax.smartcardio`, as the
 * transport of [readCard]: a back end or a desktop with a USB reader.
 * The same shape as Android's [IsoDepTransport].
 *
 * `javax.smartcardio` is in the JDK (module `java.smartcardio`), not on
 * Android. It loads libpcsclite: Debian's OpenJDK opens
 * `libpcsclite.so.1` by itself; elsewhere set the system property
 * `sun.security.smartcardio.library` to the library's path.
 *
 * @param channel the card's basic channel (`card.basicChannel`).
 * @param extendedLength the reader and card carry extended APDUs (both
 *   must; most USB readers do, check the card's ATR); else short APDUs.
 */
class SmartCardTransport(
    private val channel: CardChannel,
    private val extendedLength: Boolean = false,
) : CardTransport {
    override fun transmit(command: ByteArray): ByteArray {
        val apdu =
            try {
                CommandAPDU(command)
            } catch (e: IllegalArgumentException) {
                throw DinhdanhException.Transport(LinkFailure.LINK, "not an APDU: ${e.message}")
            }
        return try {
            channel.transmit(apdu).bytes
        } catch (e: CardException) {
            throw DinhdanhException.Transport(failure(e), e.message ?: e.javaClass.name)
        } catch (e: IllegalStateException) {
            // The card was disconnected or the channel closed.
            throw DinhdanhException.Transport(LinkFailure.NO_CARD, e.message ?: "card disconnected")
        }
    }

    override fun maxCommandBytes(): UInt = if (extendedLength) EXTENDED_COMMAND else SHORT_COMMAND

    override fun maxResponseBytes(): UInt = if (extendedLength) EXTENDED_RESPONSE else SHORT_RESPONSE

    private companion object {
        const val SHORT_COMMAND = 261u
        const val SHORT_RESPONSE = 258u
        // Header, 3-byte Lc, 65 535 bytes, 2-byte Le; 65 536 bytes and SW.
        const val EXTENDED_COMMAND = 65_544u
        const val EXTENDED_RESPONSE = 65_538u

        // The JDK gives PC/SC's code only in the cause's message
        // (sun.security.smartcardio.PCSCException is not public).
        fun failure(e: CardException): LinkFailure {
            val text = generateSequence<Throwable>(e) { it.cause }.joinToString(" ") { it.message ?: "" }
            return when {
                "SCARD_W_REMOVED_CARD" in text || "SCARD_W_RESET_CARD" in text -> LinkFailure.CARD_REMOVED
                "SCARD_E_NO_SMARTCARD" in text -> LinkFailure.NO_CARD
                "SCARD_E_TIMEOUT" in text -> LinkFailure.TIMEOUT
                else -> LinkFailure.LINK
            }
        }
    }
}
