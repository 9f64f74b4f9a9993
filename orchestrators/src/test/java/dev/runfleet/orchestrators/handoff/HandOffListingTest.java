package dev.runfleet.orchestrators.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.InMemoryJitHandOff;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.Listing;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;

/** Listing hand-over secrets for the orphan sweep: pages, budget, and only names of ours. */
class HandOffListingTest {

  private final FakeSecretsManager secrets = new FakeSecretsManager();
  private final SecretsManagerJitHandOff handOff =
      new SecretsManagerJitHandOff(secrets, "runfleet/test/jit", null, "test", null);
  private final AtomicInteger calls = new AtomicInteger();

  private void store(int runners) {
    for (int i = 0; i < runners; i++) {
      handOff.store("fargate", "rf-fargate-" + i + "-1-1", new JitConfig(i, "eyJ4In0="));
    }
  }

  @Test
  void list_readsEveryPage_filteredByThePrefix_andParsesRunnerAndPlatform() {
    store(150);
    secrets.requests.clear();

    Listing<JitHandOff.HandOffSecret> listed =
        handOff.list(
            () -> {
              calls.incrementAndGet();
              return true;
            });

    assertThat(listed.complete()).isTrue();
    assertThat(listed.items()).hasSize(150);
    assertThat(calls).hasValue(2);
    assertThat(listed.items())
        .allMatch(s -> s.platform().equals("fargate") && s.runnerName().startsWith("rf-fargate-"))
        .allMatch(s -> s.createdAt() != null);
    ListSecretsRequest first = (ListSecretsRequest) secrets.requests.get(0);
    assertThat(first.filters().get(0).values()).containsExactly("runfleet/test/jit/");
  }

  @Test
  void list_whenTheBudgetAllowsOnePage_isIncomplete() {
    store(150);

    Listing<JitHandOff.HandOffSecret> listed = handOff.list(() -> calls.incrementAndGet() <= 1);

    assertThat(listed.complete()).isFalse();
    assertThat(listed.items()).hasSize(100);
  }

  @Test
  void list_leavesOutNamesThatDoNotFollowTheRule() {
    store(1);
    secrets.secrets.put("runfleet/test/jit/fargate/rf-x/not-random", "x");
    secrets.secrets.put("runfleet/test/jit-other/fargate/rf-y/" + "a".repeat(32), "x");

    assertThat(handOff.list(() -> true).items())
        .extracting(JitHandOff.HandOffSecret::runnerName)
        .containsExactly("rf-fargate-0-1-1");
  }

  @Test
  void list_whenSecretsManagerFails_isIncomplete() {
    store(1);
    secrets.failures.add(FakeSecretsManager.error(500, "InternalServiceError"));

    assertThat(handOff.list(() -> true).complete()).isFalse();
  }

  @Test
  void inMemoryList_holdsWhatIsStored_untilTaken() {
    InMemoryJitHandOff memory = new InMemoryJitHandOff();
    String reference =
        ((JitHandOff.StoreResult.Stored)
                memory.store("fargate", "rf-fargate-1-1-1", new JitConfig(1, "e30=")))
            .reference();

    assertThat(memory.list(() -> true).items())
        .extracting(JitHandOff.HandOffSecret::reference)
        .containsExactly(reference);
    memory.take(reference);
    assertThat(memory.list(() -> true).items()).isEmpty();
  }
}
