package dev.lockstep.client;

/** A watch or a pounce that can be stopped; closing twice is harmless. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
