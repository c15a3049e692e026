package dev.lockstep.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The default owner of a lock: {@code host:pid:thread}. */
final class CallerIdentity {
  private static final String HOST_AND_PID = hostName() + ":" + ProcessHandle.current().pid();

  private CallerIdentity() {}

  static String current() {
    return HOST_AND_PID + ":" + Thread.currentThread().getName();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
