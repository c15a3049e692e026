package dev.lockstep.lock.persistence;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Opens plain JDBC connections to the lock table's database, beside the JPA unit: for the lease and
 * for the journal's appends. The driver is loaded through this library's class loader, as the JPA
 * unit's is, since a container's DriverManager does not see the drivers in the WAR.
 */
public final class JdbcConnector {
  private final Driver driver;
  private final String url;
  private final Properties properties;

  private JdbcConnector(Driver driver, String url, Properties properties) {
    this.driver = driver;
    this.url = url;
    this.properties = properties;
  }

  /** A connector to the database of {@code settings}, with the driver's {@code extra} options. */
  public static JdbcConnector of(StoreSettings settings, Properties extra) {
    String url = settings.effectiveUrl();
    Driver driver = driverFor(url);
    Properties properties = new Properties();
    properties.putAll(extra);
    settings.user().ifPresent(u -> properties.setProperty("user", u));
    settings.password().ifPresent(p -> properties.setProperty("password", p));
    return new JdbcConnector(driver, url, properties);
  }

  /**
   * The JDBC driver that accepts {@code url}, found through this library's class loader. Inside a
   * container, DriverManager registers only the drivers its own class loader sees, not those in the
   * WAR; the JPA unit is given this driver's class name for the same reason.
   */
  public static Driver driverFor(String url) {
    for (Driver driver : ServiceLoader.load(Driver.class, JdbcConnector.class.getClassLoader())) {
      try {
        if (driver.acceptsURL(url)) {
          return driver;
        }
      } catch (SQLException e) {
        // this driver cannot tell: try the next
      }
    }
    throw new IllegalStateException("no JDBC driver on the class path accepts " + redacted(url));
  }

  /** A new connection; the caller closes it. */
  public Connection open() throws SQLException {
    Connection c = driver.connect(url, properties);
    if (c == null) {
      throw new SQLException("the driver does not accept " + redacted(url));
    }
    return c;
  }

  static String redacted(String url) {
    return url.replaceAll("password=[^;&]*", "password=***");
  }
}
