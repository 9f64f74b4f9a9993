package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.event.ruler.JsonRuleCompiler;

class FilterPoliciesTest {

  @ParameterizedTest
  @ValueSource(strings = {"fargate", "ec2-linux-x64", "ec2-linux-arm64"})
  void load_readsEachPlatformsPolicy_whichEventRulerAccepts(String platform) {
    String policy = FilterPolicies.load(platform);

    assertThat(policy).contains("\"platform\"").contains("\"" + platform + "\"");
    assertThat(JsonRuleCompiler.check(policy)).isNull();
  }

  @Test
  void load_ofAnUnknownPlatform_namesTheMissingFile() {
    assertThatThrownBy(() -> FilterPolicies.load("windows-x64"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/filter-policies/windows-x64.json");
  }

  @Test
  void load_refusesPathsThatAreNotPlatformNames() {
    assertThatThrownBy(() -> FilterPolicies.load("../secrets"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a platform name");
  }
}
