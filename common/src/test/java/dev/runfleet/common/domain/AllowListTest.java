package dev.runfleet.common.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AllowListTest {

  private static AllowList list(String text) {
    AllowList.Parsed parsed = AllowList.parse(text);
    assertThat(parsed).isInstanceOf(AllowList.Parsed.Valid.class);
    return ((AllowList.Parsed.Valid) parsed).list();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "\t"})
  void parse_whenEmptyOrAbsent_permitsEveryone(String text) {
    AllowList everyone = list(text);
    assertThat(everyone.isEveryone()).isTrue();
    assertThat(everyone.permits(null, "anyone/anything")).isTrue();
    assertThat(everyone.describe()).isEqualTo("everyone");
  }

  @Test
  void permits_name_matchesOrganizationOrRepositoryOwner() {
    AllowList acme = list("acme");
    assertThat(acme.permits("acme", "acme/widgets")).isTrue();
    assertThat(acme.permits(null, "acme/widgets")).isTrue();
    assertThat(acme.permits("acme", "someone/fork")).isTrue();
    assertThat(acme.permits("other", "other/widgets")).isFalse();
    assertThat(acme.permits(null, "acme-corp/widgets")).isFalse();
  }

  @Test
  void permits_ownerWildcard_matchesEveryRepositoryOfTheOwnerOnly() {
    AllowList acme = list("acme/*");
    assertThat(acme.permits(null, "acme/widgets")).isTrue();
    assertThat(acme.permits("acme", "someone/fork")).isFalse();
  }

  @Test
  void permits_ownerAndRepository_matchesExactlyThatRepository() {
    AllowList one = list("acme/widgets");
    assertThat(one.permits("acme", "acme/widgets")).isTrue();
    assertThat(one.permits("acme", "acme/widgets-2")).isFalse();
    assertThat(one.permits("acme", "acme/gadgets")).isFalse();
  }

  @Test
  void parse_ignoresCaseAndWhitespaceAroundEntries() {
    AllowList list = list("  ACME ,\tOcto/Hello-World.js  ");
    assertThat(list.permits(null, "acme/x")).isTrue();
    assertThat(list.permits(null, "OCTO/hello-world.JS")).isTrue();
    assertThat(list).hasToString("acme,octo/hello-world.js");
    assertThat(list.matching(null, "Octo/Hello-World.js")).contains("octo/hello-world.js");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "acme,,octo",
        "acme,",
        "acme/widgets/extra",
        "acme/",
        "/widgets",
        "*",
        "*/widgets",
        "acme/wid*",
        "-acme",
        "ac me",
        "acme/..",
        "a234567890123456789012345678901234567890"
      })
  void parse_whenAnyEntryIsInvalid_refusesTheWholeList(String text) {
    AllowList.Parsed parsed = AllowList.parse(text);
    assertThat(parsed).isInstanceOf(AllowList.Parsed.Invalid.class);
    assertThat(((AllowList.Parsed.Invalid) parsed).reason()).isNotBlank();
  }

  // ---- properties ----

  @Property
  void aListPermitsARepository_iffSomeSinglePatternDoes(
      @ForAll("patternLists") List<String> patterns,
      @ForAll("organizations") Optional<String> organization,
      @ForAll("repositories") String repository) {
    AllowList whole = list(String.join(",", patterns));
    boolean anySingle =
        patterns.stream().anyMatch(p -> list(p).permits(organization.orElse(null), repository));
    assertThat(whole.permits(organization.orElse(null), repository)).isEqualTo(anySingle);
  }

  @Property
  void permits_ignoresCaseOfPatternsOrganizationAndRepository(
      @ForAll("patternLists") List<String> patterns,
      @ForAll("organizations") Optional<String> organization,
      @ForAll("repositories") String repository) {
    String text = String.join(",", patterns);
    boolean lower = list(text).permits(organization.orElse(null), repository);
    boolean upper =
        list(text.toUpperCase(Locale.ROOT))
            .permits(
                organization.map(o -> o.toUpperCase(Locale.ROOT)).orElse(null),
                repository.toUpperCase(Locale.ROOT));
    assertThat(upper).isEqualTo(lower);
  }

  @Property
  void toString_parsesBackToTheSameList(@ForAll("patternLists") List<String> patterns) {
    AllowList original = list(String.join(" , ", patterns));
    assertThat(list(original.toString())).isEqualTo(original);
  }

  @Provide
  Arbitrary<List<String>> patternLists() {
    Arbitrary<String> owner = Arbitraries.of("acme", "Octo", "o-1");
    Arbitrary<String> pattern =
        Arbitraries.oneOf(
            owner,
            owner.map(o -> o + "/*"),
            Combinators.combine(owner, Arbitraries.of("widgets", "Hello.World", "x_1"))
                .as((o, r) -> o + "/" + r));
    return pattern.list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Optional<String>> organizations() {
    return Arbitraries.of("acme", "OCTO", "other").optional();
  }

  @Provide
  Arbitrary<String> repositories() {
    return Combinators.combine(
            Arbitraries.of("acme", "octo", "O-1", "other"),
            Arbitraries.of("widgets", "hello.world", "X_1", "gadgets"))
        .as((o, r) -> o + "/" + r);
  }
}
