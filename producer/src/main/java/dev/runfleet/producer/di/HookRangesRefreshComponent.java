package dev.runfleet.producer.di;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.producer.hookranges.GitHubMeta;
import dev.runfleet.producer.hookranges.HookRangesRefresh;
import dev.runfleet.producer.hookranges.HookRangesRefreshConfig;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Duration;

/** The hook-ranges refresher's object graph, built once per process from its configuration. */
@Singleton
@Component(modules = {AwsModule.class, HookRangesRefreshComponent.RefreshModule.class})
public interface HookRangesRefreshComponent {

  HookRangesRefresh refresh();

  Telemetry telemetry();

  /** Builds the component. */
  @Component.Factory
  interface Factory {
    HookRangesRefreshComponent create(@BindsInstance HookRangesRefreshConfig config);
  }

  static HookRangesRefreshComponent create(HookRangesRefreshConfig config) {
    return DaggerHookRangesRefreshComponent.factory().create(config);
  }

  /** The refresher's singletons. */
  @Module
  final class RefreshModule {

    private RefreshModule() {}

    @Provides
    static AwsSettings awsSettings(HookRangesRefreshConfig config) {
      return config.aws();
    }

    @Provides
    @Singleton
    static HookRangesRefresh refresh(HookRangesRefreshConfig config, ParameterStore ssm) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      return new HookRangesRefresh(
          new GitHubMeta(http, config.gitHubApiUrl()), ssm, config.parameter());
    }

    @Provides
    @Singleton
    static Telemetry telemetry() {
      return new Telemetry("hook-ranges-refresh");
    }
  }
}
