package dev.lockstep.it;

import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the lock server's WAR to Payara Micro once for this whole module and runs every
 * feature's tests against it as nested classes. Arquillian deploys per test class, and Payara
 * Micro's managed container starts a JVM per deployment: nesting is what keeps it to one start.
 * Each feature's tests live in their own file; a nested class here binds them to the server.
 */
@ExtendWith(ArquillianExtension.class)
class LockServerIT {

  @Deployment(testable = false)
  static WebArchive lockServer() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("lockstep.war")));
  }

  @Nested
  class SmokeIT extends SmokeTests {}

  @Nested
  class EventStreamIT extends EventStreamTests {}

  @Nested
  class DashboardBrowserIT extends DashboardBrowserTests {}
}
