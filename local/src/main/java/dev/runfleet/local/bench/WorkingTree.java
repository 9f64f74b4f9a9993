package dev.runfleet.local.bench;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds a path of the source tree from wherever a bench (or its test) runs: under the working
 * directory or the nearest parent that has it, as from the repository root or from a module.
 */
final class WorkingTree {

  private WorkingTree() {}

  /** {@code relative} under the working directory or a parent, the first that {@code is}. */
  static Optional<Path> find(String relative, Predicate<Path> is) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve(relative);
      if (is.test(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
