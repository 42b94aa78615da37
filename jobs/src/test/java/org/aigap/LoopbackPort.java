package org.aigap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port for a server the tests start on 127.0.0.1 that cannot be told to take any (moto). */
public final class LoopbackPort {
  private LoopbackPort() {}

  /** A port free on 127.0.0.1 now. */
  public static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
