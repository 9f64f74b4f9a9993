package dev.runfleet.local.runtime;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/jobs?status=S[,S…]&platform=P&limit=N&offset=M}: which jobs, oldest queued first (job
 * id, then attempt, break ties), one page of them.
 *
 * @param statuses the statuses wanted; empty means every status
 * @param platform the platform wanted, or null for all
 * @param limit the page size, or null for every match
 * @param offset matches skipped before the page
 */
record JobQuery(Set<JobStatus> statuses, String platform, Integer limit, int offset) {

  static final int MAX_LIMIT = 1000;

  static final Comparator<Job> ORDER =
      Comparator.comparing(Job::queuedAt)
          .thenComparingLong(j -> j.key().jobId())
          .thenComparingInt(j -> j.key().runAttempt());

  /** One page and how many matched in all. */
  record Page(List<Job> jobs, int total) {
    /** The offset of the next page, or -1 when this is the last. */
    int nextOffset(JobQuery query) {
      int next = query.offset() + jobs.size();
      return query.limit() != null && next < total ? next : -1;
    }
  }

  /**
   * Reads the query string; throws {@link IllegalArgumentException} with what is wrong and what is
   * allowed.
   */
  static JobQuery parse(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (!Set.of("status", "platform", "limit", "offset").contains(name)) {
          throw new IllegalArgumentException(
              "unknown parameter '" + name + "'; use status, platform, limit, offset");
        }
        params.put(name, value);
      }
    }
    Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
    String status = params.get("status");
    if (status != null && !status.isBlank()) {
      for (String one : status.split(",")) {
        try {
          statuses.add(JobStatus.valueOf(one.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "unknown status '"
                  + one.trim()
                  + "'; one of "
                  + Arrays.stream(JobStatus.values())
                      .map(Enum::name)
                      .collect(Collectors.joining(", ")));
        }
      }
    }
    String platform = params.get("platform");
    Integer limit =
        params.containsKey("limit") ? number(params.get("limit"), "limit", 1, MAX_LIMIT) : null;
    int offset =
        params.containsKey("offset")
            ? number(params.get("offset"), "offset", 0, Integer.MAX_VALUE)
            : 0;
    return new JobQuery(
        statuses, platform == null || platform.isBlank() ? null : platform, limit, offset);
  }

  private static int number(String text, String name, int min, int max) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Answered below with the allowed range.
    }
    throw new IllegalArgumentException(
        name + " must be a whole number from " + min + " to " + max + "; was '" + text + "'");
  }

  Page apply(List<Job> jobs) {
    List<Job> matching =
        jobs.stream()
            .filter(j -> statuses.isEmpty() || statuses.contains(j.status()))
            .filter(j -> platform == null || platform.equals(j.platform()))
            .sorted(ORDER)
            .toList();
    int from = Math.min(offset, matching.size());
    int to = limit == null ? matching.size() : Math.min(matching.size(), from + limit);
    return new Page(matching.subList(from, to), matching.size());
  }
}
