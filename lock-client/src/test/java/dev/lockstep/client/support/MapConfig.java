package dev.lockstep.client.support;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The smallest MicroProfile {@link Config} that {@code LockClientConfig.from} needs: values from a
 * map, converted to String, Boolean and Integer. No config implementation is on the test class
 * path, and none is needed to read a handful of keys.
 */
public final class MapConfig implements Config {
  private final Map<String, String> values;

  public MapConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  @Override
  public <T> T getValue(String name, Class<T> type) {
    return getOptionalValue(name, type).orElseThrow(() -> new NoSuchElementException(name));
  }

  @Override
  public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
    return Optional.ofNullable(values.get(name)).map(raw -> convert(raw, type));
  }

  private static <T> T convert(String raw, Class<T> type) {
    if (type == String.class) {
      return type.cast(raw);
    }
    if (type == Boolean.class) {
      return type.cast(Boolean.valueOf(raw));
    }
    if (type == Integer.class) {
      return type.cast(Integer.valueOf(raw));
    }
    throw new IllegalArgumentException("MapConfig cannot convert to " + type);
  }

  @Override
  public ConfigValue getConfigValue(String name) {
    throw new UnsupportedOperationException("not needed by LockClientConfig.from");
  }

  @Override
  public Iterable<String> getPropertyNames() {
    return values.keySet();
  }

  @Override
  public Iterable<ConfigSource> getConfigSources() {
    return List.of();
  }

  @Override
  public <T> Optional<Converter<T>> getConverter(Class<T> type) {
    return Optional.empty();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    throw new IllegalArgumentException("MapConfig unwraps to nothing");
  }
}
