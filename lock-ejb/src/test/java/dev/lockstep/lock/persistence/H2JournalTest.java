package dev.lockstep.lock.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2JournalTest extends JournalContract {
  @TempDir Path dataDir;

  @Override
  StoreSettings freshDatabase() throws Exception {
    return StoreSettings.h2(Files.createTempDirectory(dataDir, "db"));
  }
}
