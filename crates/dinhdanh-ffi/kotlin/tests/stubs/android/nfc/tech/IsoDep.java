package android.nfc.tech;

import java.io.IOException;

/**
 * Test stub of Android's {@code android.nfc.tech.IsoDep}: the members
 * IsoDepTransport uses, with Android's signatures (so Kotlin sees the same
 * properties {@code maxTransceiveLength}, {@code isExtendedLengthApduSupported},
 * {@code timeout}), over a link the test gives. On Android an app gets
 * one with {@code IsoDep.get(tag)}; the constructor here is the test's.
 * Not shipped.
 */
public final class IsoDep {
    /** What the tag answers: the test's stand-in for the radio. */
    public interface Link {
        byte[] transceive(byte[] data) throws IOException;
    }

    private final Link link;
    private final int maxTransceiveLength;
    private final boolean extendedLength;
    private int timeout = 618;
    private boolean connected;

    public IsoDep(Link link, int maxTransceiveLength, boolean extendedLength) {
        this.link = link;
        this.maxTransceiveLength = maxTransceiveLength;
        this.extendedLength = extendedLength;
    }

    public void connect() throws IOException {
        connected = true;
    }

    public void close() throws IOException {
        connected = false;
    }

    public boolean isConnected() {
        return connected;
    }

    /** As Android: IllegalStateException unless connected. */
    public byte[] transceive(byte[] data) throws IOException {
        if (!connected) {
            throw new IllegalStateException("Call connect() first!");
        }
        return link.transceive(data);
    }

    public int getMaxTransceiveLength() {
        return maxTransceiveLength;
    }

    public boolean isExtendedLengthApduSupported() {
        return extendedLength;
    }

    public int getTimeout() {
        return timeout;
    }

    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }
}
