package io.walguard.compose;

import io.walguard.audit.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named volume under the top-level {@code volumes:}.
 *
 * @param key its key under {@code volumes:}, the name services mount it by
 * @param driver the {@code driver:} as written, or null (Docker's {@code local} driver)
 * @param driverOpts {@code driver_opts}, values as text
 * @param labels its labels, from either syntax
 * @param external whether Compose expects it to exist already ({@code external: true})
 */
record ComposeVolume(String key, String driver, Map<String, String> driverOpts, Map<String, String> labels,
    boolean external, Field field) {

  static ComposeVolume read(String key, Field volume) throws BadInputException {
    if (!volume.isAbsent() && !volume.isMap()) {
      throw volume.fail("is " + Field.describe(volume.value()) + ", but Compose expects the volume's settings",
          "write a mapping (driver:, driver_opts:, labels:, external:) or leave it empty");
    }
    String driver = volume.get("driver").text("the name of a volume driver");
    Map<String, String> options = new LinkedHashMap<>();
    for (Map.Entry<String, Field> option : volume.get("driver_opts").entries("a mapping of driver options")
        .entrySet()) {
      String text = option.getValue().text("a driver option value (a string or a number)");
      options.put(option.getKey(), text == null ? "" : text);
    }
    Map<String, String> labels = volume.get("labels").listOrDict();
    Field external = volume.get("external");
    // external: {name: ...} is the older spelling of external: true with a name.
    boolean isExternal = external.isMap() || external.flag("write external: true or external: false");
    if (isExternal) {
      for (String conflicting : List.of("driver", "driver_opts", "labels")) {
        if (!volume.get(conflicting).isAbsent()) {
          throw volume.get(conflicting).fail("is set on a volume with external: true, which Docker Compose and"
              + " docker stack deploy refuse (an external volume already exists, with its own " + conflicting + ")",
              "remove it, and mark the database and what backs it under x-walguard: {databases: [{volume: " + key
                  + ", storage: local|network|fuse}]}");
        }
      }
    }
    return new ComposeVolume(key, driver, options, labels, isExternal, volume);
  }
}
