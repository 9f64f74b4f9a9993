package dev.runfleet.orchestrators.handoff;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.common.port.HandOffNames;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.Listing;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Hands JIT configs over as Secrets Manager secrets named {@code <prefix>/<platform>/<runner>/<32
 * hex of SecureRandom>}: nothing a job knows (its job id, its runner's name, the naming rule) lets
 * it derive another runner's secret. After the launcher has started a host, {@link #bindToHost}
 * tags the secret {@code runfleet:host = <runner role's unique id>:<host's role session name>},
 * which is the value IAM gives {@code aws:userid} for that host's credentials; the runner roles may
 * read and delete a secret only when that tag equals their own {@code ${aws:userid}} (Terraform:
 * modules/runners_ecs, modules/runners_ec2). The runner deletes its secret right after reading it,
 * and every tear-down or failed launch deletes it too.
 */
public final class SecretsManagerJitHandOff implements JitHandOff {

  private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerJitHandOff.class);

  private static final Set<String> TRANSIENT_ERRORS = Set.of("LimitExceededException");

  /** The tag the runner roles' IAM condition compares with {@code ${aws:userid}}. */
  public static final String HOST_TAG = "runfleet:host";

  private final SecretsManagerClient secrets;
  private final String prefix;
  private final String kmsKeyId;
  private final String stage;
  private final String runnerRoleId;

  /**
   * @param prefix name prefix, such as {@code runfleet/prod/jit}
   * @param kmsKeyId the KMS key to encrypt with; null for the account's AWS-managed key
   * @param stage the runfleet:stage tag value
   * @param runnerRoleId the unique id ({@code AROA...}) of the platform's runner role, the first
   *     half of {@code aws:userid} for every host of the platform; null for a user that only
   *     deletes secrets (the host-events function), which then binds none
   */
  public SecretsManagerJitHandOff(
      SecretsManagerClient secrets,
      String prefix,
      String kmsKeyId,
      String stage,
      String runnerRoleId) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.prefix = stripSlashes(Objects.requireNonNull(prefix, "prefix"));
    this.kmsKeyId = kmsKeyId;
    this.stage = Objects.requireNonNull(stage, "stage");
    this.runnerRoleId = runnerRoleId;
  }

  /**
   * The value IAM gives {@code aws:userid} for requests signed with the host's role credentials,
   * {@code role-id:session-name}. EC2: the IAM User Guide's table of principal values ("IAM policy
   * elements: Variables and tags", aws:userid for "Role assigned to an Amazon EC2 instance" is
   * {@code role-id:ec2-instance-id}). ECS: the task role's session name is the task id (the last
   * segment of the task ARN), which AWS states in aws/containers-roadmap#1917 and which CloudTrail
   * shows; the ECS developer guide itself only says the session carries the task ARN as context.
   */
  public String hostPrincipal(String hostId) {
    String session = hostId.substring(hostId.lastIndexOf('/') + 1);
    return runnerRoleId + ":" + session;
  }

  @Override
  public StoreResult store(String platform, String runnerName, JitConfig config) {
    String base = runnerPrefix(platform, runnerName);
    Optional<String> earlier;
    try {
      earlier = existing(base).stream().findFirst();
    } catch (SdkException e) {
      return failed(base + "*", e);
    }
    if (earlier.isPresent()) {
      // A retried launch minted a new config for the same runner: replace the old, unused one
      // under the same name, which a host started by the earlier attempt already knows.
      return replace(earlier.get(), config);
    }
    return create(HandOffNames.fresh(base), runnerName, config);
  }

  private StoreResult create(String reference, String runnerName, JitConfig config) {
    try {
      CreateSecretRequest.Builder request =
          CreateSecretRequest.builder()
              .name(reference)
              .description(
                  "runfleet JIT config of runner "
                      + runnerName
                      + ": read once and deleted by the runner")
              .secretString(config.encodedConfig())
              .tags(
                  tag("runfleet:runner", runnerName),
                  tag("runfleet:stage", stage),
                  tag("runfleet:purpose", "jit-config"));
      if (kmsKeyId != null) {
        request.kmsKeyId(kmsKeyId);
      }
      secrets.createSecret(request.build());
      return new StoreResult.Stored(reference);
    } catch (ResourceExistsException e) {
      // 128 random bits do not collide; an existing name means this very request was retried.
      return replace(reference, config);
    } catch (InvalidRequestException e) {
      // Most often: the name's previous secret is still being deleted. It is gone within seconds.
      return new StoreResult.RetryLater(
          "hand-over secret " + reference + ": " + AwsErrors.describe(e));
    } catch (SdkException e) {
      return failed(reference, e);
    }
  }

  private StoreResult replace(String reference, JitConfig config) {
    try {
      secrets.putSecretValue(b -> b.secretId(reference).secretString(config.encodedConfig()));
      return new StoreResult.Stored(reference);
    } catch (SdkException e) {
      return failed(reference, e);
    }
  }

  /** Access denied, a bad KMS key, a malformed name: configuration, refused; the rest retried. */
  private static StoreResult failed(String reference, SdkException e) {
    String what = "hand-over secret " + reference + ": " + AwsErrors.describe(e);
    return AwsErrors.isTransient(e, TRANSIENT_ERRORS)
        ? new StoreResult.RetryLater(what)
        : new StoreResult.Rejected(what);
  }

  @Override
  public BindResult bindToHost(String reference, String hostId) {
    if (runnerRoleId == null) {
      LOG.error("hand-over secret {} cannot be bound: no runner role id configured", reference);
      return BindResult.REFUSED;
    }
    try {
      secrets.tagResource(b -> b.secretId(reference).tags(tag(HOST_TAG, hostPrincipal(hostId))));
      return BindResult.BOUND;
    } catch (SdkException e) {
      LOG.warn(
          "hand-over secret {} could not be bound to host {}: {}",
          reference,
          hostId,
          AwsErrors.describe(e));
      return AwsErrors.isTransient(e, TRANSIENT_ERRORS)
          ? BindResult.RETRY_LATER
          : BindResult.REFUSED;
    }
  }

  /**
   * A secret the runner deleted (or a clean-up removed) is not found, or found with a deletion date
   * while Secrets Manager finishes deleting it.
   */
  @Override
  public Presence presence(String reference) {
    try {
      return secrets.describeSecret(b -> b.secretId(reference)).deletedDate() == null
          ? Presence.HELD
          : Presence.GONE;
    } catch (ResourceNotFoundException e) {
      return Presence.GONE;
    } catch (SdkException e) {
      LOG.warn(
          "hand-over secret {} could not be looked up now: {}", reference, AwsErrors.describe(e));
      return Presence.RETRY_LATER;
    }
  }

  @Override
  public RemoveResult removeAll(String platform, String runnerName) {
    List<String> names;
    try {
      names = existing(runnerPrefix(platform, runnerName));
    } catch (SdkException e) {
      LOG.warn(
          "hand-over secrets of runner {} could not be listed now: {}",
          runnerName,
          AwsErrors.describe(e));
      return RemoveResult.RETRY_LATER;
    }
    RemoveResult result = RemoveResult.REMOVED;
    for (String name : names) {
      if (remove(name) == RemoveResult.RETRY_LATER) {
        result = RemoveResult.RETRY_LATER;
      }
    }
    return result;
  }

  /**
   * The runner's secrets by name prefix. ListSecrets matches a name filter as a case-insensitive
   * prefix, so the exact prefix is checked again here; secrets already scheduled for deletion are
   * not listed.
   */
  private List<String> existing(String base) {
    Filter byName = Filter.builder().key(FilterNameStringType.NAME).values(base).build();
    return secrets.listSecretsPaginator(b -> b.filters(byName).maxResults(20)).stream()
        .flatMap(page -> page.secretList().stream())
        .map(SecretListEntry::name)
        .filter(name -> name.startsWith(base))
        .toList();
  }

  /**
   * ListSecrets filtered by this hand-off's prefix, 100 a page, each page one of {@code pages}.
   * Names that do not follow {@link HandOffNames} (someone else's secret under the prefix) are left
   * out, so nobody else's secret is ever offered for deletion.
   */
  @Override
  public Listing<HandOffSecret> list(Listing.Pages pages) {
    Filter byName = Filter.builder().key(FilterNameStringType.NAME).values(prefix + "/").build();
    List<HandOffSecret> found = new ArrayList<>();
    String token = null;
    try {
      do {
        if (!pages.getAsBoolean()) {
          return new Listing<>(found, false);
        }
        String next = token;
        ListSecretsResponse page =
            secrets.listSecrets(b -> b.filters(byName).maxResults(100).nextToken(next));
        for (SecretListEntry entry : page.secretList()) {
          HandOffNames.parse(prefix, entry.name(), entry.createdDate()).ifPresent(found::add);
        }
        token = page.nextToken();
      } while (token != null);
    } catch (SdkException e) {
      LOG.warn("hand-over secrets not listed in full now: {}", AwsErrors.describe(e));
      return new Listing<>(found, false);
    }
    return new Listing<>(found, true);
  }

  private String runnerPrefix(String platform, String runnerName) {
    return HandOffNames.runnerPrefix(prefix, platform, runnerName);
  }

  @Override
  public RemoveResult remove(String reference) {
    try {
      secrets.deleteSecret(b -> b.secretId(reference).forceDeleteWithoutRecovery(true));
      return RemoveResult.REMOVED;
    } catch (ResourceNotFoundException e) {
      return RemoveResult.REMOVED; // the runner took it, as it should
    } catch (InvalidRequestException e) {
      return RemoveResult.REMOVED; // already scheduled for deletion
    } catch (SdkException e) {
      LOG.warn(
          "hand-over secret {} could not be deleted now: {}", reference, AwsErrors.describe(e));
      return RemoveResult.RETRY_LATER;
    }
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private static String stripSlashes(String value) {
    String out = value;
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
