package io.walguard.apps;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The app profiles shipped as {@code io/walguard/apps/apps.yaml}: data a contributor can extend. */
public final class AppProfiles {

  private final Map<String, AppProfile> byName;

  private AppProfiles(List<AppProfile> profiles) {
    this.byName = profiles.stream()
        .collect(Collectors.toUnmodifiableMap(AppProfile::name, Function.identity(), (a, b) -> b));
  }

  public static AppProfiles of(List<AppProfile> profiles) {
    return new AppProfiles(profiles);
  }

  public static AppProfiles builtIn() {
    try (InputStream in = AppProfiles.class.getResourceAsStream("apps.yaml")) {
      if (in == null) {
        throw new IllegalStateException("apps.yaml missing from the walguard jar");
      }
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
      File file = yaml.readValue(in, File.class);
      return new AppProfiles(file.apps());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in app profiles", e);
    }
  }

  public Optional<AppProfile> find(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The profile of a container image, for databases that name no app: matched on the image's repository path by the
   * rules in {@code apps.yaml}, never on a fragment of the whole string (which took {@code
   * grafana/grafana-image-renderer} for Grafana and missed {@code lscr.io/linuxserver/homeassistant}).
   */
  public Optional<AppProfile> byImage(String image) {
    if (image == null || image.isBlank()) {
      return Optional.empty();
    }
    ImageReference reference = ImageReference.parse(image);
    return byName.values().stream()
        .filter(p -> p.matches(reference))
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .findFirst();
  }

  public List<AppProfile> all() {
    return byName.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  private record File(List<AppProfile> apps) {}
}
