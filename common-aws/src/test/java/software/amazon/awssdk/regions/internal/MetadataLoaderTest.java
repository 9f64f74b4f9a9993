package software.amazon.awssdk.regions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.GeneratedPartitionMetadataProvider;
import software.amazon.awssdk.regions.GeneratedRegionMetadataProvider;
import software.amazon.awssdk.regions.GeneratedServiceMetadataProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * Our lazy copy of the SDK's {@code MetadataLoader}: the same answers as the SDK's generated
 * providers, the SDK's method signatures, and no generated provider built for a known service.
 */
class MetadataLoaderTest {

  private static final List<String> KNOWN =
      List.of("dynamodb", "sns", "sqs", "ssm", "ecs", "ec2", "secretsmanager", "sts");
  private static final List<Region> REGIONS =
      List.of(
          Region.US_EAST_1,
          Region.EU_WEST_1,
          Region.AP_SOUTHEAST_2,
          Region.US_GOV_WEST_1,
          Region.CN_NORTH_1,
          Region.of("us-iso-east-1"));

  @Test
  void testsRun_againstOurCopy_notTheSdks() {
    assertThat(MetadataLoader.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .as("common-aws's classes come before the SDK's jar on the test class path")
        .doesNotEndWith(".jar");
  }

  @Test
  void knownServices_getTheSdksMetadata_withTheSameSigningRegionsAndEndpoints() {
    GeneratedServiceMetadataProvider sdk = new GeneratedServiceMetadataProvider();
    for (String service : KNOWN) {
      ServiceMetadata ours = MetadataLoader.serviceMetadata(service);
      ServiceMetadata theirs = sdk.serviceMetadata(service);
      assertThat(ours).as(service).isNotNull().hasSameClassAs(theirs);
      for (Region region : REGIONS) {
        assertThat(ours.signingRegion(region))
            .as(service + " " + region)
            .isEqualTo(theirs.signingRegion(region));
        assertThat(ours.endpointFor(region))
            .as(service + " " + region)
            .isEqualTo(theirs.endpointFor(region));
      }
    }
  }

  @Test
  void otherServices_regions_andPartitions_areTheSdksAnswers() {
    assertThat(MetadataLoader.serviceMetadata("lambda"))
        .hasSameClassAs(new GeneratedServiceMetadataProvider().serviceMetadata("lambda"));
    assertThat(MetadataLoader.serviceMetadata("no-such-service")).isNull();
    for (Region region : REGIONS) {
      assertThat(MetadataLoader.regionMetadata(region))
          .hasSameClassAs(new GeneratedRegionMetadataProvider().regionMetadata(region));
      assertThat(MetadataLoader.partitionMetadata(region))
          .hasSameClassAs(new GeneratedPartitionMetadataProvider().partitionMetadata(region));
    }
    for (String partition : List.of("aws", "aws-cn", "aws-us-gov")) {
      assertThat(MetadataLoader.partitionMetadata(partition))
          .hasSameClassAs(new GeneratedPartitionMetadataProvider().partitionMetadata(partition));
    }
  }

  @Test
  void knownService_buildsNoGeneratedProvider() throws Exception {
    try (Isolated loader = new Isolated(classPath(true))) {
      Class<?> ours = Class.forName(MetadataLoader.class.getName(), true, loader);
      assertThat(ours.getMethod("serviceMetadata", String.class).invoke(null, "dynamodb"))
          .isNotNull();
      assertThat(loader.loaded(GeneratedServiceMetadataProvider.class)).isFalse();
      assertThat(loader.loaded(GeneratedRegionMetadataProvider.class)).isFalse();
      assertThat(loader.loaded(GeneratedPartitionMetadataProvider.class)).isFalse();
    }
  }

  @Test
  void publicMethods_areTheSdks() throws Exception {
    try (URLClassLoader sdkOnly = new URLClassLoader(classPath(false), platform())) {
      Class<?> sdk = Class.forName(MetadataLoader.class.getName(), false, sdkOnly);
      assertThat(sdk.getProtectionDomain().getCodeSource().getLocation().getPath())
          .endsWith(".jar");
      assertThat(signatures(MetadataLoader.class)).isEqualTo(signatures(sdk));
    }
  }

  private static Set<String> signatures(Class<?> type) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .map(MetadataLoaderTest::signature)
        .collect(Collectors.toSet());
  }

  private static String signature(Method m) {
    return Modifier.toString(m.getModifiers())
        + " "
        + m.getReturnType().getName()
        + " "
        + m.getName()
        + Arrays.stream(m.getParameterTypes()).map(Class::getName).toList();
  }

  /** The test class path, with or without the classes of common-aws (where our copy lives). */
  private static URL[] classPath(boolean withOurs) throws Exception {
    String ourDir =
        Path.of(MetadataLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (withOurs || !Path.of(entry).toString().equals(ourDir)) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    return urls.toArray(URL[]::new);
  }

  private static ClassLoader platform() {
    return ClassLoader.getPlatformClassLoader();
  }

  /** A class loader of its own, so that what one call loads can be seen. */
  private static final class Isolated extends URLClassLoader {
    Isolated(URL[] urls) {
      super(urls, platform());
    }

    boolean loaded(Class<?> type) {
      return findLoadedClass(type.getName()) != null;
    }
  }
}
