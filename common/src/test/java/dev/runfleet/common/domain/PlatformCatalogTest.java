package dev.runfleet.common.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlatformCatalogTest {

  private final PlatformCatalog catalog = PlatformCatalog.defaults();

  @Test
  void route_whenEveryJobLabelIsARunnerLabel_picksThatPlatform() {
    assertThat(catalog.route(List.of("self-hosted", "linux", "arm64")))
        .map(Platform::name)
        .contains("ec2-linux-arm64");
    assertThat(catalog.route(List.of("self-hosted", "fargate")))
        .map(Platform::name)
        .contains("fargate");
    assertThat(catalog.route(List.of("ec2", "x64"))).map(Platform::name).contains("ec2-linux-x64");
  }

  @Test
  void route_comparesLabelsCaseInsensitively() {
    assertThat(catalog.route(List.of("Self-Hosted", "LINUX", "ARM64")))
        .map(Platform::name)
        .contains("ec2-linux-arm64");
  }

  @Test
  void route_whenSeveralPlatformsServe_configurationOrderDecides() {
    assertThat(catalog.route(List.of("self-hosted", "linux", "x64")))
        .map(Platform::name)
        .contains("fargate");
    PlatformCatalog reversed =
        new PlatformCatalog(List.of(catalog.get("ec2-linux-x64"), catalog.get("fargate")));
    assertThat(reversed.route(List.of("self-hosted", "linux", "x64")))
        .map(Platform::name)
        .contains("ec2-linux-x64");
  }

  @Test
  void route_whenNoPlatformHasEveryLabel_isEmpty() {
    assertThat(catalog.route(List.of("ubuntu-latest"))).isEmpty();
    assertThat(catalog.route(List.of("self-hosted", "linux", "gpu"))).isEmpty();
    assertThat(catalog.route(List.of("self-hosted", "arm64", "fargate"))).isEmpty();
    assertThat(catalog.route(List.of())).isEmpty();
  }

  @Test
  void fromJson_readsPlatformsInOrder() {
    PlatformCatalog parsed =
        PlatformCatalog.fromJson(
            """
            [{"name":"gpu","labels":["self-hosted","gpu"],"hostKind":"EC2","arch":"x64","cap":2},
             {"name":"fargate","labels":["self-hosted","fargate"],"hostKind":"ECS_FARGATE","arch":"arm64"}]
            """);
    assertThat(parsed.names()).containsExactly("gpu", "fargate");
    assertThat(parsed.get("gpu").cap()).isEqualTo(2);
    assertThat(parsed.get("fargate").runnerLabels()).isEqualTo(Set.of("self-hosted", "fargate"));
  }

  @Test
  void fromJson_refusesEntriesWithoutName() {
    assertThatThrownBy(
            () -> PlatformCatalog.fromJson("[{\"labels\":[\"x\"],\"hostKind\":\"EC2\"}]"))
        .hasMessageContaining("name");
  }

  @Test
  void platform_refusesNegativeCapAndReservedName() {
    assertThatThrownBy(() -> new Platform("x", Set.of("a"), HostKind.EC2, "x64", -1))
        .hasMessageContaining("cap");
    assertThatThrownBy(() -> new Platform("global", Set.of("a"), HostKind.EC2, "x64", 1))
        .hasMessageContaining("global");
  }

  @Test
  void withCaps_replacesOnlyNamedCaps() {
    PlatformCatalog capped = catalog.withCaps(Map.of("fargate", 3));
    assertThat(capped.get("fargate").cap()).isEqualTo(3);
    assertThat(capped.get("ec2-linux-x64").cap()).isEqualTo(catalog.get("ec2-linux-x64").cap());
  }

  @Test
  void toJson_isReadBackByFromJson_toTheSameCatalog() {
    PlatformCatalog catalog = PlatformCatalog.defaults().withCaps(java.util.Map.of("fargate", 4));

    PlatformCatalog readBack = PlatformCatalog.fromJson(catalog.toJson());

    assertThat(readBack.all()).isEqualTo(catalog.all());
  }
}
