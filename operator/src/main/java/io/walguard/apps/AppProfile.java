package io.walguard.apps;

import java.util.List;

/**
 * How one application uses SQLite, and how to tell it to stop using WAL.
 *
 * @param name the profile name used in {@code spec.app}, e.g. {@code grafana}
 * @param images which container images are the app
 * @param forcesWal true when the app turns WAL back on at every open and has no switch: a journal cannot stick
 * @param env the environment variable that turns WAL off, or null
 * @param value the value for {@link #env} that means "rollback journal"
 * @param docs where the knob is documented
 */
public record AppProfile(String name, Images images, boolean forcesWal, String env, String value, String docs) {

  /**
   * Rules on an image's repository path (registry host, tag and digest removed, see {@link ImageReference}); an
   * image is the app when any rule holds.
   *
   * @param names the last path component equals one of these: {@code sonarr} matches {@code linuxserver/sonarr},
   *     {@code hotio/sonarr} and {@code lscr.io/linuxserver/sonarr:4}
   * @param repositories the path equals one of these or ends with it on a component boundary, for apps whose last
   *     component alone says too little: {@code vaultwarden/server}
   */
  public record Images(List<String> names, List<String> repositories) {

    public Images {
      names = names == null ? List.of() : List.copyOf(names);
      repositories = repositories == null ? List.of() : List.copyOf(repositories);
    }

    public boolean match(ImageReference image) {
      return names.stream().anyMatch(n -> n.equalsIgnoreCase(image.name()))
          || repositories.stream().anyMatch(image::pathEndsWith);
    }

    public boolean isEmpty() {
      return names.isEmpty() && repositories.isEmpty();
    }
  }

  public boolean matches(ImageReference image) {
    return images != null && images.match(image);
  }
}
