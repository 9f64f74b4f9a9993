package software.amazon.awssdk.regions.internal;

import software.amazon.awssdk.regions.GeneratedPartitionMetadataProvider;
import software.amazon.awssdk.regions.GeneratedRegionMetadataProvider;
import software.amazon.awssdk.regions.GeneratedServiceMetadataProvider;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.PartitionMetadataProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.RegionMetadataProvider;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.regions.ServiceMetadataProvider;
import software.amazon.awssdk.regions.servicemetadata.DynamodbServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.Ec2ServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.EcsServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SecretsmanagerServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SnsServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SqsServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SsmServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.StsServiceMetadata;

/**
 * The AWS SDK's {@code MetadataLoader} (regions 2.41), made lazy for the Lambda cold start; the
 * Lambda jars ship this class instead of the SDK's (the parent POM's shade filter drops the SDK's).
 *
 * <p>Every SDK client build asks {@code ServiceMetadata.of(service)} for its signing region. The
 * SDK's loader answers from three generated providers built together in its static initialiser: all
 * 316 service metadata classes, all 53 region metadata classes and the partitions, about 400
 * classes and a tenth of the producer's cold start. Here each provider is built on first use, and
 * the services our functions call are answered with their own metadata class without building the
 * service provider at all; any other service still gets the SDK's provider. The answers are the
 * SDK's own ({@code MetadataLoaderTest} compares them), only later.
 *
 * <p>The method signatures must stay those of the SDK's class: {@code MetadataLoaderTest} fails
 * when an SDK upgrade changes them.
 */
public final class MetadataLoader {

  private MetadataLoader() {}

  public static PartitionMetadata partitionMetadata(Region region) {
    return Partitions.PROVIDER.partitionMetadata(region);
  }

  public static PartitionMetadata partitionMetadata(String region) {
    return Partitions.PROVIDER.partitionMetadata(region);
  }

  public static RegionMetadata regionMetadata(Region region) {
    return Regions.PROVIDER.regionMetadata(region);
  }

  public static ServiceMetadata serviceMetadata(String service) {
    ServiceMetadata known = known(service);
    return known != null ? known : Services.PROVIDER.serviceMetadata(service);
  }

  /**
   * The metadata of the services the functions build clients for, as the SDK's provider maps them.
   */
  static ServiceMetadata known(String service) {
    switch (service) {
      case "dynamodb":
        return new DynamodbServiceMetadata();
      case "sns":
        return new SnsServiceMetadata();
      case "sqs":
        return new SqsServiceMetadata();
      case "ssm":
        return new SsmServiceMetadata();
      case "ecs":
        return new EcsServiceMetadata();
      case "ec2":
        return new Ec2ServiceMetadata();
      case "secretsmanager":
        return new SecretsmanagerServiceMetadata();
      case "sts":
        return new StsServiceMetadata();
      default:
        return null;
    }
  }

  // Holder classes: each generated provider is built when first asked for, not with the others.

  private static final class Partitions {
    static final PartitionMetadataProvider PROVIDER = new GeneratedPartitionMetadataProvider();
  }

  private static final class Regions {
    static final RegionMetadataProvider PROVIDER = new GeneratedRegionMetadataProvider();
  }

  private static final class Services {
    static final ServiceMetadataProvider PROVIDER = new GeneratedServiceMetadataProvider();
  }
}
