package org.rmonitor.log;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads syslog messages off a TCP stream exactly as RFC 6587 frames them, and nothing else: octet
 * counting ({@code MSG-LEN SP SYSLOG-MSG}, MSG-LEN a non-zero digit then digits) with no byte
 * between frames, or non-transparent framing (each message ended by LF). Anything else, a stray
 * CR LF after a frame included, is an error naming the offending byte.
 */
public final class Frames {
  private final InputStream in;
  private final boolean lf;
  private long offset;

  public Frames(InputStream in, boolean lf) {
    this.in = in;
    this.lf = lf;
  }

  /** The next message, or null at end of stream between two frames. */
  public String next() throws IOException {
    return lf ? nextLine() : nextCounted();
  }

  private String nextCounted() throws IOException {
    int c = in.read();
    if (c < 0) return null;
    offset++;
    if (c < '1' || c > '9') throw new IOException("byte " + (offset - 1) + ": " + c + " where MSG-LEN starts");
    long length = c - '0';
    while ((c = read()) != ' ') {
      if (c < '0' || c > '9') throw new IOException("byte " + (offset - 1) + ": " + c + " in MSG-LEN");
      length = length * 10 + (c - '0');
      if (length > 1_000_000) throw new IOException("MSG-LEN " + length + " at byte " + offset);
    }
    byte[] message = in.readNBytes((int) length);
    offset += message.length;
    if (message.length < length) throw new EOFException("frame cut at byte " + offset);
    return new String(message, StandardCharsets.UTF_8);
  }

  private String nextLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c = in.read();
    if (c < 0) return null;
    while (c != '\n') {
      offset++;
      line.write(c);
      c = read();
    }
    offset++;
    return line.toString(StandardCharsets.UTF_8);
  }

  private int read() throws IOException {
    int c = in.read();
    if (c < 0) throw new EOFException("frame cut at byte " + offset);
    offset++;
    return c;
  }
}
