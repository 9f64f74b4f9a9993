package dev.runfleet.common.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured platforms, in configuration order, and the label routing between jobs and
 * platforms: a job goes to the first platform whose runner labels include all of the job's labels;
 * a job no platform serves is ignored.
 */
public final class PlatformCatalog {

  private final List<Platform> platforms;
  private final Map<String, Platform> byName;

  public PlatformCatalog(List<Platform> platforms) {
    if (platforms.isEmpty()) {
      throw new IllegalArgumentException("at least one platform must be configured");
    }
    Map<String, Platform> names = new LinkedHashMap<>();
    for (Platform p : platforms) {
      if (names.put(p.name(), p) != null) {
        throw new IllegalArgumentException("platform configured twice: " + p.name());
      }
    }
    this.platforms = List.copyOf(platforms);
    this.byName = Map.copyOf(names);
  }

  /** fargate, ec2-linux-x64 and ec2-linux-arm64, with the runner labels of the README. */
  public static PlatformCatalog defaults() {
    return new PlatformCatalog(
        List.of(
            new Platform(
                "fargate",
                Set.of("self-hosted", "linux", "x64", "fargate"),
                HostKind.ECS_FARGATE,
                "x64",
                10),
            new Platform(
                "ec2-linux-x64",
                Set.of("self-hosted", "linux", "x64", "ec2"),
                HostKind.EC2,
                "x64",
                10),
            new Platform(
                "ec2-linux-arm64",
                Set.of("self-hosted", "linux", "arm64", "ec2"),
                HostKind.EC2,
                "arm64",
                10)));
  }

  /**
   * Reads platforms from JSON: an array of {@code {"name", "labels": [...], "hostKind", "arch",
   * "cap", "rerunOnInterruption"}} (the last optional, default false) in routing order, the format
   * Terraform writes into the functions' {@code RUNFLEET_PLATFORMS}.
   */
  public static PlatformCatalog fromJson(String json) {
    Object root;
    try {
      root = Json.read(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "platforms are not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!(root instanceof List<?> entries)) {
      throw new IllegalArgumentException("platforms must be a JSON array");
    }
    List<Platform> out = new ArrayList<>();
    for (Object entry : entries) {
      JsonObject node = JsonObject.of(entry);
      if (node == null) {
        throw new IllegalArgumentException("platform entry lacks 'name': " + Json.write(entry));
      }
      List<String> labels = new ArrayList<>();
      node.items("labels").forEach(l -> labels.add(Json.asText(l)));
      out.add(
          new Platform(
              required(node, "name"),
              Set.copyOf(labels),
              HostKind.valueOf(required(node, "hostKind")),
              required(node, "arch"),
              Json.asInt(node.get("cap"), 10),
              Json.asBoolean(node.get("rerunOnInterruption"), false)));
    }
    return new PlatformCatalog(out);
  }

  /**
   * The JSON {@link #fromJson} reads, in routing order: what Terraform writes, for local wiring.
   */
  public String toJson() {
    List<Object> array = new ArrayList<>();
    for (Platform p : platforms) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("name", p.name());
      node.put("labels", p.runnerLabels().stream().sorted().toList());
      node.put("hostKind", p.hostKind().name());
      node.put("arch", p.arch());
      node.put("cap", p.cap());
      if (p.rerunOnInterruption()) {
        node.put("rerunOnInterruption", true);
      }
      array.add(node);
    }
    return Json.write(array);
  }

  private static String required(JsonObject node, String field) {
    String value = node.text(field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("platform entry lacks '" + field + "': " + node);
    }
    return value;
  }

  /** The platform that serves these labels, first in configuration order; empty when none does. */
  public Optional<Platform> route(Collection<String> jobLabels) {
    for (Platform p : platforms) {
      if (p.serves(jobLabels)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public Optional<Platform> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Platform get(String name) {
    Platform p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown platform: " + name);
    }
    return p;
  }

  public List<Platform> all() {
    return platforms;
  }

  public List<String> names() {
    return platforms.stream().map(Platform::name).toList();
  }

  /** The same platforms with caps replaced where {@code caps} names them. */
  public PlatformCatalog withCaps(Map<String, Integer> caps) {
    return new PlatformCatalog(
        platforms.stream().map(p -> p.withCap(caps.getOrDefault(p.name(), p.cap()))).toList());
  }
}
