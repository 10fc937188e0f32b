package io.walguard.apps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppProfilesTest {

  static final AppProfiles APPS = AppProfiles.builtIn();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "grafana/grafana:11.4.0,                                     grafana",
      "docker.io/grafana/grafana-oss:10.4.2,                       grafana",
      "grafana/grafana-enterprise,                                 grafana",
      "bitnami/grafana:11.4.0-debian-12-r1,                        grafana",
      "registry.example.com:5000/mirror/grafana/grafana:11,        grafana",
      "grafana/grafana-image-renderer:3.11.0,                      ''",
      "myorg/grafana-dashboards-sync:1,                            ''",
      "vaultwarden/server:1.32.7-alpine,                           vaultwarden",
      "ghcr.io/dani-garcia/vaultwarden:latest,                     vaultwarden",
      "nginx/server:1,                                             ''",
      "docker.gitea.com/gitea:1.24,                                gitea",
      "gitea/gitea:1.22-rootless,                                  gitea",
      "gitea/act_runner:0.2.11,                                    ''",
      "codeberg.org/forgejo/forgejo:11,                            forgejo",
      "codeberg.org/forgejo/runner:6,                              ''",
      "louislam/uptime-kuma:2@sha256:0c0f4f0a8d5b1e3c9a7d6e2f1b4c8a9d0e3f5a7b9c1d2e4f6a8b0c2d4e6f8a0b, uptime-kuma",
      "lscr.io/linuxserver/homeassistant:2025.1.0,                 home-assistant",
      "ghcr.io/home-assistant/home-assistant:stable,               home-assistant",
      "homeassistant/home-assistant,                               home-assistant",
      "docker.n8n.io/n8nio/n8n:1.80.0,                             n8n",
      "n8nio/runners:2.0.0,                                        ''",
      "lscr.io/linuxserver/sonarr:4.0.14,                          sonarr",
      "ghcr.io/hotio/radarr:release,                               radarr",
      "linuxserver/readarr:develop,                                readarr",
      "ghcr.io/linuxserver/lidarr,                                 lidarr",
      "hotio/prowlarr:nightly,                                     prowlarr",
      "localhost:5000/whisparr,                                    whisparr",
      "GHCR.IO/Hotio/Sonarr:Latest,                                sonarr",
      "ghcr.io/muchobien/pocketbase:0.25,                          pocketbase",
      "jellyfin/jellyfin:10.10.3,                                  jellyfin",
      "docker.io/library/nginx:1.27,                               ''",
      "busybox,                                                    ''",
  })
  void recognisesAppsFromRealImageReferences(String image, String profile) {
    assertThat(APPS.byImage(image).map(AppProfile::name).orElse("")).isEqualTo(profile);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "lscr.io/linuxserver/sonarr:4.0.14,          lscr.io,        linuxserver/sonarr, 4.0.14,",
      "localhost:5000/whisparr,                    localhost:5000, whisparr,           ,",
      "docker.io/library/nginx:1.27,               docker.io,      nginx,              1.27,",
      "nginx,                                      ,               nginx,              ,",
      "registry.example.com:5000/team/app@sha256:ab, registry.example.com:5000, team/app, , sha256:ab",
      "team/app:1@sha256:ab,                       ,               team/app,           1,      sha256:ab",
  })
  void imageReferencesArePartedAsRegistriesReadThem(String image, String registry, String path, String tag,
      String digest) {
    assertThat(ImageReference.parse(image)).isEqualTo(new ImageReference(registry, path, tag, digest));
  }

  @Test
  void everyProfileCanBeFoundAndEitherHasASwitchOrSaysItForcesWal() {
    assertThat(APPS.all()).isNotEmpty().allSatisfy(p -> {
      assertThat(p.name()).matches("[a-z0-9][-a-z0-9]*");
      assertThat(p.images()).isNotNull();
      assertThat(p.images().isEmpty()).as("%s has no image rule", p.name()).isFalse();
      assertThat(p.forcesWal() || (p.env() != null && p.value() != null)).as(p.name()).isTrue();
      assertThat(p.docs()).as(p.name()).startsWith("https://");
    });
    assertThat(APPS.find("readarr")).get().extracting(AppProfile::forcesWal).isEqualTo(true);
    assertThat(APPS.find("forgejo")).get().extracting(AppProfile::env)
        .isEqualTo("FORGEJO__database__SQLITE_JOURNAL_MODE");
  }
}
