package io.switchboard.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a user's file as strict UTF-8: a byte sequence that is not UTF-8 is an error naming its line. */
public final class SourceText {
    /** Larger files are refused before they are read. */
    public static final long MAX_BYTES = 8L * 1024 * 1024;

    private SourceText() {
    }

    /**
     * @param displayName the name to use in errors (the path as the user gave it)
     * @throws InputException when the file is missing, too large, unreadable or not UTF-8
     */
    public static String read(Path file, String displayName) {
        byte[] bytes;
        try {
            long size = java.nio.file.Files.size(file);
            if (size > MAX_BYTES) {
                throw new InputException(displayName, 0, null,
                        "file is " + size + " bytes; the limit is " + MAX_BYTES);
            }
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(displayName, 0, null, "no such file");
        } catch (IOException e) {
            throw new InputException(displayName, 0, null, "cannot read: " + e.getMessage());
        }
        return decode(bytes, displayName);
    }

    /** Decodes strict UTF-8, dropping a leading byte-order mark. */
    public static String decode(byte[] bytes, String displayName) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            int badOffset = in.position();
            throw new InputException(displayName, lineOf(bytes, badOffset), null,
                    "not UTF-8: invalid byte 0x" + String.format("%02X", bytes[badOffset] & 0xFF)
                            + " at byte offset " + badOffset);
        }
        try {
            decoder.flush(out);
        } catch (IllegalStateException e) {
            throw new InputException(displayName, 0, null, "not UTF-8");
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

}
