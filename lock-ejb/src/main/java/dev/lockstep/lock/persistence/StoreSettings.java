package dev.lockstep.lock.persistence;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the lock table is stored. Without a JDBC URL it is the embedded H2 file database in the
 * data directory; with one, any JDBC database whose driver is on the class path.
 */
public record StoreSettings(
    Path dataDir, Optional<String> jdbcUrl, Optional<String> user, Optional<String> password) {
  public StoreSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  public static StoreSettings h2(Path dataDir) {
    return new StoreSettings(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * WRITE_DELAY=0 makes H2 write each commit to the file before the commit returns, so a {@code
   * kill -9} right after an answer loses nothing (H2's default delays writes by 500 ms).
   * DB_CLOSE_ON_EXIT=FALSE leaves closing to us, after the last change is stored.
   */
  public String effectiveUrl() {
    return jdbcUrl.orElseGet(
        () ->
            "jdbc:h2:file:"
                + dataDir.toAbsolutePath().resolve("lockstep")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
  }

  /**
   * Whether the store must force each commit to the device itself: an H2 file database does not (it
   * writes, but never fsyncs, a commit); a server database such as PostgreSQL does.
   */
  public boolean needsSyncAfterCommit() {
    String url = effectiveUrl();
    return url.startsWith("jdbc:h2:")
        && !url.startsWith("jdbc:h2:mem:")
        && !url.startsWith("jdbc:h2:tcp:")
        && !url.startsWith("jdbc:h2:ssl:");
  }
}
