package dev.lockstep.it;

import dev.lockstep.it.app.DemoJobs;
import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the lock server's WAR to Payara Micro once for this whole module and runs every feature's
 * tests against it as nested classes. Arquillian deploys per test class, and Payara Micro's managed
 * container starts a JVM per deployment: nesting is what keeps it to one start. Each feature's
 * tests live in their own file; a nested class here binds them to the server.
 */
@ExtendWith(ArquillianExtension.class)
class LockServerIT {

  /**
   * The lock server's WAR, plus a small application that injects the lock client and uses
   * {@code @Locked} (package app): one deployment, so Payara Micro starts once; the application's
   * client reaches the server over HTTP as any other would.
   */
  @Deployment(testable = false)
  static WebArchive lockServer() {
    return ShrinkWrap.createFromZipFile(
            WebArchive.class, new File(System.getProperty("lockstep.war")))
        .addAsLibrary(new File(System.getProperty("lockstep.clientJar")))
        .addPackage(DemoJobs.class.getPackage());
  }

  @Nested
  class SmokeIT extends SmokeTests {}

  @Nested
  class InjectedClientIT extends InjectedClientTests {}

  @Nested
  class SessionsIT extends SessionsTests {}

  @Nested
  class LocksIT extends LocksTests {}

  @Nested
  class BadInputIT extends BadInputTests {}

  @Nested
  class OperationsIT extends OperationsTests {}

  @Nested
  class ContentionIT extends ContentionTests {}

  @Nested
  class DisconnectIT extends DisconnectTests {}

  @Nested
  class ExpiryIT extends ExpiryTests {}

  @Nested
  class MetricsIT extends MetricsTests {}

  @Nested
  class EventStreamIT extends EventStreamTests {}

  @Nested
  class DashboardBrowserIT extends DashboardBrowserTests {}

  @Nested
  class FuzzIT extends FuzzTests {}

  @Nested
  class BatchIT extends BatchTests {}

  @Nested
  class GrantChannelIT extends GrantChannelTests {}
}
