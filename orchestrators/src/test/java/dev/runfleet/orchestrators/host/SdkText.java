package dev.runfleet.orchestrators.host;

import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Every value of an SDK request, nested structures included, as one text: what a Describe call or
 * CloudTrail could show of it. {@code toString()} would not do, as the SDK masks fields it deems
 * sensitive there, which would hide a leak rather than prevent it.
 */
final class SdkText {

  private SdkText() {}

  static String of(SdkPojo pojo) {
    StringBuilder out = new StringBuilder();
    append(pojo, out);
    return out.toString();
  }

  private static void append(Object value, StringBuilder out) {
    if (value == null) {
      return;
    }
    if (value instanceof SdkPojo pojo) {
      for (SdkField<?> field : pojo.sdkFields()) {
        out.append(field.memberName()).append('=');
        append(field.getValueOrDefault(pojo), out);
        out.append(' ');
      }
    } else if (value instanceof Collection<?> items) {
      items.forEach(item -> append(item, out));
    } else if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            append(k, out);
            out.append(':');
            append(v, out);
          });
    } else {
      out.append(value).append(' ');
    }
  }
}
