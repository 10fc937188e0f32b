package io.walguard.apps;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A container image reference taken apart as the registries read it: {@code [host[:port]/]path[:tag][@digest]}. The
 * first component is a registry host only when there is more than one and it looks like a host (a dot, a port, or
 * {@code localhost}); Docker Hub's {@code library/} prefix of official images is dropped, so {@code nginx} and
 * {@code docker.io/library/nginx} have the same path.
 *
 * @param registry the registry host (with port), or null for Docker Hub written without one
 * @param path the repository path without host, tag and digest, lower case, e.g. {@code linuxserver/sonarr}
 * @param tag the tag, or null
 * @param digest the digest, or null
 */
public record ImageReference(String registry, String path, String tag, String digest) {

  private static final List<String> DOCKER_HUB = List.of("docker.io", "index.docker.io", "registry-1.docker.io");

  public static ImageReference parse(String image) {
    String rest = image.trim().toLowerCase(Locale.ROOT);
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    List<String> parts = Arrays.asList(rest.split("/"));
    String registry = null;
    if (parts.size() > 1 && isHost(parts.get(0))) {
      registry = parts.get(0);
      parts = parts.subList(1, parts.size());
    }
    if ((registry == null || DOCKER_HUB.contains(registry)) && parts.size() > 1 && parts.get(0).equals("library")) {
      parts = parts.subList(1, parts.size());
    }
    return new ImageReference(registry, String.join("/", parts), tag, digest);
  }

  private static boolean isHost(String component) {
    return component.contains(".") || component.contains(":") || component.equals("localhost");
  }

  /** The last component of the path: {@code sonarr} in {@code lscr.io/linuxserver/sonarr:4}. */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Whether the path is {@code repository} or ends with it on a component boundary ({@code mirror/grafana/grafana}). */
  public boolean pathEndsWith(String repository) {
    String r = repository.toLowerCase(Locale.ROOT);
    return path.equals(r) || path.endsWith("/" + r);
  }
}
