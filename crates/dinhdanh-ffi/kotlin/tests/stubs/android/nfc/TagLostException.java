package android.nfc;

import java.io.IOException;

/**
 * Test stub of Android's {@code android.nfc.TagLostException} (API 10+):
 * the tag left the field during an exchange. Only what IsoDepTransport
 * uses; not shipped.
 */
public class TagLostException extends IOException {
    public TagLostException() {
        super();
    }

    public TagLostException(String message) {
        super(message);
    }
}
